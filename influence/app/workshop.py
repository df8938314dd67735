"""A live mapping workshop: the room adds to the map from its phones, the facilitator decides.

The workshop keeps everything in the store's own file (schema 2): its settings (the
facilitator's secret, the projector's key, the join code, paused, the projector's view and the
positions of the actors on the projector), the participants who joined (a session nickname
only) and the queue of contributions. A contribution waits in the queue until the facilitator
accepts it (possibly edited), merges it into an actor already on the map, or rejects it; an
accepted one becomes an ordinary change in the store's change log (``who`` is
"workshop: <nickname>"), so undo and history work as for any edit, and a ``kill -9`` loses
nothing accepted or queued.

This module is plain Python over :class:`influence.store.Store` (no web framework): the pages
and the live stream are in :mod:`influence.app.workshop_views`.

Examples
--------
>>> import tempfile, pathlib, influence
>>> from influence.store import Store
>>> from influence.app.workshop import Workshop
>>> path = pathlib.Path(tempfile.mkdtemp()) / "hall.influence.db"
>>> store = Store.create(path, influence.build(actors=[
...     {"id": "hbl", "name": "Big Local", "kind": "big_local_partnership"}]))
>>> w = Workshop(store)
>>> me = w.join(w.code, "Sam")
>>> item = w.contribute(me, "actor", {"name": "Cllr Derek Whitlow", "kind": "ward_councillor"})
>>> w.accept(item)["result"]
'cllr_derek_whitlow'
>>> w.queue()[0]["status"]
'accepted'
>>> store.close()
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import json
import re
import secrets
import threading
import time
import unicodedata

from ..errors import InfluenceError

__all__ = ["Workshop", "WorkshopError", "FRIENDLY_KINDS", "VIEWS", "clean_text"]

#: The kinds a participant chooses from (friendly words -> the catalogue's kind).
FRIENDLY_KINDS = (
    ("A resident", "resident"),
    ("Someone who works locally (paid)", "worker"),
    ("Community group or residents' association", "community_group"),
    ("Charity or voluntary organisation", "vcse_org"),
    ("Youth group or youth club", "youth_org"),
    ("Faith group or place of worship", "faith_group"),
    ("School", "school"),
    ("Local business", "local_business"),
    ("GP surgery or health service", "gp_pcn"),
    ("Housing association", "housing_association"),
    ("Police", "police_force"),
    ("Parish or town council", "parish_council"),
    ("Parish or town councillor", "parish_councillor"),
    ("Local councillor", "ward_councillor"),
    ("Council officer", "council_officer"),
    ("District or borough council", "district_council"),
    ("Funder", "funder"),
)
KIND_OF = {k: k for _, k in FRIENDLY_KINDS}
#: What the projector can show (the map's own views).
VIEWS = (("map", "Whole map"), ("spheres", "Spheres"), ("civic", "Civic core"),
         ("gatekeepers", "Gatekeepers"), ("brokers", "Brokers"), ("missing", "Who is missing"))
STANCES = {"opposes": -2, "sceptical": -1, "neutral": 0, "supportive": 1, "champion": 2}
#: How well two people know each other -> tie strength.
HOW_WELL = {"a little": 1, "well": 2, "very well": 3}
MAX_NAME = 120
RATE = (12, 60.0)  # contributions per participant per this many seconds
_TITLES = re.compile(r"^(cllr|councillor|dr|mr|mrs|ms|miss|rev|revd|the)\.?\s+", re.I)


class WorkshopError(InfluenceError):
    """A request the workshop refuses; ``status`` is the HTTP status the app answers with."""

    def __init__(self, message, status=422, field=None):
        super().__init__(message)
        self.status = status
        self.field = field


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def clean_text(value, *, field, label, required=True, limit=MAX_NAME):
    """A participant's text, checked: trimmed, no control characters, no markup, not too long.

    Raises :class:`WorkshopError` with a message for the phone (nothing is stored).

    Examples
    --------
    >>> clean_text("  Ann Smith ", field="name", label="The name")
    'Ann Smith'
    >>> clean_text("<script>", field="name", label="The name")
    Traceback (most recent call last):
    ...
    influence.app.workshop.WorkshopError: The name cannot contain < or >. Type just the name.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise WorkshopError(f"{label} is empty. Type it in, then send again.", field=field)
        return None
    if not isinstance(value, str):
        raise WorkshopError(f"{label} must be text.", field=field)
    if len(value) > limit:
        raise WorkshopError(f"{label} is too long ({len(value):,} characters; at most {limit}). "
                            "Shorten it.", field=field)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        raise WorkshopError(f"{label} contains invisible control characters. Type it again "
                            "by hand.", field=field)
    if "<" in value or ">" in value:
        raise WorkshopError(f"{label} cannot contain < or >. Type just the name.", field=field)
    text = " ".join(value.split())
    if text[:1] in ("=", "+", "-", "@"):
        raise WorkshopError(f"{label} cannot start with {text[0]}.", field=field)
    return text


