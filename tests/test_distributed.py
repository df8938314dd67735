"""influence.distributed: centrality split by source over a real dask.distributed cluster."""

import threading

import numpy as np
import pytest

import influence
from influence.errors import InputError

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402

from influence import distributed as dist  # noqa: E402

PATH = ["betweenness", "closeness", "harmonic"]
QUIET = {"dashboard_address": ":0", "worker_dashboard_address": ":0"}  # any free port


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  **QUIET) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def maps():
    d = influence.datasets.synthetic(actors=400, seed=5)  # some ties one-way
    ties = d.ties.copy()
    ties["directed"] = False
    und = influence.build(actors=d.actors.reset_index(), ties=ties)
    assert d.ties["directed"].any() and not influence.network(und).directed
    return {"undirected": und, "directed": d}


def _close(a, b, tol=1e-9):
    assert list(a.columns) == list(b.columns)
    assert a.index.equals(b.index)
    for c in a.columns[2:]:
        x, y = a[c].to_numpy(float), b[c].to_numpy(float)
        scale = max(1.0, np.nanmax(np.abs(x)))  # raw counts: relative
        assert np.allclose(x, y, rtol=0, atol=tol * scale, equal_nan=True), c


@pytest.mark.parametrize("kind", ["undirected", "directed"])
@pytest.mark.parametrize("opts", [{}, {"normalized": False}, {"k": 40, "seed": 7},
                                  {"weight": None}, {"k": 1, "seed": 2}])
def test_equals_single_machine(client, maps, kind, opts):
    m = maps[kind]
    measures = PATH + ["degree", "pagerank"]
    here = influence.centrality(m, measures=measures, **opts)
    there = influence.centrality(m, measures=measures, scheduler=client, **opts)
    _close(here, there)
    if opts.get("k", 2) > 1:
        assert there["betweenness"].abs().sum() > 0


def test_scheduler_address_and_chunks(client, maps):
    m = maps["undirected"]
    here = influence.centrality(m, measures=["betweenness"])
    there = influence.centrality(m, measures=["betweenness"], chunks=3,
                                   scheduler=client.scheduler.address)
    _close(here, there)


def test_two_maps_at_once_on_one_client_each_get_their_own_graph(client, maps):
    """Two computations sharing a client never see each other's graph: each scattered graph
    has a key of its own (a dict scattered as it is would be stored under "src", "dst" ...,
    the same keys every time, so one job could read the other's ties)."""
    jobs = {kind: influence.centrality(maps[kind], measures=["betweenness"]) for kind in maps}
    got, errors = {}, []

    def run(kind):
        try:
            for _ in range(3):
                got.setdefault(kind, []).append(
                    influence.centrality(maps[kind], measures=["betweenness"], chunks=4,
                                         scheduler=client))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(kind,)) for kind in maps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for kind, results in got.items():
        assert len(results) == 3
        for there in results:
            _close(jobs[kind], there)


def test_no_path_measure_runs_locally(maps):
    m = maps["undirected"]
    out = influence.centrality(m, measures=["degree", "core_number"], scheduler="not used")
    assert list(out.columns) == ["kind", "name", "degree", "core_number"]


def test_bad_scheduler_and_k(client, maps):
    with pytest.raises(InputError, match="not a Dask Client, a scheduler address"):
        influence.centrality(maps["undirected"], measures=["betweenness"], scheduler=[1])
    with pytest.raises(InputError, match="k=0 sampled sources"):
        influence.centrality(maps["undirected"], measures=["betweenness"], k=0, scheduler=client)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(dist.DistributedError, match="Cannot reach the Dask scheduler at "
                          "'tcp://127.0.0.1:1'"):
        influence.centrality(maps["undirected"], measures=["betweenness"],
                             scheduler="tcp://127.0.0.1:1")


_KILL = {}  # module level: the tasks are pickled (by reference) even in-process


def _blocking_chunk(payload, measure, index, items):
    """The first chunk blocks until the worker running it has been closed."""
    if not _KILL["started"].is_set():
        _KILL["worker"] = distributed.get_worker()
        _KILL["started"].set()
        _KILL["release"].wait(20)
    return _KILL["real"](payload, measure, index, items)


def _kill_first_worker(monkeypatch, cluster):
    _KILL.update(started=threading.Event(), release=threading.Event(), real=dist._chunk)
    monkeypatch.setattr(dist, "_chunk", _blocking_chunk)

    def killer():
        _KILL["started"].wait(60)
        cluster.sync(_KILL["worker"].close, executor_wait=False)
        _KILL["release"].set()

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    return t


def test_worker_killed_mid_run_is_retried(monkeypatch, maps):
    m = maps["undirected"]
    here = influence.centrality(m, measures=PATH)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  **QUIET) as cluster, \
            distributed.Client(cluster) as c:
        t = _kill_first_worker(monkeypatch, cluster)
        there = influence.centrality(m, measures=PATH, scheduler=c)
        t.join(30)
        assert len(c.scheduler_info()["workers"]) == 1  # one worker really died
    _close(here, there)


def test_worker_killed_without_retries_is_a_clear_error(monkeypatch, maps):
    m = maps["undirected"]
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                     **QUIET) as cluster, \
            distributed.Client(cluster) as c:
        t = _kill_first_worker(monkeypatch, cluster)
        with pytest.raises(dist.DistributedError, match="A Dask worker died while running the "
                           "centrality .*no result was kept"):
            influence.centrality(m, measures=["betweenness"], scheduler=c)
        t.join(30)


def _cli_frame(result):
    import io

    import pandas as pd

    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.output), index_col="id")


def test_cli_scheduler_and_workers(client, maps, tmp_path):
    from click.testing import CliRunner

    from influence import cli

    m = maps["undirected"]
    influence.write(m, tmp_path / "map")
    runner = CliRunner()
    args = ["centrality", str(tmp_path / "map"), "-m", "betweenness", "-m", "harmonic",
            "--format", "csv"]
    here = _cli_frame(runner.invoke(cli.main, args))
    there = _cli_frame(runner.invoke(cli.main, args + ["--scheduler",
                                                       client.scheduler.address]))
    local = _cli_frame(runner.invoke(cli.main, args + ["--workers", "1"]))
    for frame in (there, local):
        assert np.allclose(frame[["betweenness", "harmonic"]], here[["betweenness", "harmonic"]],
                           rtol=0, atol=1e-9)
    both = runner.invoke(cli.main, args + ["--workers", "1", "--scheduler", "tcp://x:1"])
    assert both.exit_code == 2 and "Use --scheduler or --workers, not both." in both.output
