"""The ``influence`` command line: a thin click layer over the library.

Each command loads a map, calls one library function and writes the result. Library errors
(:class:`influence.InfluenceError`) become ``click.ClickException``: "Error: ..." and exit 1,
never a traceback. Heavy imports happen inside the commands so ``influence --help`` is quick.
"""

from __future__ import annotations

import functools
import sys

import click

import influence
from influence.errors import InfluenceError


class _Group(click.Group):
    """A group whose commands turn library errors into clean CLI errors."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InfluenceError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(influence.__version__, prog_name="influence")
def main():
    """Community influence mapping: who is in our sphere of influence, and who is missing.

    \b
    Start here:
      influence demo -o review/          the whole review on the bundled demo area
      influence template area.xlsx       a blank workbook to fill in
      influence validate area.xlsx       check it, with every problem listed
    """


# --- shared options and helpers --------------------------------------------------------------
def map_argument(f):
    """The input map: a workbook, a folder of CSVs, GraphML, GEXF or node-link JSON."""
    return click.argument("path", metavar="FILE", type=click.Path(exists=True))(f)


def output_options(formats=("table", "csv", "json", "xlsx")):
    """``--format``, ``-o/--output`` and ``--force``, shared by every command that writes a table."""

    def decorate(f):
        f = click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")(f)
        f = click.option("-o", "--output", type=click.Path(dir_okay=False),
                         help="Write to this file (format from --format or the extension).")(f)
        f = click.option("-f", "--format", "fmt", type=click.Choice(formats), default=None,
                         help="Output format (default: table on screen, or OUTPUT's extension).")(f)
        return f

    return decorate


def load(path):
    """Read a map; validation problems become a clean error listing all of them."""
    m = influence.read(path)
    for w in m.warnings:
        click.echo(f"Warning: {w}", err=True)
    return m


def emit(frame, *, fmt=None, output=None, force=False, inputs=(), title=None, index=True):
    """Print a DataFrame as a table (or CSV/JSON) or write it to OUTPUT atomically."""
    from influence.output import frame_to_json, write_table

    if output:
        fmt = fmt if fmt and fmt != "table" else None
        path = write_table(frame, output, fmt=fmt, force=force, inputs=inputs)
        click.echo(f"Wrote {path}", err=True)
        return
    fmt = fmt or "table"
    if fmt == "csv":
        click.echo(frame.to_csv(index=index), nl=False)
    elif fmt == "json":
        click.echo(frame_to_json(frame))
    elif fmt == "xlsx":
        raise click.UsageError("--format xlsx needs -o FILE.xlsx.")
    else:
        import pandas as pd

        if title:
            click.echo(title)
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50,
                               "display.width", 200, "display.max_colwidth", 60):
            click.echo(frame.to_string(index=index) if len(frame) else "(no rows)")


# === foundation commands =====================================================================
# (template, validate, summary, convert)
@main.command("template")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE.xlsx if it exists.")
@click.option("--no-examples", is_flag=True, help="Leave out the example rows.")
@click.option("--area", metavar="CODE|NAME", default=None,
              help="Start the actors sheet with the real bodies that hold power in this council's "
                   "area (GSS code or name; see `influence catalogue authorities`).")
def template_cmd(path, force, no_examples, area):
    """Write a blank workbook to fill in (sheets actors, ties and README, with drop-downs).

    FILE may end in .xlsx or .ods (LibreOffice; no drop-downs).

    \b
    Examples:
      influence template area.xlsx
      influence template hastings.xlsx --area E07000062
    """
    out = influence.template(path, force=force, examples=not no_examples, area=area)
    click.echo(f"Wrote {out}: fill in the actors and ties sheets (see README), then run "
               f"`influence validate {out}`.", err=True)


@main.command("validate")
@map_argument
@output_options(("table", "csv", "json", "xlsx"))
def validate_cmd(path, fmt, output, force):
    """Check a map and list every problem (exit 1 if there are errors).

    \b
    Example:
      influence validate area.xlsx
    """
    report = influence.validate(path)
    if fmt or output:
        import pandas as pd

        frame = pd.DataFrame([{"severity": p.severity, "file": p.file, "sheet": p.sheet,
                               "row": p.row, "column": p.column,
                               "value": None if p.value is None else str(p.value),
                               "message": p.message, "fix": p.fix} for p in report],
                             columns=["severity", "file", "sheet", "row", "column", "value",
                                      "message", "fix"])
        frame["row"] = frame["row"].astype("Int64")
        emit(frame, fmt=fmt, output=output, force=force, inputs=[path], index=False)
        if report.errors:
            sys.exit(1)
        return
    for w in report.warnings:
        click.echo(f"Warning: {w}", err=True)
    if report.errors:
        from influence.errors import ValidationError

        raise click.ClickException(str(ValidationError(report.errors)))
    n_w = len(report.warnings)
    click.echo(f"OK: {report.n_actors} actors, {report.n_ties} ties"
               + (f" ({n_w} warning{'s' if n_w != 1 else ''})" if n_w else ""))


@main.command("summary")
@map_argument
@click.option("--stale-months", type=click.FloatRange(min=0), default=12, show_default=True,
              help="List ties not confirmed for more than this many months.")
@output_options()
def summary_cmd(path, stale_months, fmt, output, force):
    """Actors by kind and sector, ties by kind, components, density, isolates, stale ties.

    \b
    Example:
      influence summary area.xlsx --stale-months 18
    """
    m = load(path)
    frame = influence.summary(m, stale_months=stale_months)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path], index=False,
         title=f"{m!r}")


@main.command("convert")
@map_argument
@click.argument("out", metavar="OUT", type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def convert_cmd(path, out, force):
    """Convert a map between formats (.xlsx, .kumu.xlsx, CSV folder, .graphml, .gexf, .json).

    private_* columns are never written.

    \b
    Example:
      influence convert area.xlsx area.graphml
    """
    m = load(path)
    written = influence.write(m, out, force=force, inputs=[path])
    click.echo(f"Wrote {written} ({len(m.actors)} actors, {len(m.ties)} ties)", err=True)

# === datasets and UK reference data ==========================================================
# (demo, datasets, area)
@main.command("datasets")
@click.argument("name", required=False)
@click.option("--year", type=int, default=None, help="Snapshot of the demo area (2019 or 2023).")
@click.option("--save", "save", type=click.Path(dir_okay=True), default=None,
              help="Write dataset NAME as a map file (.xlsx, .graphml, .json or a folder).")
@output_options()
def datasets_cmd(name, year, save, fmt, output, force):
    """List the bundled datasets (source, licence, size), or save one as a map file.

    \b
    Examples:
      influence datasets
      influence datasets hollinford --year 2019 --save hollinford-2019.xlsx
    """
    from influence import datasets

    if name is None:
        if year is not None or save:
            raise click.UsageError("--year and --save need a dataset NAME.")
        emit(datasets.names(), fmt=fmt, output=output, force=force, index=False)
        return
    m = datasets.load(name, year=year)
    if save:
        click.echo(f"Wrote {m.write(save, force=force)}", err=True)
    else:
        emit(m.actors, fmt=fmt, output=output, force=force)

_AREA_TABLE = ["tier_class", "type_id", "code", "name", "share", "basis", "verify"]
_CATALOGUE_TABLE = {  # the columns shown on screen; --format csv/json/-o give every column
    "manifest": ["rows", "licence", "vintage", "verify"],
    "sources": ["title", "publisher", "licence", "verify"],
    "themes": ["theme_name", "examples"],
    "types": ["label", "category", "level", "statutory"],
    "power-matrix": ["theme_id", "holder_type_id", "tier_class", "role", "role_weight",
                     "statutory_basis", "verify"],
    "authorities": ["official_name", "la_type", "county_name", "strategic_authority_name"],
}


@main.command("area")
@click.argument("code", metavar="CODE")
@click.option("--as-at", "as_at", metavar="DATE",
              help="Review date YYYY-MM-DD (default today); ICBs change on 2026-04-01.")
@output_options()
def area_command(code, as_at, fmt, output, force):
    """Who holds power in a local authority area: CODE is a GSS code or a council's name.

    \b
    Example:
      influence area E07000062 --as-at 2026-04-01
      influence area "Hastings" -f csv -o hastings_bodies.csv

    Rows marked verify are derived or curated: check them before relying on them.
    """
    from influence import uk

    found = uk.area(code, as_at=as_at)
    table = not output and fmt in (None, "table")
    if table:
        click.echo(found.describe() + "\n")
    emit(found.bodies[_AREA_TABLE] if table else found.bodies.set_index("tier_class"),
         fmt=fmt, output=output, force=force, index=not table)
    if table:
        click.echo("\nNotes, vintages and source files: --format csv or -o FILE.")


@main.command("catalogue")
@click.argument("table", type=click.Choice(["manifest", *list(_CATALOGUE_TABLE)[1:], "notice"]),
                default="manifest")
@click.option("--theme", "themes", multiple=True, metavar="THEME",
              help="power-matrix only: keep these themes (and the 'all' rows). Repeatable.")
@output_options()
def catalogue_command(table, themes, fmt, output, force):
    """The UK reference catalogue: its files, citations, themes, types and power matrix.

    \b
    TABLE is one of:
      manifest      every data file: source, licence, vintage, rows, sha256 (default)
      sources       the citation register behind the power matrix
      themes        the priority themes
      types         the stakeholder types (actor kinds)
      power-matrix  who holds which power for each theme (--theme to filter)
      authorities   the English councils and their tiers
      notice        the attribution text (licences) to ship with any output

    \b
    Example:
      influence catalogue power-matrix --theme youth
    """
    from influence import uk

    if table == "notice":
        click.echo(uk.notice(), nl=False)
        return
    frame = {"manifest": uk.manifest, "sources": uk.sources, "themes": uk.themes,
             "types": uk.stakeholder_types, "authorities": uk.local_authorities,
             "power-matrix": lambda: uk.power_matrix(list(themes) or None)}[table]()
    if not output and fmt in (None, "table"):
        frame = frame[_CATALOGUE_TABLE[table]]
    if table == "power-matrix":
        frame = frame.set_index("theme_id")
    emit(frame, fmt=fmt, output=output, force=force)

# === analyses I ==============================================================================
# (centrality, spheres, civic-core, core-periphery)
@main.command("centrality")
@map_argument
@click.option("-m", "--measure", "measures", multiple=True, metavar="NAME",
              help="degree, betweenness, closeness, harmonic, eigenvector, pagerank, "
                   "core_number (repeatable; default all).")
@click.option("--raw", is_flag=True, help="Raw counts instead of networkx's normalisation.")
@click.option("--unweighted", is_flag=True, help="Ignore tie strength (every tie equal).")
@click.option("-k", "--sample", "k", type=click.IntRange(min=1), default=None,
              help="Estimate betweenness from this many sampled sources (large maps).")
@click.option("--seed", type=int, default=None, help="Seed for --sample.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run betweenness, closeness and harmonic on this Dask scheduler "
                   "(tcp://host:8786); needs pip install 'influence[dask]'.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Run them on this many local Dask worker processes instead.")
@output_options()
def centrality_cmd(path, measures, raw, unweighted, k, seed, scheduler, workers, fmt, output,
                   force):
    """Centrality of every actor (path measures use distance = 1/tie strength).

    \b
    Example:
      influence centrality area.xlsx -m betweenness -m degree -o centrality.csv
      influence centrality national.csv -m betweenness --scheduler tcp://hpc-login:8786
    """
    from influence.centrality import centrality

    if scheduler and workers:
        raise click.UsageError("Use --scheduler or --workers, not both.")
    frame = centrality(load(path), measures=list(measures) or None, normalized=not raw,
                       weight=None if unweighted else "strength", k=k, seed=seed,
                       scheduler=scheduler or workers)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("spheres")
@map_argument
@click.option("--focus", multiple=True, metavar="ID",
              help="Actor id or kind at the centre (repeatable; default: the partnership "
                   "and its members).")
@click.option("--steps", type=click.IntRange(min=0), default=None,
              help="Count only actors at most this many ties away.")
@click.option("--frontier", "show_frontier", is_flag=True,
              help="List the fewest introducers who bring outside actors one step closer.")
@output_options()
def spheres_cmd(path, focus, steps, show_frontier, fmt, output, force):
    """Spheres of influence: who we reach directly, through one introduction, or not at all.

    \b
    Example:
      influence spheres area.xlsx --focus partnership --frontier
    """
    from influence.spheres import frontier, spheres

    m, focus = load(path), (list(focus) or None)
    if show_frontier:
        frame = frontier(m, focus=focus, steps=1 if steps is None else steps)
    else:
        frame = spheres(m, focus=focus, steps=steps)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("civic-core")
@map_argument
@click.option("--share", default="2/3", show_default=True,
              help="Share of each total the core provides (a fraction such as 2/3 or 0.75).")
@click.option("--table", "which", default="people", show_default=True,
              type=click.Choice(["people", "dimensions", "groups", "many-roles"]),
              help="Which table to show.")
@output_options()
def civic_core_cmd(path, share, which, fmt, output, force):
    """The civic core: the few people who provide most of the hours, giving and participation.

    \b
    Example:
      influence civic-core area.xlsx --table groups
    """
    from fractions import Fraction

    from influence.civic import civic_core

    try:
        frac = Fraction(share)
    except (ValueError, ZeroDivisionError):
        frac = None
    if frac is None or not 0 < frac <= 1:
        raise click.BadParameter(f"{share!r} is not a fraction between 0 and 1 (e.g. 2/3 or "
                                 "0.75).", param_hint="--share")
    result = civic_core(load(path), share=frac)
    frame = {"people": result.people, "dimensions": result.dimensions,
             "groups": result.groups, "many-roles": result.many_roles}[which]
    if output or (fmt and fmt != "table"):
        click.echo(result.sentence, err=True)
        emit(frame, fmt=fmt, output=output, force=force, inputs=[path])
    else:
        emit(frame, title=result.sentence + "\n")


@main.command("core-periphery")
@map_argument
@click.option("--model", type=click.Choice(["discrete", "continuous"]), default="discrete",
              show_default=True, help="Core or not (discrete) or a coreness score (continuous).")
@click.option("--pattern", type=click.Choice(["core_block", "core_periphery_tie"]),
              default="core_block", show_default=True,
              help="Discrete ideal pattern (core_block is UCINET's default).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of random starts.")
@output_options()
def core_periphery_cmd(path, model, pattern, seed, fmt, output, force):
    """Borgatti-Everett core/periphery: the densely interconnected core of the map.

    \b
    Example:
      influence core-periphery area.xlsx --model continuous -o coreness.csv
    """
    from influence.coreperiphery import core_periphery

    result = core_periphery(load(path), model=model, pattern=pattern, seed=seed)
    note = f"Fit (Pearson correlation with the ideal pattern): {result.fit:.3f} ({result.method})"
    if output or (fmt and fmt != "table"):
        click.echo(note, err=True)
        emit(result.table, fmt=fmt, output=output, force=force, inputs=[path])
    else:
        emit(result.table, title=note)


# === analyses II =============================================================================
# (brokerage, structural-holes, gatekeepers, brokers)
def _split(values):
    """Repeatable options that also accept comma-separated lists."""
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


@main.command("brokerage")
@map_argument
@click.option("--by", required=True, metavar="ATTRIBUTE",
              help="Actor attribute whose groups define the roles: sub_area, sector, kind ...")
@click.option("--fractional", is_flag=True,
              help="Give each of k brokers of the same pair 1/k credit (UCINET option).")
@click.option("--unordered", is_flag=True,
              help="Undirected maps: count each open path once, not both ways (halves counts).")
@click.option("--min-strength", type=float, default=None, help="Ignore ties weaker than this.")
@output_options()
def brokerage_cmd(path, by, fractional, unordered, min_strength, fmt, output, force):
    """Gould-Fernandez brokerage roles and z-scores (as R sna), by a grouping.

    The five roles are coordinator, itinerant, representative, gatekeeper and liaison, each
    with its expected value and z-score computed as R's sna::brokerage.

    \b
    Example:
      influence brokerage area.xlsx --by sub_area -o roles.csv
    """
    from influence.brokerage import brokerage

    frame = brokerage(load(path), by=by, fractional=fractional, ordered=not unordered,
                      min_strength=min_strength)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("structural-holes")
@map_argument
@click.option("--scope", type=click.Choice(["network", "ego"]), default="network",
              show_default=True,
              help="Constraint normalised over whole network (Burt, networkx) or ego network "
                   "(UCINET).")
@click.option("--unweighted", is_flag=True, help="Ignore tie strength (every tie equal).")
@click.option("--min-strength", type=float, default=None, help="Ignore ties weaker than this.")
@output_options()
def structural_holes_cmd(path, scope, unweighted, min_strength, fmt, output, force):
    """Burt's structural holes: effective size, efficiency, constraint and hierarchy.

    \b
    Example:
      influence structural-holes area.xlsx --scope ego
    """
    from influence.holes import structural_holes

    frame = structural_holes(load(path), weight=None if unweighted else "strength", scope=scope,
                             min_strength=min_strength)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("gatekeepers")
@map_argument
@click.option("--community", multiple=True, metavar="ID|KIND",
              help="Where requests start: actor ids or kinds (repeatable or comma-separated; "
                   "default: the partnership and its members).")
@click.option("--institution", multiple=True, required=True, metavar="ID|KIND",
              help="Who they must reach, e.g. county_council (a kind includes its councillors "
                   "and officers).")
@click.option("--min-strength", type=float, default=None, help="Ignore ties weaker than this.")
@output_options()
def gatekeepers_cmd(path, community, institution, min_strength, fmt, output, force):
    """Access gatekeepers: who every route from a community to an institution passes through.

    \b
    Example:
      influence gatekeepers area.xlsx --community partnership --institution county_council
    """
    from influence.gatekeepers import gatekeepers

    result = gatekeepers(load(path), community=_split(community),
                         institution=_split(institution), min_strength=min_strength)
    text = "\n".join(result.sentences)
    if output or (fmt and fmt != "table"):
        if text:
            click.echo(text, err=True)
        emit(result.table, fmt=fmt, output=output, force=force, inputs=[path])
    else:
        emit(result.table, title=text + "\n" if text else None)


@main.command("brokers")
@map_argument
@click.option("--by", default="sub_area", show_default=True, metavar="ATTRIBUTE",
              help="Actor attribute whose groups are bridged: sub_area, sector, kind ...")
@click.option("--unweighted", is_flag=True, help="Ignore tie strength (every tie equal).")
@click.option("--min-strength", type=float, default=None, help="Ignore ties weaker than this.")
@output_options()
def brokers_cmd(path, by, unweighted, min_strength, fmt, output, force):
    """Who bridges the map's groups: brokerage roles, structural holes, betweenness.

    Each actor's main role is explained in words.

    \b
    Example:
      influence brokers area.xlsx --by sub_area
    """
    from influence.brokerage import brokers

    frame = brokers(load(path), by=by, weight=None if unweighted else "strength",
                    min_strength=min_strength)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


# === maps and figures ========================================================================
# (map, figure)
@main.command("map")
@map_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (one self-contained file that works offline).")
@click.option("--color-by", default="kind", show_default=True,
              help="Actor column that colours the actors (kind, sector, sub_area ...).")
@click.option("--size-by", default="influence", show_default=True,
              help="Actor column or centrality measure (degree, betweenness, pagerank ...).")
@click.option("--focus", multiple=True,
              help="Centre of the sphere layout: actor id or kind (repeatable; default the partnership).")
@click.option("--anonymise", is_flag=True, help="Replace residents' names with stable pseudonyms.")
@click.option("--salt", default=None, help="Secret that keys the pseudonyms (same salt, same names).")
@click.option("--title", default=None, help="Title shown at the top of the map.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def map_command(path, output, color_by, size_by, focus, anonymise, salt, title, force):
    """Write an interactive HTML map: search, filters, spheres, presentation mode.

    \b
    Example:
      influence map area.xlsx -o map.html --color-by sector --anonymise
    """
    from influence.html import to_html

    m = load(path)
    focus = (focus[0] if len(focus) == 1 else list(focus)) if focus else None
    to_html(m, path=output, color_by=color_by, size_by=size_by, focus=focus,
            anonymise=anonymise, salt=salt, title=title, force=force, inputs=[path])
    click.echo(f"Wrote {output}", err=True)


@main.command("figure")
@map_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Image file to write: .png, .svg or .pdf.")
@click.option("--view", type=click.Choice(["spheres", "map", "engagement"]), default="spheres",
              show_default=True, help="Which figure to draw.")
@click.option("--focus", multiple=True, help="Centre of the spheres (actor id or kind).")
@click.option("--color-by", default="kind", show_default=True, help="Actor column for colours.")
@click.option("--anonymise", is_flag=True, help="Replace residents' names with pseudonyms.")
@click.option("--salt", default=None, help="Secret that keys the pseudonyms.")
@click.option("--title", default=None, help="Figure title.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def figure_command(path, output, view, focus, color_by, anonymise, salt, title, force):
    """Write a static figure (PNG/SVG/PDF) for printed packs.

    \b
    Example:
      influence figure area.xlsx -o spheres.png --view spheres
    """
    from influence.figures import save_figure

    m = load(path)
    focus = (focus[0] if len(focus) == 1 else list(focus)) if focus else None
    save_figure(m, output, view=view, focus=focus, color_by=color_by, anonymise=anonymise,
                salt=salt, title=title, force=force, inputs=[path])
    click.echo(f"Wrote {output}", err=True)


# === review ==================================================================================
# (review, missing, engagement, compare)
def _review_options(f):
    f = click.option("--stale-months", type=click.FloatRange(min=0), default=12,
                     show_default=True, help="List ties not confirmed for this many months.")(f)
    f = click.option("--as-at", "as_at", metavar="DATE",
                     help="Review date YYYY-MM-DD (default today).")(f)
    f = click.option("--anonymise", is_flag=True,
                     help="Pseudonymise residents everywhere (report, map, tables).")(f)
    f = click.option("--salt", default=None, help="Secret that keys the pseudonyms.")(f)
    f = click.option("--profile", type=click.Path(exists=True, dir_okay=False),
                     help="CSV of the area's make-up: attribute,value,share.")(f)
    f = click.option("--priorities", metavar="THEMES",
                     help="Priority themes, most important first: health,youth,environment "
                          "(default: the partnership's themes).")(f)
    f = click.option("--area", metavar="CODE|NAME",
                     help="Local authority GSS code or name: resolve the real bodies.")(f)
    return f


def _write_review(r, output, force, inputs):
    written = r.write(output, force=force, inputs=inputs)
    gaps = r.tables["missing"]
    n = int((gaps["status"] != "connected").sum())
    from pathlib import Path

    report = Path(output) / "report.html"
    click.echo(f"Wrote {len(written)} files to {Path(output)}: open {report} "
               f"({n} gaps for {', '.join(r.priorities)}).", err=True)


@main.command("review")
@map_argument
@_review_options
@click.option("--previous", type=click.Path(exists=True),
              help="The map of the last review: adds 'what has changed'.")
@click.option("--focus", multiple=True, metavar="ID",
              help="Who 'we' are: actor id or kind (repeatable; default the partnership and "
                   "its members).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder to write the review into.")
@click.option("--force", is_flag=True, help="Replace the review files in OUTPUT.")
def review_cmd(path, area, priorities, profile, salt, anonymise, as_at, stale_months, previous,
               focus, output, force):
    """The sphere-of-influence review: report.html, map.html, review.xlsx and CSVs.

    \b
    Example:
      influence review area.xlsx --area "Hastings" --priorities health,youth -o review/
    """
    from influence.review import review

    m = load(path)
    old = load(previous) if previous else None
    r = review(m, area=area, priorities=priorities, previous=old, profile=profile,
               anonymise=anonymise, salt=salt, as_at=as_at, stale_months=stale_months,
               focus=list(focus) or None)
    _write_review(r, output, force, [path] + ([previous] if previous else []))


@main.command("demo")
@click.option("-o", "--output", default="review", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the review into.")
@click.option("--anonymise", is_flag=True, help="Pseudonymise residents everywhere.")
@click.option("--force", is_flag=True, help="Replace the review files in OUTPUT.")
def demo_cmd(output, anonymise, force):
    """The whole review on the bundled demo area (Hollinford 2023, compared with 2019).

    \b
    Example:
      influence demo -o review/
    """
    from influence import datasets
    from influence.review import review

    r = review(datasets.load("hollinford"), previous=datasets.load("hollinford", year=2019),
               anonymise=anonymise, as_at="2023-09-01",
               title="Sphere-of-influence review: Hollinford Big Local (demo), 2023")
    _write_review(r, output, force, [])


@main.command("missing")
@map_argument
@click.option("--priorities", metavar="THEMES", help="Priority themes: health,youth,...")
@click.option("--area", metavar="CODE|NAME", help="Local authority GSS code or name.")
@click.option("--as-at", "as_at", metavar="DATE", help="Review date YYYY-MM-DD.")
@click.option("--focus", multiple=True, metavar="ID", help="Centre of the sphere (repeatable).")
@click.option("--introducers", "show_introducers", is_flag=True,
              help="Show the shortest list of introducers instead.")
@output_options()
def missing_cmd(path, priorities, area, as_at, focus, show_introducers, fmt, output, force):
    """Who is missing: the power-holders for our priorities and how close we are to each.

    \b
    Example:
      influence missing area.xlsx --area E07000062 --priorities health,youth
    """
    from influence.missing import introductions, missing

    m = load(path)
    gaps = missing(m, priorities=priorities, area=area, as_at=as_at, focus=list(focus) or None)
    if show_introducers:
        emit(introductions(m, gaps), fmt=fmt, output=output, force=force, inputs=[path])
        return
    if not output and fmt in (None, "table"):
        gaps = gaps[["rank", "theme", "role", "body", "status", "actor", "path"]]
    emit(gaps, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("engagement")
@map_argument
@click.option("--focus", multiple=True, metavar="ID", help="Who 'we' are (repeatable).")
@output_options()
def engagement_cmd(path, focus, fmt, output, force):
    """Engagement grid: influence x stance, our tie and a suggested action per actor.

    \b
    Example:
      influence engagement area.xlsx -o engagement.csv
    """
    from influence.engagement import engagement

    frame = engagement(load(path), focus=list(focus) or None)
    if not output and fmt in (None, "table"):
        frame = frame[["name", "action", "evidence"]]
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("compare")
@click.argument("old", metavar="OLD", type=click.Path(exists=True))
@click.argument("new", metavar="NEW", type=click.Path(exists=True))
@click.option("--table", "which", default="actors", show_default=True,
              type=click.Choice(["actors", "ties", "spheres", "gaps", "centrality"]),
              help="Which table to show.")
@click.option("--focus", multiple=True, metavar="ID",
              help="Who 'we' are, for spheres and gaps (repeatable; default the partnership).")
@output_options()
def compare_cmd(old, new, which, focus, fmt, output, force):
    """What changed between two snapshots: actors, ties, spheres, gaps, centrality.

    \b
    Example:
      influence compare area-2019.xlsx area-2023.xlsx --table gaps
    """
    from influence.compare import compare

    c = compare(load(old), load(new), focus=list(focus) or None)
    frame = getattr(c, which)
    click.echo("\n".join(c.sentences) + "\n", err=bool(output or (fmt and fmt != "table")))
    emit(frame, fmt=fmt, output=output, force=force, inputs=[old, new])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
