"""Validation: the exact report for each kind of bad input (small files under tests/data)."""

from __future__ import annotations

import pytest

import influence
from influence.errors import ValidationError
from influence.schema import TIE_KINDS, stakeholder_types
from influence.validate import header_key, resolve_kind

from pathlib import Path

DATA = Path(__file__).parent / "data"


def messages(path, severity="error"):
    return [str(p) for p in influence.validate(DATA / path) if p.severity == severity]


def test_missing_required_column():
    assert messages("missing_column") == [
        'actors.csv, column "kind": required column "kind" is missing. Fix: add a column '
        'headed "kind" (found: id, name, sector)']


def test_duplicate_actor_id():
    assert messages("duplicate_id") == [
        'actors.csv, row 4, column "id": duplicate actor id (first used on row 2) '
        "(value: 'ann'). Fix: give each actor its own id, or merge the two rows"]


def test_tie_endpoint_not_an_actor():
    assert messages("bad_endpoint") == [
        'ties.csv, row 2, column "target": tie target is not an actor (value: \'bobb\'). '
        'Fix: add "bobb" to the actors, or correct the id (did you mean "bob"?)',
        'ties.csv, row 3, column "source": tie source is not an actor (value: \'carol\'). '
        'Fix: add "carol" to the actors, or correct the id']


def test_values_out_of_range():
    assert messages("out_of_range") == [
        'actors.csv, row 2, column "influence": influence must be between 0 and 5 '
        "(value: '7'). Fix: use a number from 0 (none) to 5 (a great deal)",
        'actors.csv, row 2, column "interest": interest must be between 0 and 5 '
        "(value: '-1'). Fix: use a number from 0 (none) to 5 (a great deal)",
        'actors.csv, row 2, column "stance": stance must be -2..2 or a stance word '
        "(value: '3'). Fix: use a whole number from -2 to 2, or one of opposes, sceptical, "
        "neutral, supportive, champion",
        'ties.csv, row 2, column "strength": strength must be between 1 and 3 (value: \'4\'). '
        "Fix: use 1–3 or weak / medium / strong"]


def test_unparseable_numbers_dates_and_words():
    assert messages("bad_values") == [
        'actors.csv, row 2, column "influence": influence is not a number (value: \'lots\'). '
        "Fix: use a number from 0 (none) to 5 (a great deal)",
        'actors.csv, row 2, column "stance": stance must be -2..2 or a stance word '
        "(value: 'maybe'). Fix: use a whole number from -2 to 2, or one of opposes, sceptical, "
        "neutral, supportive, champion",
        'ties.csv, row 2, column "directed": directed must be yes or no (value: \'perhaps\'). '
        "Fix: write yes (the tie goes one way) or no (it goes both ways)",
        'ties.csv, row 2, column "sign": sign must be positive, neutral or strained '
        "(value: 'cheerful'). Fix: write positive, neutral or strained",
        'ties.csv, row 2, column "since": since is not a date (value: \'31/02/2020\'). '
        "Fix: write the date as YYYY-MM-DD (e.g. 2024-03-31) or DD/MM/YYYY",
        'ties.csv, row 2, column "confirmed": confirmed is not a date (value: \'last year\'). '
        "Fix: write the date as YYYY-MM-DD (e.g. 2024-03-31) or DD/MM/YYYY"]


def test_empty_ids_and_blank_rows():
    # row 4 is blank and skipped; row numbers stay as in the spreadsheet
    assert messages("empty_id") == [
        'actors.csv, row 3, column "id": actor id is empty. Fix: give every actor an id, or '
        "delete the row",
        'ties.csv, row 2, column "target": tie target is empty. Fix: write the id of an actor in '
        "the target column, or delete the row"]


def test_workbook_names_sheet_and_users_header():
    assert messages("bad.xlsx") == [
        'bad.xlsx, sheet "Actors", row 3, column "Influence": influence must be between 0 and 5 '
        "(value: 9). Fix: use a number from 0 (none) to 5 (a great deal)",
        'bad.xlsx, sheet "Actors", row 5, column "ID": duplicate actor id (first used on row 2) '
        "(value: 'ann'). Fix: give each actor its own id, or merge the two rows",
        'bad.xlsx, sheet "TIES", row 3, column "To": tie target is not an actor '
        "(value: 'carol'). Fix: add \"carol\" to the actors, or correct the id",
        'bad.xlsx, sheet "TIES", row 3, column "Last confirmed": confirmed is not a date '
        "(value: 'yesterday'). Fix: write the date as YYYY-MM-DD (e.g. 2024-03-31) or "
        "DD/MM/YYYY"]


