"""The ``influence`` command line: a thin click layer over the library.

Each command loads a map, calls one library function and writes the result. Library errors
(:class:`influence.InfluenceError`) become ``click.ClickException``: "Error: ..." and exit 1,
never a traceback; any other error becomes a one-line "Error: ..." naming the command and its
files (the traceback only with ``influence --debug``). Heavy imports happen inside the commands
so ``influence --help`` is quick.

This is the package's edge: the ``influence`` console script, ``python -m influence`` and a
checkout's ``python cli.py`` all run :func:`main`. No library module imports it, and no module
of the package but this one and :mod:`influence.app` imports click. Options that several
commands share are declared once, by the decorators under "shared options".
"""

from __future__ import annotations

import sys

import click

import influence
from influence.errors import InfluenceError, for_cli

_DEBUG, _RAW_CSV, _ALL_COLUMNS = "influence.debug", "influence.raw_csv", "influence.all_columns"
#: Parameters that name a command's files (for the one-line message of an unexpected error).
_FILE_PARAMS = ("path", "old", "new", "previous", "profile", "out", "output", "save")


class _Command(click.Command):
    """A command whose errors are one clean line: library errors as they are, others named."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InfluenceError as exc:
            raise click.ClickException(exc.cli_message()) from None
        except (click.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except BrokenPipeError:  # the reader stopped early (| head): no message
            _quiet_stdout()
            ctx.exit(1)
        except Exception as exc:
            if ctx.meta.get(_DEBUG):
                raise
            raise click.ClickException(_unexpected(ctx, exc)) from None


def _unexpected(ctx, exc) -> str:
    """One line for an error that is not ours: the command, its files, the error, what to do."""
    files = [str(ctx.params[k]) for k in _FILE_PARAMS if ctx.params.get(k)]
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    what = what if len(what) <= 200 else what[:199] + "\u2026"
    where = f" on {' and '.join(files)}" if files else ""
    return (f"influence {ctx.info_name} stopped{where}: {type(exc).__name__}"
            f"{': ' + what if what else ''}. This is unexpected: run `influence --debug "
            f"{ctx.info_name} ...` to see the details, and please report it.")


def _quiet_stdout():
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class _Group(click.Group):
    """The ``influence`` group: every command is a :class:`_Command`."""

    command_class = _Command


def _set_meta(key):
    def callback(ctx, param, value):
        if value:
            ctx.meta[key] = True
        return value

    return callback


def raw_csv_option(f):
    """``--raw-csv``: write CSV text as it is (no ``'`` before = + - @)."""
    return click.option("--raw-csv", is_flag=True, expose_value=False,
                        callback=_set_meta(_RAW_CSV),
                        help="Write CSV text exactly as it is: no ' before text starting with "
                             "= + - @ (by default such text is guarded so that spreadsheets "
                             "do not run it as a formula).")(f)


def _safe_csv() -> bool:
    ctx = click.get_current_context(silent=True)
    return not (ctx and ctx.meta.get(_RAW_CSV))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(influence.__version__, prog_name="influence")
@click.option("--debug", is_flag=True, expose_value=False, callback=_set_meta(_DEBUG),
              help="Show the full traceback of an unexpected error.")
def main():
    """Community influence mapping: who is in our sphere of influence, and who is missing.

    \b
    Start here:
      influence demo -o review/          the whole review on the bundled demo area
      influence template area.xlsx       a blank workbook to fill in
      influence validate area.xlsx       check it, with every problem listed
    """
    from influence import _progress

    _progress.CLI = True  # progress notes name the command line's options


# --- shared options and helpers --------------------------------------------------------------
def map_argument(f):
    """The input map: a workbook, a folder of CSVs, GraphML, GEXF or node-link JSON."""
    return click.argument("path", metavar="FILE", type=click.Path(exists=True))(f)


def output_options(formats=("table", "csv", "json", "xlsx")):
    """``--format``, ``-o/--output`` and ``--force``, shared by every command writing a table."""

    def decorate(f):
        f = raw_csv_option(f)
        f = force_option()(f)
        f = output_file_option()(f)
        f = click.option("-f", "--format", "fmt", type=click.Choice(formats), default=None,
                         help="Output format (default: table on screen, or OUTPUT's extension).")(f)
        return f

    return decorate


def load(path):
    """Read a map; validation problems become a clean error listing all of them."""
    m = influence.read(path)
    for w in m.warnings:
        click.echo(f"Warning: {for_cli(str(w))}", err=True)
    return m


def emit(frame, *, fmt=None, output=None, force=False, inputs=(), title=None, index=True):
    """Print a DataFrame as a table (or CSV/JSON) or write it to OUTPUT atomically.

    CSV text is guarded against spreadsheet formulas unless ``--raw-csv`` was given.
    """
    import io

    from influence.output import frame_to_json, write_csv, write_table

    if output:
        fmt = fmt if fmt and fmt != "table" else None
        path = write_table(frame, output, fmt=fmt, force=force, inputs=inputs,
                           safe_csv=_safe_csv())
        click.echo(f"Wrote {path}", err=True)
        return
    fmt = fmt or "table"
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(frame, buf, safe=_safe_csv(), index=index, lineterminator="\n")
        click.echo(buf.getvalue(), nl=False)
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


def emit_records(frame, rows, *, fmt=None, output=None, force=False, inputs=(), title=None,
                 limit=20, more="", index=True):
    """A wide table: on screen one short entry per row (name: main finding, then the
    explanation), the first ``limit`` of them; every column with ``--all-columns``, a file
    (``-o``) or another ``--format``.

    ``rows`` yields ``(name, finding, explanation)`` for each row of ``frame``.
    """
    import textwrap

    ctx = click.get_current_context()
    if output or (fmt and fmt != "table") or ctx.meta.get(_ALL_COLUMNS):
        emit(frame, fmt=fmt, output=output, force=force, inputs=inputs, title=title,
             index=index)
        return
    if title:
        click.echo(title)
    rows = list(rows)
    if not rows:
        click.echo("(no rows)")
    for name, finding, explanation in rows[:limit]:
        click.echo(f"{name}: {finding}" if finding else str(name))
        if explanation:
            click.echo(textwrap.fill(str(explanation), 100, initial_indent="    ",
                                     subsequent_indent="    "))
    rest = len(rows) - limit
    tail = f"{rest} more. " if rest > 0 else ""
    click.echo(f"\n{tail}Every column{more}: --all-columns on screen, or -o FILE "
               "(.csv, .xlsx, .json).")


def permutation_options(help_text):
    """``--permutations N`` and ``--seed``, for every command with a permutation test."""
    def decorate(f):
        f = seed_option()(f)
        return click.option("--permutations", type=click.IntRange(min=0), default=0,
                            show_default=True, help=help_text)(f)
    return decorate


def salt_option(f):
    """``--salt``: the secret that keys the pseudonyms (one declaration for every command)."""
    return click.option("--salt", default=None,
                        help="Secret that keys the pseudonyms: the same salt gives the same "
                             "pseudonyms (default: a new random secret each run).")(f)


def all_columns_option(f):
    """``--all-columns``: show every column of a wide table on screen."""
    return click.option("--all-columns", is_flag=True, expose_value=False,
                        callback=_set_meta(_ALL_COLUMNS),
                        help="Show every column on screen (files and --format csv/json always "
                             "have every column).")(f)


def output_file_option(help="Write to this file (format from --format or the extension).", *,
                       required=False):
    """``-o/--output FILE``: the file a command writes; ``help`` says what the file is."""
    return click.option("-o", "--output", required=required, type=click.Path(dir_okay=False),
                        help=help)


def force_option(name="OUTPUT"):
    """``--force``: overwrite the file the command writes (``name``: how its help calls it)."""
    return click.option("--force", is_flag=True, help=f"Overwrite {name} if it exists.")


def review_output_options(default=None):
    """``-o/--output FOLDER``, ``--force`` and ``--raw-csv`` of the commands writing a review
    (``-o`` is required unless it has a ``default``)."""

    def decorate(f):
        f = raw_csv_option(f)
        f = click.option("--force", is_flag=True,
                         help="Replace OUTPUT if an earlier review wrote it (as a whole).")(f)
        return click.option("-o", "--output", default=default, required=default is None,
                            show_default=default is not None, type=click.Path(file_okay=False),
                            help="Folder to write the review into.")(f)

    return decorate


#: What ``--focus`` means, said once for every command: who "we" are (the centre of our
#: spheres), the egos of ``influence ego``, or the one person of ``influence sphere-history``.
_FOCUS = {
    "we": {"multiple": True, "metavar": "ID|KIND",
           "help": "Who 'we' are, at the centre of the spheres: an actor id or kind "
                   "(repeatable; default: the partnership and its members)."},
    "egos": {"multiple": True, "metavar": "ID",
             "help": "The egos: actor ids (repeatable or comma-separated; default: every "
                     "actor)."},
    "person": {"required": True, "metavar": "PERSON",
               "help": "The id of the person whose sphere to follow."},
}


def focus_option(of="we"):
    """``--focus``: who the command centres on; ``of`` is ``"we"``, ``"egos"`` or ``"person"``
    (see ``_FOCUS``). The person's focus is one id, passed as ``person``."""
    names = ("--focus", "person") if of == "person" else ("--focus",)
    return click.option(*names, **_FOCUS[of])


def min_strength_option(f):
    """``--min-strength``: leave out weak ties."""
    return click.option("--min-strength", type=float, default=None,
                        help="Ignore ties weaker than this.")(f)


def unweighted_option(f):
    """``--unweighted``: every tie counts the same."""
    return click.option("--unweighted", is_flag=True,
                        help="Ignore tie strength (every tie equal).")(f)


def seed_option(default=None):
    """``--seed``: the random seed (of the permutations, samples or random starts)."""
    return click.option("--seed", type=int, default=default, show_default=default is not None,
                        help="Random seed: the same seed gives the same result.")


def by_option(*, many=False, without=None):
    """``--by``: the actor attribute(s) whose values group the actors.

    ``many``: repeatable or comma-separated attributes. ``without``: what the command uses
    when ``--by`` is not given; without it, ``--by`` is required.
    """
    what = "Actor attributes (repeatable or comma-separated)" if many else "Actor attribute"
    default = f" (default: {without})." if without else ""
    return click.option("--by", multiple=many, required=without is None, metavar="ATTRIBUTE",
                        help=f"{what} whose values group the actors: sub_area, sector, kind ..."
                             f"{default}")


def table_option(*choices):
    """``--table``: which of the command's tables to show (the first choice by default)."""
    return click.option("--table", "which", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Which table to show.")


#: ``--as-at`` of the commands that judge staleness on a map's own date (a snapshot's).
_MAP_DATE = "the map's own date, if it has one, else today"


def as_at_option(default="today"):
    """``--as-at DATE``: the day the command judges on (``default``: which day without it)."""
    return click.option("--as-at", "as_at", metavar="DATE",
                        help=f"The date to judge on, YYYY-MM-DD (default: {default}).")


def area_option(f):
    """``--area``: a council's area, whose real bodies the command brings in."""
    return click.option("--area", metavar="CODE|NAME", default=None,
                        help="A council's area, by GSS code or name (see `influence catalogue "
                             "authorities`): brings in the real bodies that hold power "
                             "there.")(f)


def priorities_option(f):
    """``--priorities``: the partnership's priority themes."""
    return click.option("--priorities", metavar="THEMES",
                        help="Priority themes, most important first: health,youth,environment "
                             "(default: the partnership's themes).")(f)


def previous_option(*, snapshots=False):
    """``--previous``: the map of the last review (``snapshots``: a store's snapshot, which
    need not exist as a file, is accepted too)."""
    return click.option("--previous", type=click.Path(exists=not snapshots),
                        help="The map of the last review: its actions are followed up ('did "
                             "we?'), and a review says what has changed since."
                             + (" A store's snapshot is FILE.influence.db@NAME."
                                if snapshots else ""))


def anonymise_option(f):
    """``--anonymise``: pseudonyms for residents."""
    return click.option("--anonymise", is_flag=True,
                        help="Replace residents' names with pseudonyms everywhere.")(f)


# === foundation commands =====================================================================
# (template, validate, summary, convert)
@main.command("template")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False))
@force_option("FILE.xlsx")
@click.option("--no-examples", is_flag=True, help="Leave out the example rows.")
@area_option
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
@as_at_option(_MAP_DATE)
@output_options()
def summary_cmd(path, stale_months, as_at, fmt, output, force):
    """Actors by kind and sector, ties by kind, components, density, isolates, stale ties.

    \b
    Example:
      influence summary area.xlsx --stale-months 18
    """
    m = load(path)
    frame = influence.summary(m, stale_months=stale_months, today=as_at)
    if output or (fmt and fmt != "table"):
        emit(frame, fmt=fmt, output=output, force=force, inputs=[path], index=False)
        return
    from influence.summary import overview

    click.echo(overview(m, frame, stale_months=stale_months, today=as_at,
                        more="use -o stale.csv for every stale tie"))


