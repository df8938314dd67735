"""A non-editable install into a fresh virtualenv ships the datasets and the CLI.

Builds from a copy of the source tree (so nothing is written into the checkout), installs with
``pip install --no-deps --no-build-isolation`` into ``python -m venv --system-site-packages``
(offline and fast: the dependencies come from the system site-packages), then runs the
installed ``influence`` from an unrelated directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("pkg")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "notebooks",
        "benchmarks", ".venv*"))
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)],
                   check=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", str(src)], check=True, cwd=base,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    shutil.rmtree(src)  # the installed copy must not depend on the source tree
    away = base / "elsewhere"
    away.mkdir()
    return env_dir, away


def _run(venv, *args):
    env_dir, away = venv
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(list(args), cwd=away, capture_output=True, text=True, env=env,
                          timeout=120)


def test_load_from_another_directory(venv):
    env_dir, _ = venv
    code = ("import influence, influence.datasets as d; "
            "print(influence.__file__); print(d.load('hollinford')); "
            "print(d.load('hollinford-2019')); print(d.load('karate')); "
            "print(d.path('hollinford'))")
    r = _run(venv, str(env_dir / "bin" / "python"), "-c", code)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(str(env_dir)), lines[0]  # the installed copy, not the checkout
    assert lines[1] == "<InfluenceMap hollinford-2023: 293 actors, 832 ties>"
    assert lines[2] == "<InfluenceMap hollinford-2019: 275 actors, 770 ties>"
    assert lines[3] == "<InfluenceMap karate: 34 actors, 78 ties>"
    assert lines[4].startswith(str(env_dir))


def test_cli_in_the_venv(venv):
    env_dir, _ = venv
    exe = str(env_dir / "bin" / "influence")
    r = _run(venv, exe, "--help")
    assert r.returncode == 0 and "Usage: influence" in r.stdout, r.stderr
    r = _run(venv, exe, "datasets", "-f", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("name,title,kind")
    assert "hollinford" in r.stdout and "southern_women" in r.stdout
    r = _run(venv, exe, "datasets", "nope")
    assert r.returncode == 1 and r.stderr.startswith("Error: Unknown dataset 'nope'")
