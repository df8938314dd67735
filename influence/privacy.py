"""Privacy: stable pseudonyms for residents before a map is shared.

Residents and other private individuals (kinds in :data:`influence.schema.PERSON_KINDS` that are
not in :data:`influence.schema.OFFICE_HOLDER_KINDS`) get a pseudonym such as ``"Resident 7F3A"``
derived from a keyed hash of their id; public bodies and office-holders (councillors, officers,
MPs, mayors) keep their names, because their role is public. ``private_*`` columns are always
dropped.
"""

from __future__ import annotations

import hashlib

from .errors import InputError
from .schema import OFFICE_HOLDER_KINDS, PERSON_KINDS, PRIVATE_PREFIX

__all__ = ["anonymise", "pseudonyms", "is_private_person"]

#: Kinds whose members are pseudonymised.
PRIVATE_PERSON_KINDS = frozenset(PERSON_KINDS - OFFICE_HOLDER_KINDS)
_CANONICAL = ("name", "kind", "sector", "sub_area", "influence", "stance", "interest", "giving",
              "themes", "age_band", "org_code")


def is_private_person(kind) -> bool:
    """True for kinds that are pseudonymised (residents and other private individuals)."""
    return isinstance(kind, str) and kind in PRIVATE_PERSON_KINDS


def _digest(actor_id, salt, n_hex) -> str:
    key = ("" if salt is None else str(salt)).encode("utf-8")
    h = hashlib.blake2b(str(actor_id).encode("utf-8"), key=key[:64], digest_size=16)
    return h.hexdigest()[:n_hex].upper()


def pseudonyms(m, *, salt=None) -> dict:
    """The pseudonym of each private individual in the map: ``{id: "Resident 7F3A", ...}``.

    The pseudonym is the first four hex digits of a BLAKE2b hash of the id keyed with ``salt``,
    so it is the same in every output made with the same salt (and cannot be reversed by
    hashing a list of likely names when the salt is kept secret). Colliding pseudonyms are
    lengthened (six, eight ... digits) until every one is unique.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.privacy import pseudonyms
    >>> G = nx.Graph()
    >>> G.add_node("ann", kind="resident"); G.add_node("bob", kind="ward_councillor")
    >>> p = pseudonyms(G, salt="area-2024")
    >>> sorted(p) , p["ann"].startswith("Resident ")
    (['ann'], True)
    """
    actors = _actors(m)
    kinds = actors["kind"] if "kind" in actors else None
    if kinds is None:
        return {}
    ids = [i for i, k in zip(actors.index, kinds) if is_private_person(k)]
    kind_of = dict(zip(actors.index, kinds))
    out, n_hex, pending = {}, 4, ids
    while pending:
        codes = {i: _digest(i, salt, n_hex) for i in pending}
        taken = set(out.values())
        counts: dict[str, int] = {}
        for c in codes.values():
            counts[c] = counts.get(c, 0) + 1
        pending = []
        for i, c in codes.items():
            label = f"{'Resident' if kind_of[i] == 'resident' else 'Person'} {c}"
            if counts[c] > 1 or label in taken or n_hex >= 32:
                if n_hex >= 32:  # pragma: no cover - a full 128-bit collision
                    label = f"{label}-{len(out)}"
                else:
                    pending.append(i)
                    continue
            out[i] = label
        n_hex += 2
    return out


