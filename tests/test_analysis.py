"""Tests of osweek.analysis: on the shipped data, and on small edits of a copy of it (``data_copy``).

Counts on the shipped data are checked against the raw CSV files or against each other, never
against numbers copied from the book; literal facts are ones the account itself states.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import osweek
from osweek import analysis
from osweek.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


FIRST = osweek.FIRST_ACCOUNT  # the chapters' analyses describe the first account (the dataset restricted to it)


def rows(folder: Path, file: str, every_source: bool = False) -> list[dict[str, str]]:
    """A table's rows as the CSV file has them; unless *every_source*, only the first account's (rows citing it, or no source)."""
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    if every_source:
        return table
    if file == "statement_themes.csv":  # the themes of the first account's statements
        kept = {s["statement_id"] for s in rows(folder, "statements.csv")}
        return [r for r in table if r["statement_id"] in kept]
    table = [r for r in table if r.get("source_id", FIRST) == FIRST]
    if file == "people.csv":  # each person as the first account gives them (affiliations.csv), else unknown
        stated = {a["person_id"]: a for a in rows(folder, "affiliations.csv")}
        sectors = {o["org_id"]: o["sector"] for o in rows(folder, "organizations.csv", every_source=True)}
        for person in table:
            version = stated.get(person["person_id"], {})
            person["organization_id"] = version.get("organization_id", "")
            person["title"] = version.get("title", "")
            person["sector"] = sectors[person["organization_id"]] if person["organization_id"] else "unknown"
    return table


def first_account(folder: Path | None = None) -> osweek.Dataset:
    """The dataset restricted to the first account, as the chapters load it."""
    return osweek.load(folder).restricted_to(FIRST)


def append(folder: Path, file: str, *new: dict[str, str]) -> None:
    """Append rows to a CSV file of the package; missing cells are left empty."""
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (folder / file).open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n", restval="")
        writer.writerows(new)


def edit(folder: Path, file: str, key: str, value: str, **changes: str) -> None:
    """Change cells of the row whose *key* column is *value*."""
    table = rows(folder, file, every_source=True)
    matched = [r for r in table if r[key] == value]
    assert len(matched) == 1, f"{file}: no single row with {key}={value}"
    matched[0].update(changes)
    with (folder / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


@pytest.fixture(scope="module")
def ds() -> osweek.Dataset:
    return first_account()


# --- Who spoke ------------------------------------------------------------------------------------


def test_speakers_are_the_people_with_a_speaking_role(ds):
    spoke = {r["person_id"] for r in rows(DATA, "appearances.csv") if r["role"] in analysis.SPEAKING_ROLES}
    people = analysis.speakers(ds)
    assert set(people["person_id"]) == spoke
    assert people["person_id"].is_unique


def test_speakers_leave_out_the_author_who_attended(ds):
    roles = {r["role"] for r in rows(DATA, "appearances.csv") if r["person_id"] == "dawn-foster"}
    assert roles <= {"attendee", "special-guest"}, roles
    assert "dawn-foster" not in set(analysis.speakers(ds)["person_id"])
    assert not set(analysis.speaker_appearances(ds)["role"]) & {"attendee", "special-guest"}


def test_ruth_suehle_moderated_the_connected_world_panel(ds):
    # The account: the panel "Open Source and Digital Sovereignty in a Connected World", moderated by Ruth Suehle.
    spoke = analysis.speaker_appearances(ds)
    row = spoke.query("name == 'Ruth Suehle'")
    assert list(row["role"]) == ["moderator"]
    assert list(row["event"]) == ["Open Source and Digital Sovereignty in a Connected World"]
    assert list(row["event_kind"]) == ["panel"]


def test_speaker_appearances_keep_every_speaking_row(ds):
    raw = [r for r in rows(DATA, "appearances.csv") if r["role"] in analysis.SPEAKING_ROLES]
    spoke = analysis.speaker_appearances(ds)
    assert len(spoke) == len(raw)
    assert Counter(zip(spoke["person_id"], spoke["event_id"], strict=True)) == Counter((r["person_id"], r["event_id"]) for r in raw)
    people = {r["person_id"]: r for r in rows(DATA, "people.csv")}
    assert all(people[p]["sector"] == s for p, s in zip(spoke["person_id"], spoke["sector"].astype(str), strict=True))


def test_speakers_by_sector_adds_up(ds):
    table = analysis.speakers_by_sector(ds)
    assert list(table["sector"]) == analysis.SECTOR_ORDER
    assert table["speakers"].sum() == len(analysis.speakers(ds))
    assert table["share"].sum() == pytest.approx(1)
    assert table["sector_label"].notna().all()
    people = {r["person_id"]: r["sector"] for r in rows(DATA, "people.csv")}
    expected = Counter(people[p] for p in analysis.speakers(ds)["person_id"])
    assert dict(zip(table["sector"], table["speakers"], strict=True)) == {s: expected.get(s, 0) for s in analysis.SECTOR_ORDER}


def test_appearances_by_role_and_kind_add_up(ds):
    total = len(analysis.speaker_appearances(ds))
    for column in ("role", "event_kind"):
        table = analysis.appearances_by(ds, column)
        assert table["appearances"].sum() == total
        assert not table.duplicated([column, "sector"]).any()


def test_speakers_by_country_counts_every_speaker_once(ds):
    table = analysis.speakers_by_country(ds)
    assert table["speakers"].sum() == len(analysis.speakers(ds))
    assert table["country"].is_unique
    assert table["country_name"].notna().all()
    assert list(table["speakers"]) == sorted(table["speakers"], reverse=True)
    # Countries come from country_converter, not from a hand-made list.
    assert table.set_index("country").loc["DEU", "un_region"] == "Western Europe"


def test_government_voices_name_the_countries_in_the_account(ds):
    voices = analysis.government_voices(ds)
    # The account: ministers from Morocco and Tanzania, an Irish CIO, the (German) Sovereign Tech Agency,
    # the OSPOs of Kenya and of Trinidad and Tobago, EU funding.
    assert {"MAR", "TZA", "IRL", "DEU", "KEN", "TTO", "EU"} <= set(voices["country"])
    governments = {o["org_id"] for o in rows(DATA, "organizations.csv") if o["sector"] == "government" and o["country"]}
    officials = {p["person_id"] for p in rows(DATA, "people.csv") if p["organization_id"] in governments}
    assert voices["statements"].sum() == sum(s["person_id"] in officials for s in rows(DATA, "statements.csv"))
    assert voices["country"].is_unique


# --- The week -------------------------------------------------------------------------------------


def test_week_events_leave_out_referenced_events(ds):
    week = analysis.week_events(ds)
    raw = rows(DATA, "events.csv")
    assert set(week["event_id"]) == {e["event_id"] for e in raw if e["scope"] == "week"}
    # The account compares the week with FOSDEM and Open Source Summit North America; neither is part of it.
    assert not {"FOSDEM", "Open Source Summit North America"} & set(week["title"])
    assert {"FOSDEM", "Open Source Summit North America"} <= {e["title"] for e in raw}


def test_sessions_are_week_events_without_containers(ds):
    sessions = analysis.sessions(ds)
    assert not set(sessions["kind"]) & {"week", "day-programme"}
    week = analysis.week_events(ds)
    assert len(sessions) == (~week["kind"].isin(["week", "day-programme"])).sum()


def test_reported_and_anticipated_sessions_split_the_sessions(ds):
    sessions, reported, anticipated = analysis.sessions(ds), analysis.reported_sessions(ds), analysis.anticipated_sessions(ds)
    assert (reported["status"] == "reported").all() and (anticipated["status"] == "anticipated").all()
    assert len(reported) + len(anticipated) == len(sessions)
    # The account only looks forward to the Friday's Community Day (paragraph 20): it is anticipated, never counted as reported.
    assert list(anticipated["event_id"]) == ["community-day"]


def test_week_events_follow_the_order_of_narration(ds):
    week = analysis.week_events(ds)
    for _, day in week.groupby("date"):
        assert list(day["paragraph"]) == sorted(day["paragraph"]), "events of a day must appear in the account's order"
    thursday = week.query("weekday == 'Thursday'")["event_id"].tolist()
    assert thursday.index("chaoss-breakfast") < thursday.index("ospos-keynotes") < thursday.index("panel-strategic-independence")


def test_events_per_day_counts_every_reported_session_on_its_day(ds):
    table = analysis.events_per_day(ds)
    assert table["events"].sum() == len(analysis.reported_sessions(ds))
    assert set(table["date"]) == set(ds.days["date"])
    per_day = analysis.reported_sessions(ds).groupby("date").size()
    assert table.groupby("date")["events"].sum().reindex(per_day.index).tolist() == per_day.tolist()


def test_week_events_carry_the_day_theme(ds):
    week = analysis.week_events(ds).dropna(subset=["date"])
    themes = {pd.Timestamp(r["date"]): r["official_theme"] for r in rows(DATA, "days.csv")}
    assert all(themes[d] == t for d, t in zip(week["date"], week["day_theme"], strict=True))


# --- Themes ---------------------------------------------------------------------------------------


def test_theme_counts_match_the_coding(ds):
    coding = rows(DATA, "statement_themes.csv")
    counts = analysis.theme_counts(ds).set_index("theme_id")
    assert set(counts.index) == set(ds.themes["theme_id"])
    by_theme = Counter(r["theme_id"] for r in coding)
    assert all(counts.loc[t, "statements"] == by_theme.get(t, 0) for t in counts.index)
    assert list(counts["statements"]) == sorted(counts["statements"], reverse=True)
    events = {s["statement_id"]: s["event_id"] for s in rows(DATA, "statements.csv")}
    containers = {e["event_id"] for e in rows(DATA, "events.csv") if e["kind"] in ("week", "day-programme")}
    for theme in counts.index:
        of_theme = [events[r["statement_id"]] for r in coding if r["theme_id"] == theme]
        assert counts.loc[theme, "sessions"] == len(set(of_theme) - containers)
        assert counts.loc[theme, "about_week_or_day"] == sum(e in containers for e in of_theme)


def test_theme_by_sector_splits_each_theme_count(ds):
    matrix = analysis.theme_by_sector(ds)
    counts = analysis.theme_counts(ds).set_index("label")["statements"]
    assert (matrix.sum(axis=1) == counts.reindex(matrix.index)).all()
    assert list(matrix.columns) == [analysis.SECTOR_LABELS[s] for s in [*analysis.SECTOR_ORDER, analysis.NO_SPEAKER]]


def brute_force_pairs(folder: Path) -> Counter:
    labels = {t["theme_id"]: t["label"] for t in rows(folder, "themes.csv")}
    by_statement: dict[str, set[str]] = {}
    for r in rows(folder, "statement_themes.csv"):
        by_statement.setdefault(r["statement_id"], set()).add(labels[r["theme_id"]])
    return Counter(pair for themes in by_statement.values() for pair in itertools.combinations(sorted(themes), 2))


def test_theme_pairs_count_each_pair_of_a_statement_once(ds):
    pairs = analysis.theme_pairs(ds)
    assert (pairs["label_a"] < pairs["label_b"]).all()
    assert dict(zip(zip(pairs["label_a"], pairs["label_b"], strict=True), pairs["statements"], strict=True)) == dict(brute_force_pairs(DATA))
    assert list(pairs["statements"]) == sorted(pairs["statements"], reverse=True)


def test_theme_cooccurrence_is_symmetric_and_matches_pairs(ds):
    matrix = analysis.theme_cooccurrence(ds)
    assert list(matrix.index) == list(matrix.columns)
    assert (matrix.values == matrix.values.T).all()
    assert (matrix.values.diagonal() == 0).all()
    for r in analysis.theme_pairs(ds).itertuples():
        assert matrix.loc[r.label_a, r.label_b] == matrix.loc[r.label_b, r.label_a] == r.statements
    assert matrix.values.sum() == 2 * analysis.theme_pairs(ds)["statements"].sum()


def test_statement_table_has_every_statement_once(ds):
    table = analysis.statement_table(ds)
    assert len(table) == len(ds.statements) and table["statement_id"].is_unique
    unattributed = table[ds.statements["person_id"].isna().to_numpy()]
    assert (unattributed["speaker"] == f"({analysis.NO_SPEAKER})").all()
    assert (unattributed["sector"] == analysis.NO_SPEAKER).all()
    assert table["themes"].notna().all(), "a statement without a theme"


# --- Government OSPOs -----------------------------------------------------------------------------


def test_the_kenya_and_trinidad_and_tobago_ospos(ds):
    comparison = analysis.ospo_comparison(ds)
    assert list(comparison.columns) == ["Kenya OSPO", "Trinidad & Tobago OSPO"]
    # The account: both began as pilots funded by the European Union.
    assert comparison.loc["Funding"].str.contains("EU").all()


def test_focus_matrix_counts_every_focus_area(ds):
    matrix = analysis.focus_matrix(ds)
    areas = analysis.focus_areas(ds)
    used = {r["category"] for r in rows(DATA, "ospo_focus_areas.csv")}
    assert list(matrix.index) == [label for key, label in analysis.FOCUS_LABELS.items() if key in used]
    assert matrix.sum().to_dict() == areas.groupby("ospo").size().to_dict()
    assert matrix.to_numpy().sum() == len(rows(DATA, "ospo_focus_areas.csv"))
    assert areas["category"].notna().all()


# --- Coverage and evidence ------------------------------------------------------------------------


def test_coverage_agrees_with_the_tables(ds):
    c = analysis.coverage(ds)
    sessions, people = analysis.reported_sessions(ds), analysis.speakers(ds)
    assert c["sessions_anticipated"] == len(analysis.anticipated_sessions(ds))
    assert c["days"] == len(rows(DATA, "days.csv"))
    assert c["days_covered"] == sum(r["covered_by_source"] == "true" for r in rows(DATA, "days.csv"))
    assert c["sessions"] == len(sessions) == c["main_sessions"] + c["side_sessions"]
    assert c["sessions_no_speaker"] == len(set(sessions["event_id"]) - set(analysis.speaker_appearances(ds)["event_id"]))
    assert c["speakers"] == len(people)
    by_sector = analysis.speakers_by_sector(ds).set_index("sector")["speakers"]
    assert c["speakers_unknown"] == by_sector["unknown"] and c["speakers_government"] == by_sector["government"]
    assert c["organizations"] == sum(o["kind"] != "venue" for o in rows(DATA, "organizations.csv"))
    assert c["countries"] == len({o["country"] for o in rows(DATA, "organizations.csv")} - {"", "EU"})
    assert c["statements"] == len(rows(DATA, "statements.csv"))
    assert c["statements_attributed"] == sum(bool(s["person_id"]) for s in rows(DATA, "statements.csv"))
    assert c["themes"] == len(rows(DATA, "themes.csv"))
    assert c["paragraphs"] == sum(int(s["paragraph_count"]) for s in rows(DATA, "sources.csv"))
    assert all(isinstance(v, int) for v in c.values())


def test_evidence_index_covers_every_paragraph(ds):
    index = analysis.evidence_index(ds)
    for source in rows(DATA, "sources.csv"):
        paragraphs = set(index.query("source_id == @source['source_id']")["paragraph"])
        assert paragraphs == set(range(1, int(source["paragraph_count"]) + 1))


def test_evidence_index_lists_every_cited_record(ds):
    index = analysis.evidence_index(ds).dropna(subset=["item"])
    cited = set(zip(index["source_id"], index["paragraph"], index["item"], strict=True))
    for file, text in (("people.csv", "name"), ("organizations.csv", "name"), ("events.csv", "title"),
                       ("statements.csv", "summary"), ("ospo_focus_areas.csv", "summary")):
        for r in rows(DATA, file):
            shown = r[text] + (f" (note: {r['notes']})" if r.get("notes") else "")  # a record's note travels with it
            assert (r["source_id"], int(r["paragraph"]), shown) in cited, f"{file}: {r[text]} not in the evidence index"


def test_evidence_markdown_has_a_target_per_paragraph(ds):
    text = analysis.evidence_markdown(ds)
    targets = re.findall(r"^\(p(\d+)\)=$", text, flags=re.MULTILINE)
    assert [int(t) for t in targets] == list(range(1, int(ds.sources["paragraph_count"].iloc[0]) + 1))


# --- Small synthetic edits of a copy of the data --------------------------------------------------


def test_a_new_speaker_with_unknown_affiliation_counts_as_unknown(data_copy):
    before = analysis.speakers_by_sector(first_account(data_copy)).set_index("sector")["speakers"]
    append(data_copy, "people.csv", {"person_id": "test-person", "name": "Test Person", "sector": "unknown",
                                      "affiliation_basis": "unknown", "source_id": "foster2026", "paragraph": "13"})
    append(data_copy, "appearances.csv", {"person_id": "test-person", "event_id": "panel-connected-world",
                                           "role": "panelist", "source_id": "foster2026", "paragraph": "13"})
    ds = first_account(data_copy)
    after = analysis.speakers_by_sector(ds).set_index("sector")["speakers"]
    assert after["unknown"] == before["unknown"] + 1
    assert (after.drop("unknown") == before.drop("unknown")).all()
    assert analysis.coverage(ds)["speakers_unknown"] == after["unknown"]


def test_a_new_attendee_is_not_a_speaker(data_copy):
    before = analysis.coverage(first_account(data_copy))
    append(data_copy, "people.csv", {"person_id": "test-attendee", "name": "Test Attendee", "sector": "unknown",
                                      "affiliation_basis": "unknown", "source_id": "foster2026", "paragraph": "13"})
    append(data_copy, "appearances.csv", {"person_id": "test-attendee", "event_id": "panel-connected-world",
                                           "role": "attendee", "source_id": "foster2026", "paragraph": "13"})
    ds = first_account(data_copy)
    assert "test-attendee" not in set(analysis.speakers(ds)["person_id"])
    assert analysis.coverage(ds)["speakers"] == before["speakers"]


def test_a_speaker_in_two_sessions_counts_once(data_copy):
    ds = first_account(data_copy)
    before_people, before_rows = len(analysis.speakers(ds)), len(analysis.speaker_appearances(ds))
    append(data_copy, "appearances.csv", {"person_id": "ruth-suehle", "event_id": "panel-strategic-independence",
                                           "role": "panelist", "source_id": "foster2026", "paragraph": "19"})
    ds = first_account(data_copy)
    assert len(analysis.speakers(ds)) == before_people
    assert len(analysis.speaker_appearances(ds)) == before_rows + 1


def test_a_new_referenced_event_stays_out_of_the_week(data_copy):
    before = len(analysis.week_events(first_account(data_copy)))
    append(data_copy, "events.csv", {"event_id": "test-conf", "title": "Some Other Conference", "title_basis": "stated",
                                      "kind": "conference", "scope": "referenced", "programme": "not-applicable",
                                      "date_basis": "not-applicable", "venue_basis": "not-applicable",
                                      "author_attended": "not-stated", "source_id": "foster2026", "paragraph": "5"})
    ds = first_account(data_copy)
    assert len(analysis.week_events(ds)) == before
    assert "test-conf" not in set(analysis.sessions(ds)["event_id"])
    assert "test-conf" in set(ds.events["event_id"])


def test_a_new_statement_with_two_themes_adds_their_pair_both_ways(data_copy):
    ds = first_account(data_copy)
    labels = ds.themes.set_index("theme_id")["label"]
    a, b = sorted([labels["digital-divide"], labels["geopolitics"]])
    before = analysis.theme_cooccurrence(ds)
    append(data_copy, "statements.csv", {"statement_id": "st-test", "event_id": "panel-connected-world", "attribution": "session",
                                          "summary": "A test statement.", "source_id": "foster2026", "paragraph": "13"})
    append(data_copy, "statement_themes.csv", {"statement_id": "st-test", "theme_id": "digital-divide"},
           {"statement_id": "st-test", "theme_id": "geopolitics"})
    ds = first_account(data_copy)
    after = analysis.theme_cooccurrence(ds)
    assert after.loc[a, b] == after.loc[b, a] == before.loc[a, b] + 1
    assert dict(zip(zip(*[analysis.theme_pairs(ds)[c] for c in ("label_a", "label_b")], strict=True), analysis.theme_pairs(ds)["statements"], strict=True)) \
        == dict(brute_force_pairs(data_copy))
    counts = analysis.theme_counts(ds).set_index("theme_id")["statements"]
    assert counts["digital-divide"] == analysis.theme_counts(first_account(DATA)).set_index("theme_id").loc["digital-divide", "statements"] + 1


def test_paragraphs_nobody_cites_still_appear_in_the_evidence_index(data_copy):
    count = int(rows(data_copy, "sources.csv")[0]["paragraph_count"])
    edit(data_copy, "sources.csv", "source_id", "foster2026", paragraph_count=str(count + 2))
    ds = first_account(data_copy)
    index = analysis.evidence_index(ds)
    assert set(index["paragraph"]) == set(range(1, count + 3))
    assert index.query("paragraph > @count")["item"].isna().all()
    markdown = analysis.evidence_markdown(ds)
    tail = markdown.split(f"(p{count + 1})=", 1)[1]
    assert tail.count("No record cites this paragraph.") == 2
    assert analysis.coverage(ds)["paragraphs"] == count + 2


def test_a_new_government_appears_among_government_voices(data_copy):
    append(data_copy, "organizations.csv", {"org_id": "test-gov", "name": "Government of Chile", "kind": "government",
                                             "sector": "government", "country": "CHL", "country_basis": "stated",
                                             "source_id": "foster2026", "paragraph": "12"})
    append(data_copy, "people.csv", {"person_id": "test-minister", "name": "Test Minister", "organization_id": "test-gov",
                                      "sector": "government", "affiliation_basis": "stated", "affiliation_source": "foster2026",
                                      "source_id": "foster2026", "paragraph": "12"})
    append(data_copy, "affiliations.csv", {"person_id": "test-minister", "source_id": "foster2026", "paragraph": "12", "organization_id": "test-gov"})
    ds = first_account(data_copy)
    voices = analysis.government_voices(ds).set_index("country")
    assert voices.loc["CHL", "people"] == "Test Minister"
    assert voices.loc["CHL", "statements"] == 0
    assert voices.loc["CHL", "country_name"] == "Chile"
    assert analysis.coverage(ds)["countries"] == analysis.coverage(first_account(DATA))["countries"] + 1