def _norm(name):
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = _TITLES.sub("", text.strip())
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


def _slug(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40] or "actor"


class Workshop:
    """The workshop on a store: settings, participants and the queue (all kept in the file).

    Parameters
    ----------
    store : influence.store.Store
    rate : (int, float)
        At most this many contributions per participant per this many seconds.
    """

    def __init__(self, store, *, rate=RATE):
        self.store = store
        self.rate = rate
        self._recent: dict[str, list[float]] = {}
        self._rate_lock = threading.Lock()
        self.seq = 0  # bumped on every event the live pages should see
        self._choices = (None, [])
        state = self._state()
        for key in ("facilitator", "projector"):
            if key not in state:
                self._set(key, secrets.token_urlsafe(18))
        if "code" not in state:
            self._set("code", self._new_code())
        self._set("ended", state.get("ended", ""))

    # --- settings --------------------------------------------------------------------------
    def _state(self):
        with self.store._lock:
            return dict(self.store.db.execute("SELECT key, value FROM workshop_state"))

    def _set(self, key, value):
        with self.store._lock:
            self.store._write("INSERT INTO workshop_state VALUES (?, ?) ON CONFLICT(key) DO "
                              "UPDATE SET value = excluded.value", (key, str(value)))

    def get(self, key, default=None):
        with self.store._lock:
            row = self.store.db.execute("SELECT value FROM workshop_state WHERE key = ?",
                                        (key,)).fetchone()
        return default if row is None else row[0]

    @staticmethod
    def _new_code():
        return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))

    @property
    def code(self):
        return self.get("code")

    @property
    def facilitator_token(self):
        return self.get("facilitator")

    @property
    def projector_key(self):
        return self.get("projector")

    @property
    def paused(self):
        return self.get("paused", "") == "1"

    @property
    def ended(self):
        return self.get("ended", "")

    @property
    def view(self):
        return self.get("view", "map")

    def notify(self, kind):
        """Tell the live pages something changed (``kind``: for the reader of the code)."""
        self.seq += 1

    def set_paused(self, paused: bool):
        self._set("paused", "1" if paused else "")
        self.notify("paused")

    def set_view(self, view):
        if view not in dict(VIEWS):
            raise WorkshopError(f"Unknown view {view!r}. Choose one of: "
                                f"{', '.join(dict(VIEWS))}.", status=400)
        self._set("view", view)
        self.notify("view")

    def revoke_code(self):
        """A new join code: phones that joined with the old one are refused from now on."""
        self._set("code", self._new_code())
        self.notify("code")
        return self.code

    def end(self, name=None):
        """End the workshop: input stops and the map is saved as a snapshot (its name)."""
        name = name or f"workshop {_dt.datetime.now().strftime('%Y-%m-%d %H:%M:%S')}"
        name = self.store.snapshot(name, note="end of the mapping workshop")
        self._set("ended", name)
        self.notify("ended")
        return name

    # --- participants ------------------------------------------------------------------------
    def join(self, code, nickname, *, address=None):
        """Register a phone: returns its participant id (kept in its cookie).

        ``address`` (the phone's network address) limits how often one device may join.
        """
        if address is not None:
            self._rate_check(f"join {address}", (20, 60.0), "joins")
        if self.ended:
            raise WorkshopError("This workshop has ended. Thank you for taking part!", 403)
        if not isinstance(code, str) or not secrets.compare_digest(
                code.strip().upper().encode(), str(self.code).encode()):
            raise WorkshopError("That join code is not right (or it has been changed). Ask the "
                                "facilitator for the code on the screen.", 403, "code")
        nickname = clean_text(nickname, field="nickname", label="Your nickname", limit=30)
        ident = secrets.token_urlsafe(18)
        with self.store._lock:
            self.store._write("INSERT INTO workshop_participants VALUES (?, ?, ?, ?)",
                              (ident, nickname, self.code, _now()))
        return ident

    def participant(self, ident):
        """(id, nickname) of a phone whose join code is still valid; raises otherwise."""
        if not ident:
            raise WorkshopError("Join the workshop first (the code is on the screen).", 401)
        with self.store._lock:
            row = self.store.db.execute("SELECT id, nickname, code FROM workshop_participants "
                                        "WHERE id = ?", (str(ident),)).fetchone()
        if row is None:
            raise WorkshopError("Join the workshop first (the code is on the screen).", 401)
        if row[2] != self.code:
            raise WorkshopError("The join code has been changed. Ask the facilitator for the new "
                                "code on the screen and join again.", 403, "code")
        return row[0], row[1]

    def _rate_check(self, ident, rate=None, what="additions"):
        n, window = rate or self.rate
        now = time.monotonic()
        with self._rate_lock:
            recent = [t for t in self._recent.get(ident, []) if now - t < window]
            if len(recent) >= n:
                wait = int(window - (now - recent[0])) + 1
                raise WorkshopError(f"Slow down a little: at most {n} {what} a minute. Try "
                                    f"again in {wait} seconds.", 429)
            recent.append(now)
            self._recent[ident] = recent

    # --- references to actors (opaque to phones) ------------------------------------------
    def ref(self, actor_id):
        """The opaque reference a phone uses for an actor on the map (not its id)."""
        secret = self.projector_key.encode()
        return "a" + hashlib.sha256(secret + str(actor_id).encode()).hexdigest()[:12]

    def actor_choices(self):
        """[{ref, name}] of the map's actors as the room may see them (the sharing rules)."""
        from ..privacy import share_names

        last = self.store.last_change()
        if self._choices[0] == last:
            return self._choices[1]
        m = self.store.map()
        names = share_names(m.public())
        out = []
        for i in m.actors.index:
            shown = names.get(i)
            if shown is None:
                n = m.actors.loc[i, "name"] if "name" in m.actors else None
                shown = str(n) if isinstance(n, str) and n.strip() else str(i)
            out.append({"ref": self.ref(i), "name": shown})
        out = sorted(out, key=lambda r: r["name"].lower())
        self._choices = (last, out)
        return out

    def _resolve(self, ref, ident):
        """An actor id for a phone's reference: 'a…' (the map) or 'q<n>' (its own addition)."""
        if isinstance(ref, str) and ref.startswith("q") and ref[1:].isdigit():
            with self.store._lock:
                row = self.store.db.execute(
                    "SELECT participant, what FROM workshop_queue WHERE id = ?",
                    (int(ref[1:]),)).fetchone()
            if row is None or row[0] != ident or row[1] != "actor":
                raise WorkshopError("That person or body is not one of yours. Pick from the "
                                    "list.", field="ends")
            return ref
        for k in self.store.map().actors.index:
            if self.ref(k) == ref:
                return str(k)
        raise WorkshopError("That person or body is not on the map any more. Reload and pick "
                            "from the list.", field="ends")

    # --- contributions ---------------------------------------------------------------------
    def contribute(self, ident, what, values):
        """Queue a phone's contribution (checked first; nothing stored when it is refused)."""
        if self.ended:
            raise WorkshopError("This workshop has ended. Thank you for taking part!", 403)
        if self.paused:
            raise WorkshopError("The facilitator has paused input for a moment. Your addition "
                                "was not sent; try again shortly.", 423)
        ident, _ = self.participant(ident)
        if not isinstance(values, dict):
            raise WorkshopError("That addition could not be read.", 400)
        if what == "actor":
            payload = self._check_actor(values)
        elif what == "tie":
            payload = self._check_tie(values, ident)
        elif what == "rate":
            payload = self._check_rate(values, ident)
        else:
            raise WorkshopError("Add a person or body, or say who knows whom.", 400)
        self._rate_check(ident)
        with self.store._lock:
            self.store.db.execute("BEGIN IMMEDIATE")
            try:
                cur = self.store.db.execute(
                    "INSERT INTO workshop_queue (at, participant, what, payload) "
                    "VALUES (?, ?, ?, ?)", (_now(), ident, what, json.dumps(payload)))
                self.store.db.execute("COMMIT")
            except BaseException:
                self.store.db.execute("ROLLBACK")
                raise
        self.notify("queue")
        return cur.lastrowid

    def _check_actor(self, v):
        out = {"name": clean_text(v.get("name"), field="name", label="The name")}
        kind = v.get("kind")
        if kind not in KIND_OF:
            raise WorkshopError("Choose what kind of person or body this is from the list.",
                                field="kind")
        out["kind"] = kind
        sub = clean_text(v.get("sub_area"), field="sub_area", label="The part of the area",
                         required=False, limit=60)
        if sub:
            out["sub_area"] = sub
        tower = v.get("influence")
        if tower not in (None, ""):
            try:
                tower = int(tower)
            except (TypeError, ValueError):
                tower = -1
            if not 0 <= tower <= 5:
                raise WorkshopError("The influence tower is 0 to 5 blocks.", field="influence")
            out["influence"] = tower
        stance = v.get("stance")
        if stance not in (None, ""):
            if stance not in STANCES:
                raise WorkshopError("Choose a stance from the list.", field="stance")
            out["stance"] = stance
        return out

    def _check_rate(self, v, ident):
        """An influence tower and/or stance for someone already on the map."""
        if not v.get("actor"):
            raise WorkshopError("Choose who the tower is for.", field="actor")
        actor = self._resolve(v.get("actor"), ident)
        if actor.startswith("q"):
            raise WorkshopError("Give the tower when you add them, or once they are on the map.",
                                field="actor")
        out = {"actor": actor}
        rest = self._check_actor({"name": "x", "kind": "resident", "influence":
                                  v.get("influence"), "stance": v.get("stance")})
        for k in ("influence", "stance"):
            if k in rest:
                out[k] = rest[k]
        if len(out) == 1:
            raise WorkshopError("Choose a tower height (0-5) or a stance.", field="influence")
        return out

    def _check_tie(self, v, ident):
        a, b = v.get("source"), v.get("target")
        if not a or not b:
            raise WorkshopError("Choose both people or bodies.", field="ends")
        a, b = self._resolve(a, ident), self._resolve(b, ident)
        if a == b:
            raise WorkshopError("Choose two different people or bodies.", field="ends")
        well = v.get("how_well") or "well"
        if well not in HOW_WELL:
            raise WorkshopError("Choose how well they know each other.", field="how_well")
        return {"source": a, "target": b, "how_well": well}

    # --- the facilitator's queue -----------------------------------------------------------
    def _item(self, item_id):
        with self.store._lock:
            row = self.store.db.execute(
                "SELECT q.id, q.at, q.what, q.payload, q.status, q.result, q.change_id, "
                "p.nickname FROM workshop_queue q JOIN workshop_participants p "
                "ON p.id = q.participant WHERE q.id = ?", (int(item_id),)).fetchone()
        if row is None:
            raise WorkshopError(f"There is no contribution {item_id}.", 404)
        return {"id": row[0], "at": row[1], "what": row[2], "values": json.loads(row[3]),
                "status": row[4], "result": row[5], "change": row[6], "nickname": row[7]}

    def queue(self, status=None):
        """The contributions (newest last), each with a fuzzy "looks like" suggestion."""
        with self.store._lock:
            ids = [r[0] for r in self.store.db.execute(
                "SELECT id FROM workshop_queue WHERE ? IS NULL OR status = ? ORDER BY id",
                (status, status))]
        items = [self._item(i) for i in ids]
        m = self.store.map()
        names = {str(i): (str(n) if isinstance(n, str) else str(i)) for i, n in
                 zip(m.actors.index, m.actors["name"] if "name" in m.actors else m.actors.index,
                     strict=True)}
        for it in items:
            if it["what"] == "actor" and it["status"] == "pending":
                it["looks_like"] = self.looks_like(it["values"]["name"], names)
            if it["what"] == "tie":
                it["labels"] = [self._label(x, names) for x in (it["values"]["source"],
                                                               it["values"]["target"])]
            if it["what"] == "rate":
                it["labels"] = [self._label(it["values"]["actor"], names)]
        return items

    def _label(self, end, names):
        if end.startswith("q"):
            it = self._item(int(end[1:]))
            if it["result"]:
                return names.get(it["result"], it["result"])
            return f"{it['values']['name']} (waiting)"
        return names.get(end, end)

    @staticmethod
    def looks_like(name, names, cutoff=0.82):
        """[{id, name, score}] of actors whose name is close to ``name`` (best first).

        Examples
        --------
        >>> Workshop.looks_like("Derek Whitlow", {"dw": "Cllr Derek Whitlow", "x": "Ann"})
        [{'id': 'dw', 'name': 'Cllr Derek Whitlow', 'score': 1.0}]
        >>> Workshop.looks_like("Derek Whitlow", {"dw": "Cllr Derek Whitlow (Wykes division)"})
        [{'id': 'dw', 'name': 'Cllr Derek Whitlow (Wykes division)', 'score': 1.0}]
        >>> Workshop.looks_like("Derek Whitlock", {"dw": "Cllr Derek Whitlow"})[0]["score"]
        0.89
        >>> Workshop.looks_like("Dave Smith", {"dw": "Cllr Derek Whitlow"})
        []
        """
        want = _norm(name)
        words = set(want.split())
        out = []
        for i, n in names.items():
            full = _norm(n)
            short = _norm(re.sub(r"\([^)]*\)", " ", str(n)))  # "(Hollinford division)" aside
            score = max(difflib.SequenceMatcher(None, want, full).ratio(),
                        difflib.SequenceMatcher(None, want, short).ratio())
            if len(words) >= 2 and words <= set(full.split()):
                score = max(score, 0.9)  # every word typed is in the name
            if score >= cutoff:
                out.append({"id": i, "name": n, "score": round(score, 2)})
        return sorted(out, key=lambda r: -r["score"])[:3]

    def _pending(self, item_id):
        it = self._item(item_id)
        if it["status"] != "pending":
            raise WorkshopError(f"Contribution {item_id} has already been {it['status']}.", 409)
        return it

    def _decide(self, item_id, status, result=None, change=None):
        with self.store._lock:
            self.store._write("UPDATE workshop_queue SET status = ?, result = ?, change_id = ?, "
                              "decided_at = ? WHERE id = ?",
                              (status, result, change, _dt.datetime.now(_dt.timezone.utc)
                               .isoformat(timespec="microseconds"), int(item_id)))

    def _end_id(self, end):
        if end.startswith("q"):
            it = self._item(int(end[1:]))
            if not it["result"]:
                raise WorkshopError(f"Accept or merge {it['values']['name']!r} first; this tie "
                                    "needs them on the map.", 409)
            return it["result"]
        return end

    def accept(self, item_id, values=None):
        """Put a contribution on the map (``values``: the facilitator's edits); returns it."""
        it = self._pending(item_id)
        v = dict(it["values"])
        v.update({k: x for k, x in (values or {}).items() if k in v or k in (
            "sub_area", "influence", "stance")})
        who = f"workshop: {it['nickname']}"
        if it["what"] == "rate":
            v = {k: x for k, x in v.items() if k in ("actor", "influence", "stance")}
            change = self.store.apply({"table": "actors", "op": "update", "id": v.pop("actor"),
                                       "values": v}, who=who)
            result = it["values"]["actor"]
        elif it["what"] == "actor":
            v = self._check_actor(v)
            existing = set(self.store.map().actors.index.astype(str))
            base = _slug(v["name"])
            key, n = base, 2
            while key in existing:
                key, n = f"{base}_{n}", n + 1
            change = self.store.apply({"table": "actors", "op": "add",
                                       "values": {"id": key, **v}}, who=who)
            result = key
        else:
            a, b = self._end_id(v["source"]), self._end_id(v["target"])
            change = self.store.apply({"table": "ties", "op": "add", "values": {
                "source": a, "target": b, "kind": "knows",
                "strength": HOW_WELL[v["how_well"]]}}, who=who)
            result = str(self.store.key_of(change)[1])
        self._decide(item_id, "accepted", result, change)
        self.notify("change")
        return self._item(item_id)

    def merge(self, item_id, actor_id):
        """Merge an added person or body into one already on the map (fills its blanks)."""
        it = self._pending(item_id)
        if it["what"] != "actor":
            raise WorkshopError("Only a person or body can be merged.", 400)
        rec, version = self.store.get("actors", str(actor_id))
        if rec is None:
            raise WorkshopError(f"There is no actor {actor_id!r} to merge into.", 404)
        fill = {k: x for k, x in it["values"].items()
                if k in ("sub_area", "influence", "stance") and rec.get(k) in (None, "")}
        change = None
        if fill:
            change = self.store.apply({"table": "actors", "op": "update", "id": str(actor_id),
                                       "values": fill, "version": version},
                                      who=f"workshop: {it['nickname']}")
        self._decide(item_id, "merged", str(actor_id), change)
        self.notify("change")
        return self._item(item_id)

    def reject(self, item_id):
        self._pending(item_id)
        self._decide(item_id, "rejected")
        self.notify("queue")
        return self._item(item_id)

    def undo(self):
        """Take back the newest accepted (or merged) contribution; it goes back to the queue."""
        with self.store._lock:
            row = self.store.db.execute(
                "SELECT id, change_id FROM workshop_queue WHERE status IN ('accepted', 'merged') "
                "ORDER BY decided_at DESC, id DESC LIMIT 1").fetchone()
        if row is None:
            raise WorkshopError("There is nothing to undo.", 409)
        item_id, change = row
        if change is not None:
            self.store.undo(change, who="workshop: facilitator")
        with self.store._lock:
            self.store._write("UPDATE workshop_queue SET status = 'pending', result = NULL, "
                              "change_id = NULL, decided_at = NULL WHERE id = ?", (item_id,))
        self.notify("change")
        return self._item(item_id)

    # --- suggestions -----------------------------------------------------------------------
    def missing_suggestions(self, limit=8):
        """Kinds of body that hold power over the priorities but are not on the map yet."""
        import influence

        m = self.store.map()
        if not len(m.actors):
            return []
        try:
            r = influence.missing(m)
        except InfluenceError:
            return []
        out, seen = [], set()
        for _, row in r.iterrows():
            if isinstance(row.get("actor"), str):
                continue
            body = str(row.get("body") or row.get("role") or "")
            if not body or body in seen:
                continue
            seen.add(body)
            theme = str(row.get("theme") or "").replace("_", " ")
            out.append({"body": body, "theme": theme})
            if len(out) >= limit:
                break
        return out

