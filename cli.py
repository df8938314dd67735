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

# === datasets and UK reference data ==========================================================
# (demo, datasets, area)

# === analyses I ==============================================================================
# (centrality, spheres, civic-core, core-periphery)

# === analyses II =============================================================================
# (brokerage, structural-holes, gatekeepers, brokers)

# === maps and figures ========================================================================
# (map, figure)

# === review ==================================================================================
# (review, missing, engagement, compare)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
