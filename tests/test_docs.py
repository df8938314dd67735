"""Documentation that stays true: CLI help texts, the README, and the public docstrings.

* every CLI command has help whose first line is a one-line summary, followed by an example
  (``influence <command> ...``), and is named in README.md as ``influence <command>``;
* every public name of :mod:`influence` has a docstring with a runnable Examples section, and
  every *analysis* also a References section (the list of analyses is explicit below);
* the README's example commands (shell lines starting with ``influence `` in its code blocks)
  run, in order, in one temporary folder, so files made by earlier steps (the tutorial's
  ``area.xlsx``) exist for later ones. A code block preceded by the line
  ``<!-- docs-test: skip -->`` is not run.
"""

from __future__ import annotations

import importlib
import re
import shlex
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import influence
from influence.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: Public names that are analyses: they need Examples and References.
ANALYSES = {
    "centrality", "spheres", "frontier", "civic_core", "core_periphery", "brokerage", "brokers",
    "structural_holes", "gatekeepers", "missing", "engagement", "leadership", "compare",
    "review", "communities", "ei_index", "assortativity", "ego", "brokerage_totals",
    "bonding_bridging",
        "follow_up", "suggest_actions", "brief", "invite", "legacy", "sphere_history",
}
#: Public names that are not analyses (reading, writing, building, drawing): Examples only.
NOT_ANALYSES = {
    "InfluenceMap", "read", "build", "from_networkx", "validate", "summary", "write", "template",
    "network", "to_html", "plot_spheres", "plot_map", "plot_engagement", "anonymise",
    "shareable", "share_review", "save_actions",
    "Store", "Result",
}
SKIP_MARK = "<!-- docs-test: skip -->"


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _code_blocks(text: str):
    """(language, body, skipped) of each fenced code block, in order."""
    pattern = re.compile(r"(?P<before>[^\n]*\n)?[ \t]*```(?P<lang>[\w+-]*)\n(?P<body>.*?)```",
                         re.S)
    for match in pattern.finditer(text):
        before = (match.group("before") or "").strip()
        yield match.group("lang"), match.group("body"), before == SKIP_MARK


def readme_commands():
    """The README's shell lines that start with ``influence ``, in order (skipped blocks out)."""
    return [line.strip() for lang, body, skipped in _code_blocks(_readme())
            if not skipped and lang in ("", "bash", "sh", "console", "shell")
            for line in body.splitlines() if line.strip().startswith("influence ")]


def _public(name):
    """The public object ``influence.<name>``, taken from its defining module."""
    return getattr(importlib.import_module(influence._LAZY[name]), name)


COMMANDS = sorted(main.commands)


# --- CLI help ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_summary_then_example(name):
    cmd = main.commands[name]
    text = (cmd.help or "").strip()
    assert text, f"`influence {name}` has no help text: add a docstring to its command in cli.py"
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    summary = paragraphs[0]
    assert "\n" not in summary, (
        f"`influence {name} --help` must start with a one-line summary, but its first paragraph "
        f"is {len(summary.splitlines())} lines: {summary!r}. Fix: shorten it to one line in "
        f"the command's docstring in cli.py (details go in later paragraphs)")
    example = re.search(r"^\s*Examples?:\s*\n\s*influence " + re.escape(name) + r"\b", text,
                        re.M)
    assert example, (
        f"`influence {name} --help` has no example: add an 'Example:' paragraph (after \\b) "
        f"with a line `influence {name} ...` to its docstring in cli.py")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_in_readme(name):
    assert f"influence {name}" in _readme(), (
        f"README.md does not mention `influence {name}`: add it, with one example, to the "
        f"'Every command' section")


def test_group_help_runs():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    for name in COMMANDS:
        assert name in result.output


# --- public docstrings ---------------------------------------------------------------------
def test_every_public_name_is_classified():
    unclassified = set(influence._LAZY) - ANALYSES - NOT_ANALYSES
    assert not unclassified, (
        f"public names {sorted(unclassified)} are in influence._LAZY but not in ANALYSES or "
        f"NOT_ANALYSES of tests/test_docs.py: add each to the right set")
    assert not (ANALYSES | NOT_ANALYSES) - set(influence._LAZY), "stale names in test_docs.py"


def _sections(doc: str) -> set[str]:
    """numpydoc section titles: a line followed by a line of dashes of the same length."""
    lines = [line.strip() for line in doc.splitlines()]
    return {a for a, b in zip(lines, lines[1:], strict=False) if a and b and set(b) == {"-"}
            and len(b) == len(a)}


@pytest.mark.parametrize("name", sorted(ANALYSES | NOT_ANALYSES))
def test_public_docstring(name):
    doc = _public(name).__doc__ or ""
    where = f"influence.{name} (in {influence._LAZY[name]})"
    assert doc.strip(), f"{where} has no docstring"
    sections = _sections(doc)
    assert "Examples" in sections, f"{where}: its docstring needs an 'Examples' section"
    examples = doc.split("Examples", 1)[1]
    assert ">>> " in examples, f"{where}: its Examples section has no runnable '>>>' line"
    if name in ANALYSES:
        assert "References" in sections, (
            f"{where} is an analysis: its docstring needs a 'References' section citing the "
            f"method")


def test_public_names_are_the_functions_even_after_submodules_load():
    """``influence.validate`` etc. must stay the functions once ``influence.validate`` (the
    module of the same name) has been imported by something else."""
    for module in sorted(set(influence._LAZY.values())):
        importlib.import_module(module)
    shadowed = [name for name in influence._LAZY
                if isinstance(getattr(influence, name), types.ModuleType)]
    assert not shadowed, (
        f"influence.{', influence.'.join(shadowed)} resolve to submodules, not the public "
        f"functions, once those submodules are imported. Fix: in influence/__init__.py stop "
        f"the import system from binding a submodule over a public name of the same name")


# --- the README's commands -----------------------------------------------------------------
def test_readme_lists_the_setup_commands():
    text = _readme()
    assert "python3 -m pip install . && influence demo -o demo-review/" in text
    assert "bash scripts/test.sh" in text


def test_readme_python_names_exist():
    """Every ``influence.X`` and ``from influence import ...`` name in the README exists."""
    text = _readme()
    names = set(re.findall(r"(?<![\w.-])influence\.([A-Za-z_]\w*)", text))  # not x.influence.db
    for imported in re.findall(r"from influence import ([\w, ]+)", text):
        names |= {n.strip() for n in imported.split(",") if n.strip()}
    missing = sorted(n for n in names if n not in influence.__all__
                     and not (ROOT / "influence" / f"{n}.py").exists()
                     and not (ROOT / "influence" / n).is_dir())
    assert not missing, f"README.md names influence.{missing} which do not exist"


def test_readme_commands_run(tmp_path, monkeypatch):
    commands = readme_commands()
    assert any(c.startswith("influence template area.xlsx") for c in commands)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    failures = []
    for line in commands:
        args = shlex.split(line, comments=True)[1:]
        result = runner.invoke(main, args)
        if result.exit_code != 0:
            err = result.exception if not isinstance(result.exception, SystemExit) else ""
            failures.append(f"README command `{line}` failed (exit {result.exit_code}): "
                            f"{result.output.strip()[-500:]} {err}")
    assert not failures, "\n".join(failures)