def anonymise(m, *, salt=None):
    """A copy of the map in which private individuals are pseudonymised.

    For every actor whose kind is a private individual (``resident``, ``person``, ``worker``,
    ``big_local_rep``): the id and the name become a stable pseudonym ("Resident 7F3A"), ties
    are rewritten to the new ids, custom (non-canonical) actor columns are blanked and the
    free-text ``notes`` of their ties are removed (they often name the person). Public bodies
    and office-holders keep their ids and names. ``private_*`` columns are dropped everywhere.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    salt : str, optional
        A secret that keys the hash. Without it pseudonyms are still stable, but anyone who
        guesses an id could recompute its pseudonym; pass the same salt to get the same
        pseudonyms in every output of a review.

    Returns
    -------
    InfluenceMap, or a networkx graph of the same type as ``m``.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.privacy import anonymise
    >>> G = nx.Graph()
    >>> G.add_node("ann", kind="resident", name="Ann Smith", private_phone="0123")
    >>> G.add_node("cllr", kind="ward_councillor", name="Cllr Jones")
    >>> G.add_edge("ann", "cllr")
    >>> H = anonymise(G, salt="s")
    >>> sorted(H.nodes(data="name"))[0][1].startswith("Resident "), H.nodes["cllr"]["name"]
    (True, 'Cllr Jones')
    >>> any("private_phone" in d for _, d in H.nodes(data=True))
    False

    References
    ----------
    .. [1] Information Commissioner's Office (2021). *Anonymisation, pseudonymisation and
       privacy enhancing technologies guidance*, ch. 3 (pseudonymisation with a keyed hash).
    .. [2] Aumasson, J.-P. et al. (2013). BLAKE2: simpler, smaller, fast as MD5. ACNS 2013.
    """
    from .model import InfluenceMap

    if isinstance(m, InfluenceMap):
        return _anonymise_map(m, salt)
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover
        raise
    if not isinstance(m, nx.Graph):
        raise InputError(f"Expected an InfluenceMap or a networkx graph, got {type(m).__name__}. "
                         "Fix: pass influence.read(path) or a networkx graph.")
    names = pseudonyms(m, salt=salt)
    H = m.__class__()
    H.graph.update({k: v for k, v in m.graph.items() if not str(k).startswith(PRIVATE_PREFIX)})
    for node, data in m.nodes(data=True):
        data = {k: v for k, v in data.items() if not str(k).startswith(PRIVATE_PREFIX)}
        if node in names:
            data = {k: v for k, v in data.items() if k in _CANONICAL}
            data["name"] = names[node]
        H.add_node(names.get(node, node), **data)
    for e in (m.edges(keys=True, data=True) if m.is_multigraph() else m.edges(data=True)):
        u, v, data = e[0], e[1], e[-1]
        data = {k: val for k, val in data.items() if not str(k).startswith(PRIVATE_PREFIX)}
        if u in names or v in names:
            data.pop("notes", None)
        H.add_edge(names.get(u, u), names.get(v, v), **data)
    return H


def _anonymise_map(m, salt):
    import pandas as pd

    m = m.public()
    names = pseudonyms(m, salt=salt)
    actors, ties = m.actors.copy(), m.ties.copy()
    if names:
        mask = actors.index.isin(list(names))
        for col in actors.columns:
            if col not in _CANONICAL:
                actors.loc[mask, col] = pd.NA if actors[col].dtype != object else None
        new_ids = [names.get(i, i) for i in actors.index]
        actors.loc[mask, "name"] = [names[i] for i in actors.index[mask]]
        actors.index = pd.Index(new_ids, dtype=actors.index.dtype, name=actors.index.name)
        if len(ties):
            touched = ties["source"].isin(list(names)) | ties["target"].isin(list(names))
            for col in ("source", "target"):
                ties[col] = ties[col].map(lambda x: names.get(x, x)).astype(m.ties[col].dtype)
            if "notes" in ties:
                ties.loc[touched, "notes"] = pd.NA
    return _rebuild(actors, ties, m)


def _rebuild(actors, ties, m):
    from .model import InfluenceMap

    return InfluenceMap(actors, ties, name=m.name, source=m.source, warnings=m.warnings)


def _actors(m):
    """The actors frame of a map or graph (kind and name at least)."""
    import pandas as pd

    from .model import InfluenceMap

    if isinstance(m, InfluenceMap):
        return m.actors
    nodes = list(m.nodes(data=True))
    frame = pd.DataFrame.from_records([dict(d) for _, d in nodes],
                                      index=pd.Index([n for n, _ in nodes], tupleize_cols=False))
    return frame