@main.command("convert")
@map_argument
@click.argument("out", metavar="OUT", type=click.Path())
@force_option("OUT")
@raw_csv_option
def convert_cmd(path, out, force):
    """Convert a map between formats (.xlsx, .kumu.xlsx, CSV folder, .graphml, .gexf, .json).

    private_* columns are never written, except into a store (.influence.db: the partnership's
    working copy with its history, as used by `influence app`).

    \b
    Example:
      influence convert area.xlsx area.graphml
    """
    m = load(path)
    if m.actions is not None and str(out).lower().endswith((".graphml", ".gexf", ".json",
                                                            ".kumu.xlsx")):
        click.echo(f"Warning: the actions sheet of {path} is not written to {out} (only a "
                   "workbook or a folder of CSVs holds it).", err=True)
    written = influence.write(m, out, force=force, inputs=[path], safe_csv=_safe_csv())
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
        click.echo(f"Wrote {m.write(save, force=force, safe_csv=_safe_csv())}", err=True)
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
@as_at_option()
@output_options()
def area_command(code, as_at, fmt, output, force):
    """Who holds power in a local authority area: CODE is a GSS code or a council's name.

    \b
    Example:
      influence area E07000062 --as-at 2026-04-01
      influence area "Hastings" -f csv -o hastings_bodies.csv

    Rows marked verify are derived or curated: check them before relying on them. The bodies
    depend on the date (--as-at): ICBs change on 2026-04-01.
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
@unweighted_option
@click.option("-k", "--sample", "k", type=click.IntRange(min=1), default=None,
              help="Estimate betweenness from this many sampled sources (large maps).")
@seed_option()
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
@focus_option()
@click.option("--steps", type=click.IntRange(min=0), default=None,
              help="Count only actors at most this many ties away.")
@click.option("--frontier", "show_frontier", is_flag=True,
              help="List the fewest introducers who bring outside actors one step closer.")
@output_options()
@all_columns_option
def spheres_cmd(path, focus, steps, show_frontier, fmt, output, force):
    """Spheres of influence: who we reach directly, through one introduction, or not at all.

    \b
    Example:
      influence spheres area.xlsx --focus partnership --frontier
    """
    from influence.spheres import frontier, spheres

    m, focus = load(path), (list(focus) or None)
    if show_frontier:
        from influence.schema import display_label

        frame = frontier(m, focus=focus, steps=1 if steps is None else steps)
        names = m.actors["name"]

        def who(ids):
            return ", ".join(_text(names.get(i)) or str(i) for i in ids)

        rows = ((f"{r.rank}. {_text(r.name) or i} ({display_label('kind', r.kind)})",
                 f"introduces {r.introduces}", who(r.actors))
                for i, r in zip(frame.index, frame.itertuples(), strict=True))
        emit_records(frame, rows, fmt=fmt, output=output, force=force, inputs=[path],
                     more=" (ids of the actors introduced)")
        return
    else:
        frame = spheres(m, focus=focus, steps=steps)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("civic-core")
@map_argument
@click.option("--share", default="2/3", show_default=True,
              help="Share of each total the core provides (a fraction such as 2/3 or 0.75).")
@table_option("people", "dimensions", "groups", "many-roles")
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
@seed_option(0)
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
@by_option()
@click.option("--fractional", is_flag=True,
              help="Give each of k brokers of the same pair 1/k credit (UCINET option).")
@click.option("--unordered", is_flag=True,
              help="Undirected maps: count each open path once, not both ways (halves counts).")
@min_strength_option
@permutation_options("Add a permutation p-value per role (<role>_p): shuffle the groups N times.")
@output_options()
@all_columns_option
def brokerage_cmd(path, by, fractional, unordered, min_strength, permutations, seed, fmt, output,
                  force):
    """Gould-Fernandez brokerage roles and z-scores (as R sna), by a grouping.

    The five roles are coordinator, itinerant, representative, gatekeeper and liaison, each
    with its expected value and z-score computed as R's sna::brokerage.

    \b
    Example:
      influence brokerage area.xlsx --by sub_area -o roles.csv
    """
    from influence.brokerage import brokerage

    m = load(path)
    frame = brokerage(m, by=by, fractional=fractional, ordered=not unordered,
                      min_strength=min_strength, permutations=permutations, seed=seed)
    names = m.actors["name"]
    roles = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
    top = frame.sort_values("total", ascending=False, kind="stable")
    rows = ((f"{_text(names.get(i)) or i} ({_text(r.group)})",
             f"{r.total:g} brokered paths (z = {r.total_z:.1f})",
             ", ".join(f"{role} {getattr(r, role):g}" for role in roles))
            for i, r in zip(top.index, top.itertuples(), strict=True))
    emit_records(frame, rows, fmt=fmt, output=output, force=force, inputs=[path],
                 title="Most brokered paths first:",
                 more=" (expected values and z-scores of each role)")


@main.command("structural-holes")
@map_argument
@click.option("--scope", type=click.Choice(["network", "ego"]), default="network",
              show_default=True,
              help="Constraint normalised over whole network (Burt, networkx) or ego network "
                   "(UCINET).")
@unweighted_option
@min_strength_option
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
@min_strength_option
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
@by_option(without="the map's communities")
@unweighted_option
@min_strength_option
@output_options()
@all_columns_option
def brokers_cmd(path, by, unweighted, min_strength, fmt, output, force):
    """Who bridges the map's groups: brokerage roles, structural holes, betweenness.

    Each actor's main role is explained in words.

    \b
    Example:
      influence brokers area.xlsx --by sub_area
    """
    from influence.brokerage import brokers

    from influence.schema import display_label

    frame = brokers(load(path), by=by, weight=None if unweighted else "strength",
                    min_strength=min_strength)
    if by is None:
        click.echo(frame.attrs["groups"], err=True)
    rows = ((f"{_text(r.name) or i} ({display_label('kind', r.kind)})", r.main_role,
             r.explanation) for i, r in zip(frame.index, frame.itertuples(), strict=True))
    emit_records(frame, rows, fmt=fmt, output=output, force=force, inputs=[path],
                 more=" (role counts, z-scores, betweenness, constraint)")


# === maps and figures ========================================================================
# (map, figure)
@main.command("map")
@map_argument
@output_file_option("The HTML file to write (one self-contained file that works offline).",
                    required=True)
@click.option("--color-by", default="kind", show_default=True,
              help="Actor column that colours the actors (kind, sector, sub_area ...).")
@click.option("--size-by", default="influence", show_default=True,
              help="Actor column or centrality measure (degree, betweenness, pagerank ...).")
@focus_option()
@anonymise_option
@salt_option
@click.option("--title", default=None, help="Title shown at the top of the map.")
@click.option("--share", is_flag=True,
              help="Safe to circulate: no one's stance, influence or giving in the pop-ups; "
                   "office-holders by role.")
@force_option()
def map_command(path, output, color_by, size_by, focus, anonymise, salt, title, share, force):
    """Write an interactive HTML map: search, filters, spheres, presentation mode.

    \b
    Example:
      influence map area.xlsx -o map.html --color-by sector --anonymise
    """
    from influence.html import to_html

    m = load(path)
    focus = (focus[0] if len(focus) == 1 else list(focus)) if focus else None
    to_html(m, path=output, color_by=color_by, size_by=size_by, focus=focus,
            anonymise=anonymise, salt=salt, title=title, force=force, inputs=[path],
            share=share)
    click.echo(f"Wrote {output}", err=True)


@main.command("figure")
@map_argument
@output_file_option("Image file to write: .png, .svg or .pdf.", required=True)
@click.option("--view", type=click.Choice(["spheres", "map", "engagement"]), default="spheres",
              show_default=True, help="Which figure to draw.")
@focus_option()
@click.option("--color-by", default="kind", show_default=True, help="Actor column for colours.")
@anonymise_option
@salt_option
@click.option("--title", default=None, help="Figure title.")
@force_option()
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
    f = as_at_option(_MAP_DATE)(f)
    f = anonymise_option(f)
    f = salt_option(f)
    f = click.option("--profile", type=click.Path(exists=True, dir_okay=False),
                     help="CSV of the area's make-up: attribute,value,share.")(f)
    f = priorities_option(f)
    return area_option(f)


def _write_review(r, output, force, inputs):
    written = r.write(output, force=force, inputs=inputs, safe_csv=_safe_csv())
    gaps = r.tables["missing"]
    n = int((gaps["status"] != "connected").sum())
    from pathlib import Path

    from influence.schema import display_label

    report = Path(output) / "report.html"
    themes = "; ".join(display_label("themes", t) for t in r.priorities)
    click.echo(f"Wrote {len(written)} files to {Path(output)}: open {report} ({n} gaps for "
               f"{themes}). It is the partnership's working copy; circulate share.html.",
               err=True)


@main.command("review")
@map_argument
@_review_options
@previous_option(snapshots=True)
@focus_option()
@review_output_options()
@click.option("--save-actions", "save_actions", metavar="COPY.xlsx", type=click.Path(),
              help="Add the suggested actions to the actions sheet of a copy of FILE (FILE "
                   "itself only with --force).")
def review_cmd(path, area, priorities, profile, salt, anonymise, as_at, stale_months, previous,
               focus, output, force, save_actions):
    """The sphere-of-influence review: report.html, share.html, map.html, review.xlsx, CSVs.

    \b
    Example:
      influence review area.xlsx --area "Hastings" --priorities health,youth -o review/
    """
    from influence.review import review

    m = load(path)
    old = load(previous) if previous else None
    if save_actions:  # refuse before anything is written
        from influence.actions import check_target

        check_target(m, save_actions, force=force)
    r = review(m, area=area, priorities=priorities, previous=old, profile=profile,
               anonymise=anonymise, salt=salt, as_at=as_at, stale_months=stale_months,
               focus=list(focus) or None)
    _write_review(r, output, force, [path] + ([previous] if previous else []))
    if save_actions:
        _save_actions(m, r, save_actions, force)


@main.command("demo")
@review_output_options(default="review")
@anonymise_option
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
@priorities_option
@area_option
@as_at_option()
@focus_option()
@click.option("--introducers", "show_introducers", is_flag=True,
              help="Show the shortest list of introducers instead.")
@output_options()
@all_columns_option
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
    from influence.schema import display_label
    from influence.missing import ROLE_LABELS, STATUS_LABELS

    def explain(r):
        route = f" Route: {r.path}." if _text(r.path) else ""
        return f"{_text(r.function)}.{route}"

    rows = ((f"{r.rank}. {_text(r.body) or _text(r.holder_type)}",
             f"{display_label('themes', r.theme)}, {ROLE_LABELS.get(r.role, r.role)}: "
             f"{STATUS_LABELS.get(r.status, r.status)}", explain(r)) for r in gaps.itertuples())
    emit_records(gaps, rows, fmt=fmt, output=output, force=force, inputs=[path], limit=25,
                 more=" (actor, stance, introducers, basis, vintage, score)")


def _text(value) -> str:
    """A cell as text: '' for a missing value."""
    import pandas as pd

    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@main.command("engagement")
@map_argument
@focus_option()
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
@click.argument("old", metavar="OLD", type=click.Path())  # may be FILE.influence.db@SNAPSHOT
@click.argument("new", metavar="NEW", type=click.Path())
@table_option("actors", "ties", "spheres", "gaps", "centrality")
@focus_option()
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


# === analyses III ============================================================================
# (communities, ei-index, assortativity, ego, brokerage-totals, bonding)
def _with_sentence(frame, sentence, fmt, output, force, path):
    """Print the sentence above the table (to stderr when the table is data)."""
    if output or (fmt and fmt != "table"):
        click.echo(sentence, err=True)
        emit(frame, fmt=fmt, output=output, force=force, inputs=[path])
    else:
        emit(frame, title=sentence + "\n")


@main.command("communities")
@map_argument
@click.option("--method", type=click.Choice(["leiden", "louvain", "label_propagation"]),
              default="leiden", show_default=True, help="igraph community method.")
@click.option("--resolution", type=float, default=1.0, show_default=True,
              help="Modularity resolution: higher gives more, smaller communities.")
@seed_option(0)
@unweighted_option
@min_strength_option
@table_option("actors", "groups")
@output_options()
def communities_cmd(path, method, resolution, seed, unweighted, min_strength, which, fmt, output,
                    force):
    """Communities (Leiden, Louvain or label propagation, via igraph) and their modularity.

    \b
    Example:
      influence communities area.xlsx --method louvain --table groups
    """
    from influence.communities import communities

    c = communities(load(path), method=method, resolution=resolution, seed=seed,
                    weight=None if unweighted else "strength", min_strength=min_strength)
    frame = c.table if which == "actors" else c.groups
    _with_sentence(frame, c.sentence, fmt, output, force, path)


@main.command("ei-index")
@map_argument
@by_option()
@permutation_options("Shuffle the groups N times for permutation p-values.")
@click.option("--weighted", is_flag=True, help="Sum tie strengths instead of counting ties.")
@min_strength_option
@table_option("groups", "actors")
@output_options()
def ei_index_cmd(path, by, permutations, seed, weighted, min_strength, which, fmt, output, force):
    """Krackhardt-Stern E-I index: ties inside groups against ties between them.

    For the whole map (the sentence), each group and each actor, with the value expected
    from the group sizes and, with --permutations, UCINET's permutation p-value.

    \b
    Example:
      influence ei-index area.xlsx --by sub_area --permutations 1000 --seed 1
    """
    from influence.mixing import ei_index

    r = ei_index(load(path), by=by, permutations=permutations, seed=seed,
                 weight="strength" if weighted else None, min_strength=min_strength)
    _with_sentence(getattr(r, which), r.sentence, fmt, output, force, path)


@main.command("assortativity")
@map_argument
@by_option(many=True)
@min_strength_option
@output_options()
def assortativity_cmd(path, by, min_strength, fmt, output, force):
    """Attribute assortativity (nominal and numeric), as networkx: do like tie to like?

    \b
    Example:
      influence assortativity area.xlsx --by sector,kind,sub_area
    """
    from influence.mixing import assortativity

    frame = assortativity(load(path), by=_split(by), min_strength=min_strength)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("ego")
@map_argument
@focus_option("egos")
@click.option("--radius", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many steps out the ego network goes.")
@by_option(many=True, without="kind and sector only; they are always in the composition")
@min_strength_option
@table_option("egos", "composition", "alters")
@output_options()
def ego_cmd(path, focus, radius, by, min_strength, which, fmt, output, force):
    """Ego networks: size, ties, density, Burt's measures, composition with Blau and IQV.

    \b
    Example:
      influence ego area.xlsx --focus hbl --by sub_area --table composition
    """
    from influence.ego import ego

    e = ego(load(path), _split(focus), radius=radius, by=_split(by), min_strength=min_strength)
    frame = {"egos": e.table, "composition": e.composition, "alters": e.alters}[which]
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path], index=which == "egos")


@main.command("brokerage-totals")
@map_argument
@by_option()
@permutation_options("Shuffle the groups N times for permutation p-values.")
@click.option("--unordered", is_flag=True,
              help="Undirected maps: count each open path once, not both ways (halves counts).")
@min_strength_option
@output_options()
def brokerage_totals_cmd(path, by, permutations, seed, unordered, min_strength, fmt, output,
                         force):
    """Network-level brokerage: each role's total, expected value and z (as sna's z.gli).

    With --permutations, also the permutation p-value of each total: prefer it to z for
    small groups and sparse maps.

    \b
    Example:
      influence brokerage-totals area.xlsx --by sub_area --permutations 1000 --seed 1
    """
    from influence.brokerage_inference import brokerage_totals

    frame = brokerage_totals(load(path), by=by, permutations=permutations, seed=seed,
                             ordered=not unordered, min_strength=min_strength)
    emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("bonding")
@map_argument
@focus_option()
@permutation_options("Shuffle membership N times for a permutation p-value.")
@output_options()
def bonding_cmd(path, focus, permutations, seed, fmt, output, force):
    """Bonding and bridging: the partnership's ties among members against ties outside.

    \b
    Example:
      influence bonding area.xlsx
    """
    from influence.bonding import bonding_bridging

    b = bonding_bridging(load(path), focus=_split(focus), permutations=permutations, seed=seed)
    _with_sentence(b.members, "\n".join(b.sentences), fmt, output, force, path)


# === from review to action ===================================================================
# (actions, brief, invite, legacy, sphere-history)
def _say(lines, *, err=False):
    for line in lines:
        click.echo(line, err=err)


def _save_actions(m, r, target, force):
    """review --save-actions: add the suggested actions to a copy of the workbook."""
    from influence.actions import save_actions

    info = save_actions(m, target, r.tables["suggested_actions"], force=force)
    n, skipped = info["added"], info["skipped"]
    what = f"{n} suggested action{'s' if n != 1 else ''}" + (
        f" ({skipped} already on the sheet)" if skipped else "")
    if info["replaced"]:
        click.echo(f"Added {what} to the actions sheet of {info['path']} (--force: the file was "
                   "rewritten safely; everything else in it is as it was).", err=True)
    else:
        click.echo(f"Saved {what} to {info['path']}: a copy of {m.source} with the actions "
                   f"sheet; {m.source} is unchanged.", err=True)


@main.command("actions")
@map_argument
@previous_option()
@as_at_option()
@output_options()
def actions_cmd(path, previous, as_at, fmt, output, force):
    """What we said we'd do (the actions sheet), checked against the map.

    \b
    Example:
      influence actions area-2023.xlsx --previous area-2019.xlsx
    """
    from influence.actions import follow_up, sentences_of

    m = load(path)
    old = load(previous) if previous else None
    f = follow_up(m, previous=old, as_at=as_at)
    if not len(f):
        raise click.ClickException(f"{path} has no actions sheet"
                                   + (f" and neither has {previous}" if previous else "")
                                   + ". Fix: add a sheet named actions (see influence template),"
                                   " or accept the review's suggestions with "
                                   "influence review FILE -o review/ --save-actions COPY.xlsx.")
    table = not output and fmt in (None, "table")
    _say(sentences_of(f), err=not table)
    if not table:
        emit(f, fmt=fmt, output=output, force=force, inputs=[path], index=False)


@main.command("brief")
@map_argument
@click.option("--body", required=True, metavar="ID",
              help="The id of the body to meet (council, ICB, police, developer ...).")
@priorities_option
@previous_option()
@as_at_option()
@output_file_option("The HTML page to write (default: brief-ID.html).")
@force_option()
def brief_cmd(path, body, priorities, previous, as_at, output, force):
    """A one-page meeting brief for a body: duties, who we know, notes, actions, who goes.

    --as-at is the meeting date: it dates the open actions.

    \b
    Example:
      influence brief area.xlsx --body westshire_icb -o icb-brief.html
    """
    from influence.brief import brief

    m = load(path)
    old = load(previous) if previous else None
    b = brief(m, body, priorities=priorities, as_at=as_at, previous=old)
    out = b.write(output or f"brief-{b.body}.html", force=force,
                  inputs=[path] + ([previous] if previous else []))
    click.echo(f"Wrote {out}: the meeting brief for {b.name} (print it on one or two pages).",
               err=True)


@main.command("invite")
@map_argument
@click.option("--theme", metavar="THEME", help="People who care about this theme (e.g. youth).")
@click.option("--sub-area", "sub_area", metavar="NAME", help="People who live in this sub-area.")
@focus_option()
@output_options()
def invite_cmd(path, theme, sub_area, focus, fmt, output, force):
    """Who to invite: people beyond the partnership and its civic core, one introduction away.

    \b
    Example:
      influence invite area.xlsx --theme youth --sub-area "Copley Green"
    """
    from influence.invite import invite, sentence

    f = invite(load(path), theme=theme, sub_area=sub_area, focus=list(focus) or None)
    table = not output and fmt in (None, "table")
    click.echo(sentence(f), err=not table)
    if table:
        f = f[["name", "sub_area", "how"]]
    emit(f, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("legacy")
@map_argument
@focus_option()
@click.option("--all", "show_all", is_flag=True,
              help="List every relationship with a power-holder, not only those at risk.")
@output_options()
def legacy_cmd(path, focus, show_all, fmt, output, force):
    """Relationships with power-holders that hang on one person, the worker, or no one.

    \b
    Example:
      influence legacy area.xlsx
    """
    from influence.legacy import review_section

    tables, sentences = {}, {}
    review_section(load(path), tables, sentences, focus=list(focus) or None)
    frame = tables["legacy"] if show_all else tables["legacy"].dropna(subset=["risk"])
    table = not output and fmt in (None, "table")
    _say(sentences["legacy"], err=not table)
    if not table:
        emit(frame, fmt=fmt, output=output, force=force, inputs=[path])


@main.command("sphere-history")
@click.argument("paths", metavar="FILE...", nargs=-1, required=True,
                type=click.Path(exists=True))
@focus_option("person")
@output_options()
def sphere_history_cmd(paths, person, fmt, output, force):
    """One person's sphere over time, oldest snapshot first, in words about the person.

    \b
    Example:
      influence sphere-history area-2019.xlsx area-2023.xlsx --focus margaret_hale
    """
    from influence.history import sphere_history

    h = sphere_history([load(p) for p in paths], person=person)
    table = not output and fmt in (None, "table")
    _say(h.attrs["sentences"], err=not table)
    if not table:
        h.attrs = {}
        emit(h, fmt=fmt, output=output, force=force, inputs=list(paths))


# === the app =================================================================================
def _store_beside(path):
    """``FILE.influence.db`` next to the map at ``path``, and whether it was imported now (a
    store already there is opened as it is)."""
    from influence.store import Store

    store = path.with_name(path.name[:-len(path.suffix)] + ".influence.db")
    if store.exists():
        return store, False
    m = load(path)
    Store.create(store, m).close()
    click.echo(f"Imported {path.name} into {store} ({len(m.actors)} actors, {len(m.ties)} ties).",
               err=True)
    return store, True


@main.command("app")
@click.argument("path", metavar="[FILE]", required=False, type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this computer needs the access token "
                   "printed at start.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def app_cmd(path, host, port, no_browser):
    """Open the map in your browser: edit it, review it, keep its history (Ctrl-C stops).

    FILE is a store (.influence.db: opened, or created when missing) or a map in any other
    format (a workbook ...), which is imported into FILE.influence.db next to it.

    \b
    Example:
      influence app area.xlsx          imports into area.influence.db and opens it
    """
    from pathlib import Path

    from influence.app import serve
    from influence.store import is_store_path

    path = Path(path or "map.influence.db")
    if not is_store_path(path):
        if not path.exists():
            raise click.ClickException(f"{path} does not exist. Fix: check the path, or name a "
                                       "new .influence.db file to start an empty map.")
        store, imported = _store_beside(path)
        if not imported:
            click.echo(f"Opening {store} (it already exists; use the Import page to bring in "
                       f"changes from {path.name}).", err=True)
        path = store
    elif not path.exists():
        click.echo(f"Creating an empty map in {path}.", err=True)
    serve(path, host=host, port=port, open_browser=not no_browser,
          echo=lambda text: click.echo(text, err=True))



# === the workshop ============================================================================
@main.command("workshop")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--new", "new", is_flag=True,
              help="Start FILE (a new .influence.db) from the real bodies of --area.")
@area_option
@click.option("--lan", is_flag=True,
              help="Let phones on this network (the hall's Wi-Fi) join; default: this "
                   "computer only.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
def workshop_cmd(path, new, area, lan, port, no_browser):
    """Run a live mapping workshop: the room adds to the map from its phones (Ctrl-C stops).

    FILE is a store (.influence.db) or a workbook (imported into FILE.influence.db next to
    it). Prints the projector, facilitator and participant addresses.

    \b
    Examples:
      influence workshop area.influence.db --lan
      influence workshop hall.influence.db --new --area E07000062
    """
    import tempfile
    from pathlib import Path

    from influence.app.workshop_server import serve
    from influence.store import Store, is_store_path

    path = Path(path)
    if new:
        if not area:
            raise click.UsageError("--new needs --area CODE (the council's GSS code or name).")
        if not is_store_path(path):
            raise click.UsageError(f"With --new, FILE is the store to create; name it e.g. "
                                   f"{path.stem}.influence.db.")
        if path.exists():
            raise click.ClickException(f"{path} already exists. Fix: open it without --new, or "
                                       "name a new file.")
        with tempfile.TemporaryDirectory() as tmp:
            m = influence.read(influence.template(Path(tmp) / "area.xlsx", area=area))
        Store.create(path, m).close()
        click.echo(f"Started {path} with {len(m.actors)} bodies and roles of {area}.", err=True)
    elif area:
        raise click.UsageError("--area goes with --new.")
    elif not is_store_path(path):
        if not path.exists():
            raise click.ClickException(f"{path} does not exist. Fix: check the path, or start "
                                       "a new map with --new --area CODE.")
        path, _ = _store_beside(path)
    elif not path.exists():
        raise click.ClickException(f"{path} does not exist. Fix: check the path, or start a new "
                                   "map with --new --area CODE.")
    serve(path, lan=lan, port=port, open_browser=not no_browser,
          echo=lambda text: click.echo(text, err=True))

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
