"""Centrality bigger than one machine: the path-based measures split by source over Dask.

Exact betweenness costs one shortest-path search per actor (about 0.5 s each at 1M actors on
one core: days in all), and closeness and harmonic centrality one per actor too. Each search is
independent, so :func:`centrality` splits the actors (the *sources*) into chunks and sends the
chunks to the workers of a `dask.distributed <https://distributed.dask.org>`_ cluster:

* the graph (its edge arrays and distances, a few tens of MB at 1M actors) is sent to every
  worker **once** (``Client.scatter(..., broadcast=True)``); each worker builds its igraph
  graph from it once and keeps it for every chunk it runs;
* betweenness: each chunk runs igraph's ``betweenness(sources=chunk)``, and the chunks' arrays
  are summed (Brandes' dependencies add up over sources, so the sum is the exact value; with
  ``k`` sampled sources the sample is split the same way); closeness and harmonic: each chunk
  runs ``closeness(vertices=chunk)`` / ``harmonic_centrality(vertices=chunk)``;
* results are then put in networkx's conventions exactly as :func:`influence.centrality` does,
  so they equal the single-machine values (to rounding, ~1e-12 relative: the sums are added in
  another order). The other measures (degree, PageRank, eigenvector, core number) take
  seconds even at 1M actors and run here, on the calling machine.

A chunk whose worker dies is run again on another worker (Dask's own retry, up to
``distributed.scheduler.allowed-failures`` times); every chunk's result is checked in before
anything is summed, so a result is either complete or an :class:`~influence.InfluenceError`
saying what failed: never a silently partial sum.

``dask`` and ``distributed`` are optional (``pip install influence[dask]``) and imported only
here, only when a scheduler is given.
"""

from __future__ import annotations

import random
import threading

import numpy as np

from .errors import InfluenceError, InputError

__all__ = ["centrality", "DISTRIBUTED_MEASURES", "DistributedError"]

#: The measures split over the workers; the others are computed on the calling machine.
DISTRIBUTED_MEASURES = ("betweenness", "closeness", "harmonic")


class DistributedError(InfluenceError):
    """A distributed computation could not be completed (no result is returned)."""


# --- on the workers ----------------------------------------------------------------------------
_GRAPHS: dict = {}  # one igraph graph per scattered payload, per worker process
_LOCK = threading.Lock()


def _graph(payload):
    """The worker's igraph graph for a scattered payload (built on first use, then kept)."""
    key = payload["token"]
    with _LOCK:
        g = _GRAPHS.get(key)
        if g is None:
            from ._igraph import load

            ig = load()
            g = ig.Graph(n=payload["n"], directed=payload["directed"])
            if len(payload["src"]):
                g.add_edges(np.column_stack([payload["src"], payload["dst"]]))
            if payload["distance"] is not None:
                g.es["distance"] = payload["distance"]
            _GRAPHS.clear()  # one graph at a time: a new job frees the last one's memory
            _GRAPHS[key] = g
    return g


def _chunk(payload, measure, index, chunk):
    """Run one chunk of sources (betweenness) or vertices (closeness, harmonic)."""
    g = _graph(payload)
    w = None if payload["distance"] is None else "distance"
    chunk = chunk.tolist()
    if measure == "betweenness":
        out = g.betweenness(directed=True, weights=w, sources=chunk)
    elif measure == "closeness":
        out = g.closeness(vertices=chunk, mode="in", weights=w, normalized=False)
    else:
        out = g.harmonic_centrality(vertices=chunk, mode="in", weights=w, normalized=False)
    return measure, index, np.asarray(out, dtype=float)


