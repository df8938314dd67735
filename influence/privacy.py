"""Privacy: one rule for every person on a map before anything is shared.

Every individual (a kind in :data:`influence.schema.PERSON_KINDS`) is treated by one rule:

* **office-holders** - people whose kind is a public office (councillors, council officers,
  MPs, mayors, the Big Local rep) and people who work for or represent an organisation
  (a ``works_for`` or ``represents`` tie: the ICB's engagement lead, the headteacher, the PCSO)
  - are shown by their role: "County councillor, Westshire County Council (Hollinford and Wykes
  division)", "Headteacher, Hollinford Primary Academy";
* **private individuals** (residents and everyone else) get a pseudonym such as
  ``"Resident 7F3A"``, derived from a keyed hash of their id: the same salt gives the same
  pseudonyms (so two reviews can be compared); without a salt the key is a random secret made
  for this run, so a pseudonym cannot be reversed by hashing likely ids;
* anyone marked ``ok_to_name = no`` on the actors sheet is always pseudonymised, whatever their
  role.

:func:`anonymise` applies the rule to a whole map; :func:`shareable` makes the version of a map
that is safe to circulate (private individuals keep their names unless ``ok_to_name = no``, and
no individual carries a judgement: stance, influence, interest, giving or hours);
:func:`influence.share.share_review` does the same for a whole review. ``private_*`` columns are
always dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

from .errors import InputError
from .schema import OFFICE_HOLDER_KINDS, PERSON_KINDS, PRIVATE_PREFIX

__all__ = ["anonymise", "pseudonyms", "is_private_person", "office_holders", "role_labels",
           "ok_to_name", "share_names", "shareable", "JUDGEMENT_COLUMNS"]

#: Kinds whose members hold a public office by their kind alone.
ROLE_KINDS = frozenset(OFFICE_HOLDER_KINDS | {"big_local_rep"})
#: Tie kinds that give a person a public role: they work for or represent an organisation.
ROLE_TIE_KINDS = ("works_for", "represents")
#: Kinds whose members are pseudonymised unless they hold a role (see :func:`office_holders`).
PRIVATE_PERSON_KINDS = frozenset(PERSON_KINDS - OFFICE_HOLDER_KINDS)
#: Actor and tie columns that judge a person: never shown for an individual in a shared output.
JUDGEMENT_COLUMNS = ("influence", "stance", "interest", "giving", "hours")
#: The actor column that says whether a person may be named in anything shared.
OK_TO_NAME = "ok_to_name"
_CANONICAL = ("name", "kind", "sector", "sub_area", "influence", "stance", "interest", "giving",
              "themes", "age_band", "org_code")
_ELECTED = {"parish_councillor": "Parish councillor", "ward_councillor": "Ward councillor",
            "county_councillor": "County councillor", "mp": "MP", "mayor": "Mayor"}
_COUNCIL_OF = {"parish_councillor": ("parish_council",),
               "ward_councillor": ("district_council", "unitary_council"),
               "county_councillor": ("county_council",)}
_ROLE_WORD = {"council_officer": "Council officer", "big_local_rep": "Big Local rep",
              "worker": "Staff member", "person": "Post-holder", "resident": "Post-holder"}
_TITLES = {"pcso": "PCSO", "pc": "Police officer", "sgt": "Police sergeant",
           "insp": "Police inspector", "rev": "Minister", "revd": "Minister",
           "canon": "Minister", "imam": "Imam", "rabbi": "Rabbi"}
#: The form of a pseudonym ("Resident 7F3A", "Person 7F3A21", "Resident 7F3A-3").
PSEUDONYM = re.compile(r"(Resident|Person) [0-9A-F]{4,32}(-\d+)?")
_YES = {"true", "yes", "y", "1", "t"}


def is_private_person(kind) -> bool:
    """True for kinds whose members are private individuals unless they hold a role."""
    return isinstance(kind, str) and kind in PRIVATE_PERSON_KINDS


@lru_cache(maxsize=1)
def _run_secret() -> str:
    """The key of pseudonyms made without a salt: random, for this run only."""
    import secrets

    return secrets.token_hex(16)


def pseudonym_code(actor_id, salt, n_hex) -> str:
    """The code of a pseudonym: the first ``n_hex`` hex digits (upper case) of a BLAKE2b hash
    of the id keyed with ``salt`` (a random secret for this run when None)."""
    key = (_run_secret() if salt is None else str(salt)).encode("utf-8")
    h = hashlib.blake2b(str(actor_id).encode("utf-8"), key=key[:64], digest_size=16)
    return h.hexdigest()[:n_hex].upper()


def ok_to_name(m):
    """Whether each person may be named in anything shared: a boolean Series by actor id.

    ``False`` where the optional ``ok_to_name`` actor column says no (``no``, ``n``, ``false``,
    ``0``); a value that is neither yes nor no also counts as no (``influence validate`` rejects
    it when the map is read). Bodies and people without a value are ``True``.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(actors=[{"id": "a", "kind": "resident", "ok_to_name": "no"},
    ...                             {"id": "b", "kind": "resident"}])
    >>> ok_to_name(m).tolist()
    [False, True]
    """
    import pandas as pd

    actors = _actors(m)
    if OK_TO_NAME not in actors:
        return pd.Series(True, index=actors.index, dtype=bool)

    def ok(v):
        if isinstance(v, bool):
            return v
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return True
        w = str(v).strip().lower()
        return True if not w else w in _YES

    return pd.Series([ok(v) for v in actors[OK_TO_NAME]], index=actors.index, dtype=bool)


def office_holders(m) -> set:
    """The ids of people who hold a public office or post, and may be shown by their role.

    A person holds a role when their kind is an office (councillors, council officers, MPs,
    mayors, the Big Local rep: :data:`ROLE_KINDS`) or when they work for or represent an
    organisation on the map (a ``works_for`` or ``represents`` tie to an actor that is not a
    person). Residents never hold a role this way, and neither does anyone whose
    ``ok_to_name`` is no.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "lucy", "kind": "worker"}, {"id": "school", "kind": "school"},
    ...             {"id": "kim", "kind": "worker"}, {"id": "ann", "kind": "resident"}],
    ...     ties=[{"source": "lucy", "target": "school", "kind": "works_for"},
    ...           {"source": "ann", "target": "school", "kind": "works_for"}])
    >>> sorted(office_holders(m))
    ['lucy']
    """
    actors = _actors(m)
    if "kind" not in actors:
        return set()
    kinds = actors["kind"]
    ok = ok_to_name(m)
    out = {i for i, k in kinds.items() if isinstance(k, str) and k in ROLE_KINDS}
    for src, tgt, kind in _tie_rows(m):
        if kind in ROLE_TIE_KINDS and src in kinds.index and tgt in kinds.index:
            sk, tk = kinds.get(src), kinds.get(tgt)
            if sk in PERSON_KINDS and sk != "resident" and tk not in PERSON_KINDS:
                out.add(src)
    return {i for i in out if bool(ok.get(i, True))}


def role_labels(m, *, salt=None) -> dict:
    """The role-based label of each office-holder: ``{id: "Headteacher, Hollinford ..."}``.

    Elected members read "County councillor, <their council> (<division>)"; staff read
    "<job title>, <employer>", the job title coming from the brackets of their name
    ("Lucy Ford (headteacher)"), a title before it ("PCSO Chris Lee") or their kind. The
    personal name is never part of the label. Labels that would repeat (two councillors of one
    council) are told apart by a short keyed hash, as pseudonyms are.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "sam", "name": "Sam Reid (ICB engagement lead)", "kind": "worker"},
    ...             {"id": "icb", "name": "NHS Vale ICB", "kind": "icb"},
    ...             {"id": "dw", "name": "Cllr Derek Whitlow (Wykes division)",
    ...              "kind": "county_councillor"}],
    ...     ties=[{"source": "sam", "target": "icb", "kind": "works_for"}])
    >>> labels = role_labels(m)
    >>> labels["sam"], labels["dw"]
    ('ICB engagement lead, NHS Vale ICB', 'County councillor (Wykes division)')
    """
    actors = _actors(m)
    holders = office_holders(m)
    if not holders:
        return {}
    names = actors["name"] if "name" in actors else None
    kinds = actors["kind"]
    bodies = _bodies_of(m, holders, kinds)
    raw = {}
    for i in sorted(holders, key=str):
        kind = kinds.get(i)
        name = names.get(i) if names is not None else None
        name = name if isinstance(name, str) else ""
        bracket = re.search(r"\(([^()]+)\)\s*$", name)
        title = bracket.group(1).strip() if bracket else None
        body = bodies.get(i)
        if kind in _ELECTED:
            label = _ELECTED[kind] + (f", {body}" if body else "") + (f" ({title})" if title
                                                                          else "")
        else:
            if not title:
                first = name.split()[0].strip(".").lower() if name.split() else ""
                title = _TITLES.get(first) or _ROLE_WORD.get(kind, "Post-holder")
            title = title[:1].upper() + title[1:]
            label = title + (f", {body}" if body else "")
        raw[i] = label
    counts = Counter(raw.values())
    taken = set(map(str, actors.index)) - set(raw)
    out = {i: label for i, label in raw.items() if counts[label] == 1 and label not in taken}
    pending, n_hex = [i for i in raw if i not in out], 4
    while pending:  # a repeated label gets a code, lengthened until every label is unique
        coded = {i: f"{raw[i]} ({pseudonym_code(i, salt, n_hex)})" for i in pending}
        repeats, used = Counter(coded.values()), taken | set(out.values())
        pending = [i for i, label in coded.items()
                   if (repeats[label] > 1 or label in used) and n_hex < 32]
        out.update((i, label) for i, label in coded.items() if i not in pending)
        n_hex += 2
    return {i: out[i] for i in raw}


def _bodies_of(m, holders, kinds):
    """The organisation each office-holder works for, represents, chairs or belongs to."""
    names = _actors(m)["name"] if "name" in _actors(m) else None
    rank = {"works_for": 0, "represents": 1, "chairs": 2, "member_of": 3}
    best: dict = {}
    for src, tgt, kind in _tie_rows(m):
        if src not in holders or kind not in rank or tgt not in kinds.index:
            continue
        tk, sk = kinds.get(tgt), kinds.get(src)
        if tk in PERSON_KINDS or tk in ("big_local_partnership", "working_group"):
            continue
        if sk in _ELECTED and tk not in _COUNCIL_OF.get(sk, ()):
            continue  # an elected member is labelled by their own council, not their clubs
        r = rank[kind]
        if src not in best or r < best[src][0]:
            label = names.get(tgt) if names is not None else None
            best[src] = (r, label if isinstance(label, str) and label else str(tgt))
    return {i: v[1] for i, v in best.items()}


def _tie_rows(m):
    """(source, target, kind) of every tie of a map or graph."""
    from .model import InfluenceMap

    if isinstance(m, InfluenceMap):
        t = m.ties
        if not len(t):
            return []
        kinds = t["kind"] if "kind" in t else [None] * len(t)
        return list(zip(t["source"], t["target"], kinds, strict=True))
    return [(u, v, d.get("kind")) for u, v, d in m.edges(data=True)]


def pseudonyms(m, *, salt=None) -> dict:
    """The name each person has in an anonymised output: ``{id: "Resident 7F3A", ...}``.

    Office-holders get their role label (:func:`role_labels`); every other individual, and
    everyone marked ``ok_to_name = no``, gets a pseudonym: the first four hex digits of a
    BLAKE2b hash of the id keyed with ``salt``, so it is the same in every output made with the
    same salt (and cannot be reversed by hashing a list of likely names when the salt is kept
    secret). Colliding pseudonyms are lengthened (six, eight ... digits) until every one is
    unique.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.privacy import pseudonyms
    >>> G = nx.Graph()
    >>> G.add_node("ann", kind="resident"); G.add_node("bob", kind="ward_councillor")
    >>> p = pseudonyms(G, salt="area-2024")
    >>> p["ann"].startswith("Resident "), p["bob"]
    (True, 'Ward councillor')
    """
    out = _hashed(m, salt, _private_ids(m))
    out.update(role_labels(m, salt=salt))
    return out


def share_names(m, *, salt=None) -> dict:
    """The names that change in a shared output: office-holders by role, ``ok_to_name = no``
    by pseudonym (other private individuals keep their names).

    Examples
    --------
    >>> import influence
    >>> m = influence.build(actors=[{"id": "a", "name": "Ann", "kind": "resident"},
    ...                             {"id": "b", "name": "Bo", "kind": "resident",
    ...                              "ok_to_name": "no"}])
    >>> sorted(share_names(m)), share_names(m)["b"].startswith("Resident ")
    (['b'], True)
    """
    actors = _actors(m)
    ok = ok_to_name(m)
    kinds = actors["kind"] if "kind" in actors else {}
    hidden = [i for i in actors.index if not ok.get(i, True) and kinds.get(i) in PERSON_KINDS]
    out = _hashed(m, salt, hidden)
    out.update(role_labels(m, salt=salt))
    return out


def _private_ids(m):
    actors = _actors(m)
    if "kind" not in actors:
        return []
    holders = office_holders(m)
    return [i for i, k in actors["kind"].items()
            if isinstance(k, str) and k in PERSON_KINDS and i not in holders]


def _hashed(m, salt, ids):
    actors = _actors(m)
    kind_of = dict(zip(actors.index, actors["kind"], strict=True)) if "kind" in actors else {}
    out, n_hex, pending = {}, 4, list(ids)
    while pending:
        codes = {i: pseudonym_code(i, salt, n_hex) for i in pending}
        taken = set(out.values())
        counts: dict[str, int] = {}
        for c in codes.values():
            counts[c] = counts.get(c, 0) + 1
        pending = []
        for i, c in codes.items():
            label = f"{'Resident' if kind_of.get(i) == 'resident' else 'Person'} {c}"
            if counts[c] > 1 or label in taken or n_hex >= 32:
                if n_hex >= 32:  # pragma: no cover - a full 128-bit collision
                    label = f"{label}-{len(out)}"
                else:
                    pending.append(i)
                    continue
            out[i] = label
        n_hex += 2
    return out


def anonymise(m, *, salt=None, names=None):
    """A copy of the map in which no person is named.

    Every individual is renamed by the one rule of this module: office-holders by their role
    ("County councillor (Hollinford and Wykes division)", "Headteacher, Hollinford Primary
    Academy"), everyone else, and anyone marked ``ok_to_name = no``, by a stable pseudonym
    ("Resident 7F3A"). The id becomes the new name too, ties are rewritten to the new ids,
    custom (non-canonical) actor columns of renamed people are blanked and the free-text
    ``notes`` of their ties are removed (they often name the person). Public bodies keep their
    ids and names. ``private_*`` columns are dropped everywhere.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    salt : str, optional
        A secret that keys the hash. Without it pseudonyms are still stable, but anyone who
        guesses an id could recompute its pseudonym; pass the same salt to get the same
        pseudonyms in every output of a review.
    names : dict, optional
        ``{id: new name}`` to use instead of :func:`pseudonyms` (e.g. the names of a newer map,
        so that one person has one name across two reviews).

    Returns
    -------
    InfluenceMap, or a networkx graph of the same type as ``m``.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.privacy import anonymise
    >>> G = nx.Graph()
    >>> G.add_node("ann", kind="resident", name="Ann Smith", private_phone="0123")
    >>> G.add_node("cllr", kind="ward_councillor", name="Cllr Jones (Hill ward)")
    >>> G.add_edge("ann", "cllr")
    >>> H = anonymise(G, salt="s")
    >>> sorted(n for _, n in H.nodes(data="name"))[0].startswith("Resident ")
    True
    >>> H.nodes["Ward councillor (Hill ward)"]["name"]
    'Ward councillor (Hill ward)'
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
        m = m.public()
        return renamed_map(m, pseudonyms(m, salt=salt) if names is None else names)
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover
        raise
    if not isinstance(m, nx.Graph):
        raise InputError(f"Expected an InfluenceMap or a networkx graph, got {type(m).__name__}. "
                         "Fix: pass influence.read(path) or a networkx graph.")
    names = pseudonyms(m, salt=salt) if names is None else names
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


def renamed_map(m, names, *, people=()):
    """The map with ``names`` applied to ids and names; judgements of ``people`` blanked."""
    import pandas as pd

    actors, ties = m.actors.copy(), m.ties.copy()
    people = set(people)
    if names:
        mask = actors.index.isin(list(names))
        for col in actors.columns:
            if col not in _CANONICAL:
                actors.loc[mask, col] = pd.NA if actors[col].dtype != object else None
        new_ids = [names.get(i, i) for i in actors.index]
        actors.loc[mask, "name"] = [names[i] for i in actors.index[mask]]
        actors.index = pd.Index(new_ids, dtype=actors.index.dtype, name=actors.index.name)
        people = {names.get(i, i) for i in people}
        if len(ties):
            touched = ties["source"].isin(list(names)) | ties["target"].isin(list(names))
            for col in ("source", "target"):
                ties[col] = ties[col].map(lambda x: names.get(x, x)).astype(m.ties[col].dtype)
            if "notes" in ties:
                ties.loc[touched, "notes"] = pd.NA
    if people:
        mask = actors.index.isin(list(people))
        for col in actors.columns:
            if col in JUDGEMENT_COLUMNS or col not in _CANONICAL:
                actors.loc[mask, col] = pd.NA if actors[col].dtype != object else None
        if len(ties):
            touched = ties["source"].isin(list(people)) | ties["target"].isin(list(people))
            for col in ("hours", "notes"):
                if col in ties:
                    ties.loc[touched, col] = pd.NA
    if OK_TO_NAME in actors and people:
        actors = actors.drop(columns=[OK_TO_NAME])
    return _rebuild(actors, ties, m)


def shareable(m, *, salt=None, anonymise=False):
    """The version of a map that is safe to circulate.

    Office-holders are shown by their role and anyone marked ``ok_to_name = no`` by a
    pseudonym (:func:`share_names`); no individual carries a judgement - their stance,
    influence, interest and giving are blanked, as are the hours and notes of their ties and
    their custom columns. Bodies keep everything. ``private_*`` columns are dropped. Used by
    ``influence map --share`` and the review's ``share.html``.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    salt : str, optional
        Keys the pseudonyms (see :func:`anonymise`).
    anonymise : bool
        Also pseudonymise every private individual (the names of :func:`anonymise`).

    Returns
    -------
    InfluenceMap

    Examples
    --------
    >>> import influence
    >>> m = influence.build(actors=[{"id": "ann", "kind": "resident", "stance": "champion"},
    ...                             {"id": "icb", "kind": "icb", "stance": "supportive"}])
    >>> s = shareable(m)
    >>> s.actors["stance"].isna().tolist()
    [True, False]

    References
    ----------
    .. [1] Information Commissioner's Office (2023). *UK GDPR guidance: data minimisation*
       (Article 5(1)(c)): share only what the purpose needs.
    """
    from .io import from_networkx
    from .model import InfluenceMap

    if not isinstance(m, InfluenceMap):
        m = from_networkx(m)
    m = m.public()
    kinds = m.actors["kind"] if "kind" in m.actors else None
    people = [] if kinds is None else [i for i, k in kinds.items() if k in PERSON_KINDS]
    names = (pseudonyms if anonymise else share_names)(m, salt=salt)
    return renamed_map(m, names, people=people)


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