def test_warnings_are_not_errors():
    assert messages("warnings") == []
    assert messages("warnings", "warning") == [
        'actors.csv, row 3, column "kind": unknown kind "allotment_society" kept as a custom '
        "kind (value: 'Allotment Society'). Fix: if you meant a known kind, see the list: "
        "`influence catalogue types`",
        'ties.csv, row 3, column "source": duplicate tie bob - ann (knows), also on row 2 '
        "(value: 'bob'). Fix: delete one of the rows (the analyses keep the strongest)",
        'ties.csv, row 4, column "target": self-loop (a tie from an actor to itself) is ignored '
        "by the analyses (value: 'ann'). Fix: delete the row unless you mean it",
        'ties.csv, row 5, column "kind": unknown tie kind "gossips_with" kept as a custom kind '
        "(value: 'gossips with'). Fix: if you meant a known kind, use one of: works_with"]
    m = influence.read(DATA / "warnings")
    assert len(m.warnings) == 4 and len(m.ties) == 4
    assert m.actors.loc["bob", "kind"] == "allotment_society"


def test_custom_kind_suggests_nearest():
    m = influence.build(actors=[{"id": "a", "kind": "Parish Councel"}])
    assert m.actors.loc["a", "kind"] == "parish_councel"
    assert m.warnings[0].fix == "if you meant a known kind, use one of: parish_council, " \
                                "parish_councillor"


def test_read_raises_one_error_with_every_problem():
    with pytest.raises(ValidationError) as err:
        influence.read(DATA / "bad_values")
    assert len(err.value.problems) == 6
    assert str(err.value).startswith("6 problems found:\n  - actors.csv, row 2")


def test_problem_cap():
    actors = [{"id": f"a{i}", "kind": "resident", "influence": 9} for i in range(250)]
    with pytest.raises(ValidationError) as err:
        influence.build(actors=actors)
    assert len(err.value.problems) == 200 and err.value.truncated == 50
    assert str(err.value).splitlines()[0] == "250 problems found:"


def test_validate_never_raises_for_unreadable_input(tmp_path):
    bad = tmp_path / "area.xlsx"
    bad.write_text("not a workbook")
    report = influence.validate(bad)
    assert len(report.errors) == 1
    assert str(report[0]).startswith("area.xlsx: Cannot read area.xlsx as an Excel workbook")
    assert [str(p) for p in influence.validate(tmp_path / "nope.xlsx")] == [
        f"nope.xlsx: {tmp_path / 'nope.xlsx'} does not exist. Fix: check the path."]


@pytest.mark.parametrize("word, kind", [
    ("Councillor", "ward_councillor"), ("cllr", "ward_councillor"),
    ("County councillor", "county_councillor"), ("Parish Council", "parish_council"),
    ("Resident", "resident"), ("Partnership", "big_local_partnership"),
    ("Big Local", "big_local_partnership"), ("Group", "community_group"),
    ("Officer", "council_officer"), ("MP", "mp"), ("ICB", "icb"),
    ("Integrated care board", "icb"), ("housing-association", "housing_association")])
def test_kind_synonyms(word, kind):
    assert resolve_kind(word) == (kind, True)


def test_every_catalogue_kind_resolves_to_itself():
    for type_id in stakeholder_types():
        assert resolve_kind(type_id) == (type_id, True)


def test_headers_and_stance_words():
    assert header_key("Sub Area") == header_key("sub_area") == "subarea"
    m = influence.build(
        actors=[{"ID": f"a{i}", "Type": "resident", "Stance": w}
         for i, w in enumerate(["opposes", "Sceptical", "neutral", "supportive", "CHAMPION",
                                "+2"])],
        ties=[{"From": "a0", "To": "a1", "Type": k} for k in TIE_KINDS])
    assert m.actors["stance"].tolist() == [-2, -1, 0, 1, 2, 2]
    assert m.ties["kind"].tolist() == list(TIE_KINDS)
    assert m.ties["directed"].tolist() == [k in {"funds", "advises", "influences", "reports_to"}
                                           for k in TIE_KINDS]


def test_duplicate_column_meaning():
    with pytest.raises(ValidationError, match='two columns mean "name" \\("name" and "Label"\\)'):
        influence.build(actors=[{"id": "a", "kind": "resident", "name": "A", "Label": "B"}])


