"""Centrality bigger than one machine: the path-based measures split by source over Dask.

Exact betweenness costs one shortest-path search per actor (about 0.5 s each at 1M actors on
one core: days in all), and closeness and harmonic centrality one per actor too. Each search is
independent, so ``influence.centrality(m, scheduler=...)`` (through :func:`by_sources`) splits
the actors (the *sources*) into chunks and sends the
chunks to the workers of a `dask.distributed <https://distributed.dask.org>`_ cluster:

* the graph (its edge arrays and distances, a few tens of MB at 1M actors) is sent to every
  worker **once** (``Client.scatter(..., broadcast=True)``); each worker builds its igraph
  graph from it once and keeps it for every chunk it runs;
* betweenness: each chunk runs igraph's ``betweenness(sources=chunk)``, and the chunks' arrays
  are summed (Brandes' dependencies add up over sources, so the sum is the exact value; with
  ``k`` sampled sources the sample is split the same way); closeness and harmonic: each chunk
  runs ``closeness(vertices=chunk)`` / ``harmonic_centrality(vertices=chunk)``;
* :func:`influence.centrality` then puts the results in networkx's conventions exactly as it
  does on one machine, so they equal the single-machine values (to rounding, ~1e-12 relative:
  the sums are added in another order). The other measures (degree, PageRank, eigenvector,
  core number) take seconds even at 1M actors and run here, on the calling machine.

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

__all__ = ["by_sources", "DISTRIBUTED_MEASURES", "DistributedError"]

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
            from ._igraph import from_arcs

            g = from_arcs(payload["n"], np.column_stack([payload["src"], payload["dst"]]),
                          directed=payload["directed"])
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
        # in a list, so that the payload is one piece of data under a key of its own (a dict
        # is scattered value by value, under its own keys: "src", "dst" ... every time)
        [data] = client.scatter([payload], broadcast=True, hash=False)
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


def by_sources(net, jobs, *, scheduler, distance, chunks=None):
    """Run path measures on a Dask cluster, split by source, and return every chunk's result.

    Parameters
    ----------
    net : influence.graph.Network
    jobs : dict
        ``{"betweenness" | "closeness" | "harmonic": positions}``: the sources (betweenness) or
        the vertices (closeness, harmonic) to run, each split into chunks.
    scheduler : distributed.Client, str or int
        A connected ``Client``; the address of a running scheduler (``"tcp://host:8786"``,
        connected to and closed for this call); or a number of local worker processes (a
        ``LocalCluster`` started and stopped for this call).
    distance : str or None
        ``"distance"`` to weight paths by 1/strength, None for hops.
    chunks : int, optional
        How many chunks of sources each measure is split into (default: four per worker
        thread, so a lost worker's share is spread over the others).

    Returns
    -------
    dict
        ``{measure: [array, ...]}``: igraph's raw values per chunk, in chunk order
        (betweenness: per-source sums to add up; closeness, harmonic: the chunks' vertices in
        order). :func:`influence.centrality` puts them in networkx's conventions.

    Raises
    ------
    influence.InputError
        dask/distributed are not installed, or ``scheduler`` is not one of the above.
    DistributedError
        The scheduler cannot be reached, or workers died more often than the cluster allows:
        no result is returned.

    Examples
    --------
    >>> import networkx as nx
    >>> import numpy as np
    >>> from distributed import Client, LocalCluster
    >>> from influence.graph import network
    >>> from influence.distributed import by_sources
    >>> net = network(nx.path_graph(["a", "b", "c"]))
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \\
    ...         Client(cluster) as client:
    ...     parts = by_sources(net, {"betweenness": np.arange(3)}, scheduler=client,
    ...                        distance=None, chunks=2)
    >>> np.sum(parts["betweenness"], axis=0).tolist()
    [0.0, 1.0, 0.0]

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology* 25(2), 163-177 (dependencies accumulate per source).
    .. [2] Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
       scheduling. *Proc. 14th Python in Science Conference*, 130-136.
    """
    client, close = _client(scheduler)
    try:
        if chunks is None:
            chunks = 4 * max(1, sum(client.nthreads().values()))
        return _run(client, net, distance, jobs, chunks=int(chunks))
    finally:
        close()
