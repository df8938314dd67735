"""The tutorial notebooks run from top to bottom (nbclient, kernel python3) and are committed
without outputs, exactly as ``notebooks/make_notebooks.py`` writes them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01_sphere_of_influence_review.ipynb", "02_researcher_tour.ipynb",
         "03_workshop_pack.ipynb"]
CELL_TIMEOUT_S = 180


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks",
                                                  NOTEBOOKS / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_clean_and_up_to_date(name):
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    with_outputs = [i for i, c in enumerate(nb.cells)
                    if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, f"{name}: cells {with_outputs} have outputs; commit it without"
    assert path.read_text(encoding="utf-8") == _generator().render(name), (
        f"{name} differs from notebooks/make_notebooks.py: edit the cells there and run "
        f"`python notebooks/make_notebooks.py`")


def test_notebooks_use_only_the_public_api():
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "from influence." not in code and "import influence." not in code, (
            f"{name} imports a private module: use `from influence import ...`")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, tmp_path):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{name} failed in a cell:\n{str(exc)[-3000:]}", pytrace=False)
