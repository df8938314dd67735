"""influence._igraph: graph analyses do not import matplotlib; igraph itself still works."""

import subprocess
import sys
import textwrap


def _run(code):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_analysis_does_not_import_matplotlib():
    out = _run("""
        import sys
        import influence
        m = influence.datasets.synthetic(actors=300, seed=1)
        c = influence.centrality(m)
        assert len(c) == len(m.actors) and c["betweenness"].notna().all()
        assert "igraph" in sys.modules
        print(sorted(k for k in sys.modules if k.split(".")[0] == "matplotlib"))
    """)
    assert out == "[]"


def test_matplotlib_still_imports_normally_afterwards():
    out = _run("""
        import sys
        from influence._igraph import load
        ig = load()
        assert "matplotlib" not in sys.modules
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        print(type(plt.gcf()).__name__, ig.Graph.Ring(5).betweenness())
    """)
    assert out == "Figure [1.0, 1.0, 1.0, 1.0, 1.0]"


def test_igraph_imported_as_usual_when_matplotlib_is_already_loaded():
    out = _run("""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from influence._igraph import load
        ig = load()
        from igraph.drawing.matplotlib.graph import GraphArtist
        print(issubclass(GraphArtist, matplotlib.artist.Artist))
    """)
    assert out == "True"