def test_confirmed_before_since_is_an_error(tmp_path):
    (tmp_path / "actors.csv").write_text("id,kind\nann,resident\nbob,resident\ncat,resident\n")
    (tmp_path / "ties.csv").write_text(
        "source,target,since,confirmed\nann,bob,2022-03-01,2021-05-01\n"
        "bob,cat,2022-03-01,2022-03-01\nann,cat,,2020-01-01\n")
    assert [str(p) for p in influence.validate(tmp_path) if p.severity == "error"] == [
        'ties.csv, row 2, column "confirmed": confirmed is before since (2022-03-01): a tie '
        "cannot be confirmed before it began (value: '2021-05-01'). Fix: correct the date the "
        "tie began (since) or the date it was last confirmed"]
    with pytest.raises(ValidationError, match="confirmed is before since"):
        influence.read(tmp_path)


def test_demo_has_no_tie_confirmed_before_it_began():
    for year in (2019, 2023):
        t = influence.datasets.load("hollinford", year=year).ties
        assert not (t["confirmed"] < t["since"]).any(), year


@pytest.mark.parametrize("word, kind", [
    ("Vicar", "faith_group"), ("church", "faith_group"), ("mosque", "faith_group"),
    ("GP surgery", "gp_pcn"), ("surgery", "gp_pcn"), ("health centre", "gp_pcn"),
    ("youth club", "youth_org"), ("Parish Clerk", "council_officer"),
    ("Town Clerk", "council_officer")])
def test_everyday_kind_words(word, kind):
    assert resolve_kind(word) == (kind, True)


@pytest.mark.parametrize("word, fix", [
    ("Councilor", "if you meant a known kind, use one of: ward_councillor"),
    ("youth clubb", "if you meant a known kind, use one of: youth_org"),
    ("Druid", "if you meant a known kind, see the list: `influence catalogue types`"),
    ("Allotment society", "if you meant a known kind, see the list: `influence catalogue types`")])
def test_kind_suggestions_only_for_close_matches(word, fix):
    m = influence.build(actors=[{"id": "a", "kind": word}])
    assert [w.fix for w in m.warnings] == [fix]


@pytest.mark.parametrize("word, stance", [
    ("very supportive", 2), ("Strongly support", 2), ("very against", -2),
    ("Very-Supportive", 2), ("supportive", 1), ("against", -2)])
def test_stance_phrases(word, stance):
    m = influence.build(actors=[{"id": "a", "kind": "resident", "stance": word}])
    assert m.actors.loc["a", "stance"] == stance


def test_strength_error_lists_the_words():
    with pytest.raises(ValidationError) as err:
        influence.build(actors=[{"id": "a", "kind": "resident"}],
                        ties=[{"source": "a", "target": "a", "strength": "very"}])
    assert str(err.value.problems[0]) == (
        '<data>, sheet "ties", row 2, column "strength": strength is not a number '
        "(value: 'very'). Fix: use 1–3 or weak / medium / strong")


def test_non_finite_numbers_are_rejected_with_row_and_column():
    assert messages("non_finite") == [
        'actors.csv, row 2, column "influence": influence must be a finite number '
        "(value: 'inf'). Fix: use a number from 0 (none) to 5 (a great deal)",
        'actors.csv, row 2, column "giving": giving must be a finite number (value: \'1e400\'). '
        "Fix: write the amount given a year as a number, e.g. 120",
        'actors.csv, row 3, column "influence": influence must be a finite number '
        "(value: '-inf'). Fix: use a number from 0 (none) to 5 (a great deal)",
        'ties.csv, row 2, column "strength": strength must be a finite number '
        "(value: 'Infinity'). Fix: use 1–3 or weak / medium / strong"]
    with pytest.raises(ValidationError) as err:  # extra columns too (JSON's Infinity, pandas)
        influence.build(actors=[{"id": "a", "kind": "resident", "score": float("inf")}])
    assert str(err.value.problems[0]) == (
        '<data>, sheet "actors", row 2, column "score": score must be a finite number '
        "(value: inf). Fix: write an ordinary number, or leave the cell empty")