# --- on the calling machine --------------------------------------------------------------------
def _client(scheduler):
    """A ``(client, close)`` pair for a Client, a scheduler address or a number of workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("Running on a Dask cluster needs the dask extra. Fix: pip install "
                         "'influence[dask]' (dask and distributed).") from None
    if isinstance(scheduler, Client):
        return scheduler, lambda: None
    if isinstance(scheduler, (int, np.integer)) and not isinstance(scheduler, bool):
        if scheduler < 1:
            raise InputError(f"workers={scheduler} is not a number of workers. Fix: use 1 or "
                             "more.")
        cluster = LocalCluster(n_workers=int(scheduler), threads_per_worker=1,
                               dashboard_address=":0", worker_dashboard_address=":0")
        client = Client(cluster)

        def close():
            client.close()
            cluster.close()
        return client, close
    if isinstance(scheduler, str) and scheduler.strip():
        try:
            client = Client(scheduler.strip())
        except (OSError, TimeoutError, ValueError) as exc:
            raise DistributedError(f"Cannot reach the Dask scheduler at {scheduler!r} ({exc}). "
                                   "Fix: check the address (tcp://host:8786) and that the "
                                   "scheduler is running.") from None
        return client, client.close
    raise InputError(f"scheduler={scheduler!r} is not a Dask Client, a scheduler address or a "
                     "number of local workers. Fix: pass e.g. 'tcp://host:8786', a "
                     "distributed.Client, or an integer.")


def _split(items, parts):
    items = np.asarray(items, dtype=np.int64)
    parts = max(1, min(parts, len(items)))
    return [c for c in np.array_split(items, parts) if len(c)]


def _run(client, net, w, jobs, *, chunks):
    """Submit every chunk, wait for all, and check that each came back exactly once."""
    from distributed import CancelledError, KilledWorker

    payload = {"token": f"influence-{id(net)}-{random.getrandbits(64):016x}", "n": net.n,
               "directed": bool(net.directed), "src": net.src, "dst": net.dst,
               "distance": None if w is None else 1.0 / np.asarray(net.strength, float)}
    try:
        data = client.scatter(payload, broadcast=True, hash=False)
        futures, expected = [], {}
        for measure, items in jobs.items():
            parts = _split(items, chunks)
            expected[measure] = len(parts)
            futures += [client.submit(_chunk, data, measure, i, c, pure=False)
                        for i, c in enumerate(parts)]
        results = client.gather(futures)
    except KilledWorker as exc:
        raise DistributedError(f"A Dask worker died while running the centrality ({exc}); no "
                               "result was kept. Fix: give the workers more memory (about 2 GB "
                               "per million actors) or run again.") from None
    except (CancelledError, OSError, TimeoutError) as exc:
        raise DistributedError(f"The Dask computation was interrupted ({type(exc).__name__}: "
                               f"{exc}); no result was kept. Fix: check the cluster and run "
                               "again.") from None
    out = {}
    for measure, n_parts in expected.items():
        got = sorted((i, arr) for m, i, arr in results if m == measure)
        if [i for i, _ in got] != list(range(n_parts)):  # never a partial sum
            raise DistributedError(f"{measure}: {len(got)} of {n_parts} chunks came back; no "
                                   "result was kept. Fix: run again.")
        out[measure] = [arr for _, arr in got]
    return out


def centrality(m, *, scheduler, measures=None, weight="strength", normalized=True, k=None,
               seed=None, chunks=None):
    """:func:`influence.centrality` with betweenness, closeness and harmonic run on Dask.

    Same parameters, conventions and result as :func:`influence.centrality` (the values equal
    the single-machine ones to ~1e-12), plus:

    Parameters
    ----------
    scheduler : distributed.Client, str or int
        A connected ``Client``; the address of a running scheduler (``"tcp://host:8786"``,
        connected to and closed for this call); or a number of local worker processes (a
        ``LocalCluster`` started and stopped for this call).
    chunks : int, optional
        How many chunks of sources each measure is split into (default: four per worker
        thread, so a lost worker's share is spread over the others).

    Raises
    ------
    influence.InputError
        dask/distributed are not installed, or ``scheduler`` is not one of the above.
    influence.distributed.DistributedError
        The scheduler cannot be reached, or workers died more often than the cluster allows:
        no result is returned.

    Examples
    --------
    >>> import networkx as nx
    >>> from distributed import Client, LocalCluster
    >>> from influence.distributed import centrality
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \\
    ...         Client(cluster) as client:
    ...     centrality(G, measures=["betweenness", "harmonic"], scheduler=client)
       kind name  betweenness  harmonic
    id
    a  <NA>    a          0.0       1.5
    b  <NA>    b          1.0       2.0
    c  <NA>    c          0.0       1.5

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology* 25(2), 163-177 (dependencies accumulate per source).
    .. [2] Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
       scheduling. *Proc. 14th Python in Science Conference*, 130-136.
    """
    from .centrality import (MEASURES, _distance, _measures, _nx_rescale, _zero_nan,
                             closeness_from_inverse)
    from .centrality import centrality as local_centrality
    from .graph import network

    wanted = _measures(measures)
    there = [x for x in DISTRIBUTED_MEASURES if x in wanted]
    if not there:
        return local_centrality(m, measures=sorted(wanted), weight=weight,
                                normalized=normalized)
    here = [x for x in MEASURES if x in wanted and x not in DISTRIBUTED_MEASURES]
    client, close = _client(scheduler)
    try:
        net = network(m, weight=weight)
        n = net.n
        if n == 0:
            return local_centrality(m, measures=sorted(wanted), weight=weight,
                                    normalized=normalized)
        w, unit = _distance(net)
        sources = None
        jobs = {}
        if "betweenness" in there:
            if k is None:
                jobs["betweenness"] = np.arange(n)
            else:
                if not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
                    raise InputError(f"k={k!r} sampled sources is not between 1 and the number "
                                     f"of actors ({n}). Fix: pass an integer k in that range, "
                                     "or leave k out for exact betweenness.")
                sample = random.Random(seed).sample(list(net.ids), int(k))
                sources = net.ids.get_indexer(sample)
                jobs["betweenness"] = sources
        for x in ("closeness", "harmonic"):
            if x in there:
                jobs[x] = np.arange(n)
        if chunks is None:
            chunks = 4 * max(1, sum(client.nthreads().values()))
        parts = _run(client, net, w, jobs, chunks=int(chunks))
    finally:
        close()
    frame = local_centrality(m, measures=here or ["degree"], weight=weight,
                             normalized=normalized)
    if not here:
        frame = frame.drop(columns=["degree", "in_degree", "out_degree"], errors="ignore")
    if "betweenness" in parts:
        raw = np.sum(parts["betweenness"], axis=0)
        total = raw if net.directed else 2.0 * raw
        frame["betweenness"] = _nx_rescale(total, n, normalized=normalized,
                                           directed=net.directed, sources=sources)
    if "closeness" in parts:
        frame["closeness"] = closeness_from_inverse(net, np.concatenate(parts["closeness"]),
                                                    unit, normalized)
    if "harmonic" in parts:
        frame["harmonic"] = _zero_nan(np.concatenate(parts["harmonic"])) / unit
    order = [c for x in MEASURES for c in ((x, "in_degree", "out_degree") if x == "degree"
                                           else (x,)) if c in frame.columns]
    return frame[["kind", "name"] + order]
