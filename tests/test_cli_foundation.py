"""The foundation commands (template, validate, summary, convert), tested with CliRunner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

import influence
from influence.cli import main

DATA = Path(__file__).parent / "data"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_validate_clean_and_with_warnings():
    r = run("validate", DATA / "good")
    assert r.exit_code == 0 and r.stdout == "OK: 5 actors, 4 ties\n"
    r = run("validate", DATA / "warnings")
    assert r.exit_code == 0 and r.stdout == "OK: 2 actors, 4 ties (4 warnings)\n"
    assert r.stderr.count("Warning: ") == 4


def test_validate_reports_every_problem_without_traceback():
    r = run("validate", DATA / "bad_endpoint")
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: 2 problems found:\n"
        '  - ties.csv, row 2, column "target": tie target is not an actor (value: \'bobb\'). '
        'Fix: add "bobb" to the actors, or correct the id (did you mean "bob"?)\n'
        '  - ties.csv, row 3, column "source": tie source is not an actor (value: \'carol\'). '
        'Fix: add "carol" to the actors, or correct the id\n')
    r = run("validate", DATA / "bad.xlsx")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.startswith('Error: 4 problems found:\n  - bad.xlsx, sheet "Actors", row 3')


def test_validate_as_csv_and_json(tmp_path):
    r = run("validate", DATA / "out_of_range", "--format", "csv")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "severity,file,sheet,row,column,value,message,fix"
    assert lines[1].startswith("error,actors.csv,,2,influence,7,influence must be between")
    assert len(lines) == 6
    r = run("validate", DATA / "good", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = run("validate", DATA / "warnings", "-o", tmp_path / "problems.xlsx")
    assert r.exit_code == 0 and (tmp_path / "problems.xlsx").exists()


def test_validate_unreadable_file(tmp_path):
    (tmp_path / "x.gexf").write_text("nonsense")
    r = run("validate", tmp_path / "x.gexf")
    assert r.exit_code == 1 and r.stderr.startswith("Error: 1 problem found:\n  - x.gexf: "
                                                    "Cannot read x.gexf as GEXF")


def test_template_then_validate(tmp_path):
    out = tmp_path / "area.xlsx"
    r = run("template", out)
    assert r.exit_code == 0 and out.exists()
    assert run("validate", out).stdout == "OK: 3 actors, 2 ties\n"
    r = run("template", out)
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {out} already exists. Fix: choose another name, or pass "
                        "--force to overwrite it.\n")
    assert run("template", out, "--force", "--no-examples").exit_code == 0


def test_summary_formats(tmp_path):
    r = run("summary", DATA / "good", "--stale-months", "1000", "--as-at", "2024-01-01")
    assert r.exit_code == 0
    assert r.stdout == (
        "good: 5 actors, 4 ties (as at 2024-01-01)\n"
        "  actors by kind: 2 Resident / individual, 1 Big Local partnership, 1 Ward councillor, "
        "1 Parish /\n    town council\n"
        "  actors by sector: 2 Community, 2 Public, 1 (no sector)\n"
        "  ties by kind: 1 chairs, 1 knows, 1 member of, 1 influences (1 directed, 1 never "
        "confirmed)\n"
        "  network: 2 components (largest: 4 actors), density 0.35, 1 isolate\n"
        "  isolates: Lone resident\n"
        "Stale ties: none confirmed over 1000 months before 2024-01-01\n")
    r = run("summary", DATA / "good", "-f", "csv")
    assert r.stdout.splitlines()[:2] == ["section,item,value", "actors,total,5"]
    r = run("summary", DATA / "good", "-f", "json")
    assert json.loads(r.stdout)[0] == {"section": "actors", "item": "total", "value": 5}
    r = run("summary", DATA / "good", "-o", tmp_path / "s.xlsx")
    assert r.exit_code == 0 and (tmp_path / "s.xlsx").exists()
    r = run("summary", DATA / "bad_values")
    assert r.exit_code == 1 and r.stderr.startswith("Error: 6 problems found:")
    r = run("summary", DATA / "good", "--stale-months", "-3")
    assert r.exit_code == 2


def test_convert(tmp_path):
    out = tmp_path / "area.graphml"
    r = run("convert", DATA / "good", out)
    assert r.exit_code == 0 and r.stderr == f"Wrote {out} (5 actors, 4 ties)\n"
    assert influence.read(out).equals(influence.read(DATA / "good"))
    assert run("convert", DATA / "good", out).exit_code == 1
    assert run("convert", DATA / "good", out, "--force").exit_code == 0
    r = run("convert", out, out, "--force")  # never over the input
    assert r.exit_code == 1 and "it is one of the inputs" in r.stderr
    r = run("convert", DATA / "good", tmp_path / "x.pdf")
    assert r.exit_code == 1 and "Unknown output format 'x.pdf'" in r.stderr


def test_convert_keeps_input_folder(tmp_path):
    src = tmp_path / "area"
    shutil.copytree(DATA / "good", src)
    r = run("convert", src, src, "--force")
    assert r.exit_code == 1 and "it is one of the inputs" in r.stderr


def test_console_script_and_python_cli():
    root = Path(__file__).resolve().parents[1]
    for entry in (["cli.py"], ["-m", "influence"]):  # a checkout's cli.py, and python -m
        r = subprocess.run([sys.executable, *entry, "--version"], cwd=root, capture_output=True,
                           text=True, check=True)
        assert r.stdout == f"influence, version {influence.__version__}\n"
    r = subprocess.run([sys.executable, "-c", "import influence.cli, sys; print(sorted(m for m in "
                        "sys.modules if m.split('.')[0] in {'pandas', 'networkx', 'igraph', "
                        "'matplotlib', 'pyvis', 'numpy', 'openpyxl', 'scipy'}))"],
                       cwd=root, capture_output=True, text=True, check=True)
    assert r.stdout == "[]\n"  # nothing heavy at startup


def test_only_the_edge_imports_click_and_nothing_imports_the_edge():
    """The library is click-free: only influence/cli.py and influence/app/ import click, and no
    module of the package imports influence.cli (counting function-local imports)."""
    import ast

    pkg = Path(influence.__file__).parent
    clicky, edge = [], []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                names = [base] + [f"{base}.{a.name}".replace("..", ".") for a in node.names]
            else:
                continue
            if rel != "cli.py" and not rel.startswith("app/") and any(
                    n == "click" or n.startswith("click.") for n in names):
                clicky.append(rel)
            if rel not in ("cli.py", "__main__.py") and any(
                    n.lstrip(".") in ("cli", "influence.cli") for n in names):
                edge.append(rel)
    assert clicky == [] and edge == []


def test_shared_options_say_the_same_everywhere():
    """Options that several commands share are declared once (influence/cli.py's decorators),
    so each has one help text on every command (--focus: one per meaning)."""
    from influence import cli

    helps = {}
    for name, cmd in main.commands.items():
        for p in cmd.params:
            if isinstance(p, click.Option):
                helps.setdefault(p.opts[-1], {}).setdefault(p.help, []).append(name)
    for opt in ("--min-strength", "--unweighted", "--seed", "--anonymise", "--area",
                "--priorities", "--table", "--salt", "--raw-csv", "--all-columns"):
        assert len(helps[opt]) == 1, (opt, helps[opt])
    assert set(helps["--focus"]) <= {f["help"] for f in cli._FOCUS.values()}
    assert sum(len(names) for names in helps["--focus"].values()) == 12
    assert sum(len(names) for names in helps["--min-strength"].values()) == 9