def test_a_column_of_numbers_is_checked_as_one_array_with_the_same_result():
    """A workbook's number column (ints, floats, inf, gaps) gives the same values and the
    same problems, in the same order, as checking cell by cell."""
    import math

    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from influence import parsing
    from influence.validate import Collector, Table

    cell = st.one_of(st.none(), st.integers(-10, 10), st.floats(-10, 10),
                     st.sampled_from([math.inf, -math.inf, 2.5, 3]))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(cell, max_size=12), st.sampled_from([(1, 3), (0, None), (0, 5)]))
    def check(values, bounds):
        arr = np.array(values + ["x"], dtype=object)[:-1]  # an object array, never 2-d
        results = []
        for fast in (True, False):
            table, col = Table(None, file="t.xlsx", sheet="ties", rows=range(2, 14)), Collector()
            if fast:
                xs = parsing.number_column(table, arr, "strength", *bounds, "fix", col)
            else:
                xs = parsing.number_column(table, [str(v) if v is not None else None
                                                  for v in arr], "strength", *bounds, "fix",
                                           col)
                xs = np.where(np.isnan(xs), np.nan, xs)
            results.append((xs, [(p.row, p.message, p.severity) for p in col.problems]))
        (a, pa), (b, pb) = results
        np.testing.assert_array_equal(a, b)
        assert pa == pb

    check()


def test_tie_ends_are_found_among_the_actors_as_get_indexer_finds_them():
    """validate._positions (one hash pass over ids and both ends) against pandas' look-up,
    with repeated ids, empty ends and ends that are not actors."""
    import importlib

    import numpy as np
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    v = importlib.import_module("influence.validate")
    word = st.sampled_from(["a", "b", "c", "d", "e"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.one_of(word, st.none()), max_size=8),
           st.lists(st.one_of(st.none(), word), max_size=8),
           st.lists(st.one_of(st.none(), word), max_size=8), st.booleans())
    def check(ids, source, target, as_index):  # an empty id (never from a map) too
        src, tgt = np.array(source, dtype=object), np.array(target, dtype=object)
        given_ids = pd.Index(ids, dtype="string") if as_index else ids
        known = pd.Index(given_ids, dtype=object).drop_duplicates()  # the look-up it replaces
        got = v._positions(given_ids, src, tgt)
        assert got["source"].tolist() == known.get_indexer(src).tolist()
        assert got["target"].tolist() == known.get_indexer(tgt).tolist()

    check()


def test_first_of_gives_each_codes_first_row():
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from influence.parsing import first_of

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(-1, 5), max_size=30))
    def check(codes):
        want = [codes.index(c) if c in codes else -1 for c in range(6)]
        assert first_of(np.array(codes, dtype=np.int64), 6).tolist() == want

    check()


def test_duplicate_ties_and_self_loops_are_warned_on_their_rows():
    """Each tie repeating an earlier one (same two actors, either way round when undirected,
    same kind) is warned with the row of the first; a self-loop is warned as one. Checked
    against a row-by-row reading of the same ties."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    ids = ["a", "b", "c"]
    tie = st.tuples(st.sampled_from(ids), st.sampled_from(ids),
                    st.sampled_from(["knows", "works_with"]), st.booleans())

    @settings(max_examples=200, deadline=None)
    @given(st.lists(tie, max_size=12))
    def check(ties):
        want, seen = [], {}
        for row, (s, t, kind, directed) in enumerate(ties, start=2):
            if s == t:
                want.append((row, "target", "self-loop"))
                continue
            pair = (s, t) if directed else tuple(sorted((s, t), key=ids.index))
            if (pair, kind) in seen:
                want.append((row, "source", f"duplicate tie {s} - {t} ({kind}), also on row "
                                            f"{seen[pair, kind]}"))
            else:
                seen[pair, kind] = row
        m = influence.build([{"id": i, "kind": "resident"} for i in ids],
                            [{"source": s, "target": t, "kind": k, "directed": d}
                             for s, t, k, d in ties])
        got = [(p.row, p.column, p.message.split(" (a tie")[0] if "self-loop" in p.message
                else p.message) for p in m.warnings if p.column in ("source", "target")]
        assert got == want

    check()


def test_only_held_drops_the_values_no_cell_holds():
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from influence.parsing import only_held

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(-1, 5), max_size=20), st.booleans())
    def check(codes, hint):
        distinct = list("abcdef")
        arr = np.array(codes, dtype=np.int64)
        among = list(range(6)) if hint else None  # every code may have gone, said or not
        got, kept = only_held(arr, distinct, among)
        assert [None if c < 0 else kept[c] for c in got.tolist()] == \
            [None if c < 0 else distinct[c] for c in codes]
        assert kept == [d for i, d in enumerate(distinct) if i in codes]  # in order, held only

    check()
