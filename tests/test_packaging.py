"""A non-editable install into a fresh virtualenv ships the datasets and the CLI.

Builds a wheel from a copy of the source tree (so nothing is written into the checkout) with the
running interpreter's pip, installs it with ``--no-deps`` into a fresh ``python -m venv`` whose
``.pth`` file lets it see the *running* environment's packages (so it works the same from the
system Python, from inside a virtualenv and in CI, and needs no download of the dependencies),
then runs the installed ``influence`` (and ``python -m influence``) from an unrelated directory.
The wheel holds the package only: the checkout's top-level ``cli.py`` is not installed (a
top-level module named ``cli`` would collide with any other package's ``cli``).

The wheel is built without build isolation when the running environment can build wheels itself
(setuptools >= 70.1, or the ``wheel`` package), and with build isolation otherwise (pip then
fetches the build requirements of ``pyproject.toml`` from the package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _can_build_wheels() -> bool:
    """Whether the running environment's setuptools can build a wheel without downloads."""
    code = ("import importlib.util as u, sys; "
            "sys.exit(0 if u.find_spec('wheel') or "
            "u.find_spec('setuptools.command.bdist_wheel') else 1)")
    return subprocess.run([sys.executable, "-c", code]).returncode == 0


def _visible_site_dirs() -> list[str]:
    """The running environment's package directories, as its interpreter sees them.

    Those on ``sys.path`` (a virtualenv's own, the base or system ones it was made to see,
    the user site, Debian's dist-packages), so the test venv sees what the suite sees.
    """
    dirs = [d for d in sys.path
            if Path(d).name in ("site-packages", "dist-packages") and os.path.isdir(d)]
    return list(dict.fromkeys(dirs))


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("pkg")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "notebooks",
        "benchmarks", ".venv*"))
    pip_env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip_env.pop("PYTHONPATH", None)
    wheels = base / "wheels"
    isolation = ["--no-build-isolation"] if _can_build_wheels() else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
                    "-w", str(wheels), str(src)], check=True, cwd=base, env=pip_env)
    shutil.rmtree(src)  # the installed copy must not depend on the source tree
    (wheel,) = wheels.glob("influence-*.whl")
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], check=True, capture_output=True,
                             text=True).stdout.strip()
    # Appended after the venv's own site-packages: the installed wheel wins over any other copy.
    lines = [f"import site; site.addsitedir({d!r})" for d in _visible_site_dirs()]
    Path(purelib, "zz_running_env.pth").write_text("\n".join(lines) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, cwd=base, env=pip_env)
    away = base / "elsewhere"
    away.mkdir()
    return env_dir, away


@pytest.fixture(scope="module")
def wheel(venv):
    """The wheel the venv was installed from."""
    (path,) = (venv[1].parent / "wheels").glob("influence-*.whl")
    return path


def test_wheel_has_the_package_only_and_its_console_script(wheel):
    import configparser
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = configparser.ConfigParser()
        scripts.read_string(z.read(entry_points).decode())
    top = sorted({n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")})
    assert top == ["influence"], top  # no top-level cli.py (or anything else) beside it
    assert "influence/cli.py" in names and "influence/__main__.py" in names
    assert dict(scripts["console_scripts"]) == {"influence": "influence.cli:main"}


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


def test_python_m_influence_in_the_venv(venv):
    env_dir, _ = venv
    py = str(env_dir / "bin" / "python")
    r = _run(venv, py, "-m", "influence", "--help")
    assert r.returncode == 0 and "Usage: python -m influence" in r.stdout, r.stderr
    assert "demo" in r.stdout and "review" in r.stdout


def test_app_assets_installed(venv):
    env_dir, _ = venv
    code = ("import importlib.resources as r; a = r.files('influence.app'); "
            "print(*[(a / d / f).is_file() for d, f in ["
            "('static', 'tabulator.min.js'), ('templates', 'base.html'), "
            "('static', 'workshop.js'), ('templates', 'workshop_projector.html')]])")
    r = _run(venv, str(env_dir / "bin" / "python"), "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True"] * 4
