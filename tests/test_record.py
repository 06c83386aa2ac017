"""The whole record: the programme against the sources that describe it, the sources' views and origins, where
they disagree, and the links from every row to its evidence. Each test checks what a reader of the week chapter,
the sources chapter or the statements page relies on, and can fail."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_analysis import append

import osweek
from osweek import analysis
from osweek.analysis import programme as pg
from osweek.analysis import sourcing as so


@pytest.fixture(scope="module")
def ds():
    return osweek.load()


@pytest.mark.parametrize("title, expected", [
    ("Opening Keynotes and Fireside Chat", "keynotes"), ("Opening Fireside Chat", "fireside chat"),
    ("High-Level Discussion: Open Source for Digital Development", "panel"), ("Maintain-A-Thon", "hackathon"),
    ("UN Tech Over Hack-A-Thon", "hackathon"), ("Closing Session", "opening or closing"), ("CHAOSS Breakfast", "breakfast"),
    ("Reception: The Global Case for Open in AI", "reception"), ("Open Robots", "other session"),
])
def test_a_session_format_is_read_from_words_of_its_title(title, expected):
    assert pg.session_format(title) == expected


def test_parallel_means_overlapping_on_the_same_day_and_under_three_hours():
    sessions = pd.DataFrame({
        "session_id": ["a", "b", "c", "d", "e"],
        "date": pd.to_datetime(["2026-06-23"] * 4 + ["2026-06-24"]),
        "start": ["15:00", "15:30", "10:00", "16:00", "15:00"],
        "end": ["16:00", "16:30", "18:00", "17:00", "16:00"],
    })
    # a and b overlap; c is all day (left out); d starts as b ends... b ends 16:30, so d overlaps b; e is another day
    assert pg.parallel_sessions(sessions).tolist() == [True, True, False, True, False]


def test_every_planned_session_falls_in_one_coverage_class(ds):
    sessions = pg.programme_sessions(ds)
    spots = pg.blind_spots(ds)
    aliases = pg.slot_aliases(ds)
    assert len(sessions) == len(ds.programme_sessions) - len(aliases) == spots["planned_sessions"]
    assert not set(aliases.index) & set(sessions["session_id"])  # a second title for a slot is not a session of its own
    assert set(sessions["coverage"]) <= set(pg.COVERAGE_CLASSES)
    assert spots["recorded_sessions"] + spots["described_not_recorded"] + spots["programme_only"] == spots["planned_sessions"]
    # a session with a recorded stretch is recorded, whatever else describes it
    assert set(sessions.query("recorded")["session_id"]) == set(ds.recordings.query("segment == 'session'")["session_id"])


def test_two_titles_in_one_room_at_one_time_are_not_parallel_to_each_other():
    sessions = pd.DataFrame({
        "session_id": ["a", "b", "c"], "date": pd.to_datetime(["2026-06-24"] * 3),
        "start": ["12:00", "12:00", "15:00"], "end": ["13:00", "13:00", "16:00"], "shares_slot_with": ["b", "a", None],
    })
    assert pg.parallel_sessions(sessions).tolist() == [False, False, False]


def test_the_agenda_listing_a_session_does_not_describe_it(ds):
    """The programme's own entries are the plan: a session only the agenda lists stays 'programme only'."""
    mentions = pg.session_mentions(ds)
    assert pg.PROGRAMME not in set(mentions["source_id"])
    assert (pg.programme_sessions(ds)["coverage"] == "programme only").any()


def test_a_new_report_of_a_session_moves_it_out_of_the_blind_spots(data_copy: Path, ds):
    before = pg.programme_sessions(ds).set_index("session_id")
    session = before.query("coverage == 'programme only' and parallel").index[0]
    append(data_copy, "citations.csv", {"table": "programme_sessions", "record_id": session, "source_id": "pyopensci-2026",
                                         "paragraph": "3", "note": "a test citation"})
    after = pg.programme_sessions(osweek.load(data_copy)).set_index("session_id")
    assert after.loc[session, "coverage"] == "described, not recorded"
    assert after.loc[session, "accounts"] == 1
    assert pg.blind_spots(osweek.load(data_copy))["parallel_undescribed"] == pg.blind_spots(ds)["parallel_undescribed"] - 1
    assert session in pg.coverage_matrix(osweek.load(data_copy)).index


def test_coverage_matrix_puts_the_recordings_first(ds):
    matrix = pg.coverage_matrix(ds)
    views = pg.source_views(ds)
    first_columns = [views[c] for c in matrix.columns[:6]]
    assert first_columns == ["recording"] * 6
    assert set(matrix.stack()) <= {"recorded", "described"}


def test_sources_on_one_web_host_are_one_origin(ds):
    assert so.origin("https://www.unopensource.org/agenda") == so.origin("https://www.unopensource.org/speakers") == "unopensource.org"
    origins = so.origins(ds)
    assert origins["larson2026-a"] == origins["larson2026-b"]
    supported = so.corroborated(ds)
    assert (supported["origins"] >= 2).all()
    # the Maintain-A-Thon: Seth Larson's two stored parts of one post, on one host, are one origin among its sources
    maintainathon = supported.query("kind == 'the session took place' and fact == 'Maintain-A-Thon'").iloc[0]
    sources = maintainathon["sources"].split("; ")
    assert {"larson2026-a", "larson2026-b"} <= set(sources)
    assert maintainathon["origins"] == len({origins[s] for s in sources}) == len(sources) - 1


def test_every_version_of_every_disputed_fact_is_listed_with_its_place(ds):
    versions = so.disagreement_versions(ds)
    assert len(versions) == len(ds.disagreement_versions)
    assert versions["place"].str.len().gt(0).all()
    assert set(versions["disagreement_id"]) == set(ds.disagreements["disagreement_id"])


def test_a_time_links_to_the_recording_and_a_paragraph_to_the_evidence_index(ds):
    rows = analysis.evidence_links(ds, analysis.statement_table(ds))
    recorded = rows[rows["time"].notna()]
    urls = ds.sources.set_index("source_id")["url"]
    assert (recorded["evidence_url"] == recorded["source_id"].map(urls)).all()
    assert recorded.apply(lambda r: r["evidence"] == f"{r['source_id']} {r['time']}", axis=1).all()
    texts = rows[rows["paragraph"].notna()]
    assert texts["evidence_url"].str.startswith("07-evidence.html#").all()
    first = texts[texts["source_id"] == osweek.FIRST_ACCOUNT]
    assert (first["evidence_url"] == "07-evidence.html#p" + first["paragraph"].astype(str)).all()


def test_the_recorded_view_keeps_only_the_recordings_rows_and_every_person(ds):
    recorded = analysis.recorded(ds)
    transcripts = set(ds.sources.query("kind == 'transcript'")["source_id"])
    assert set(recorded.statements["source_id"]) == transcripts and set(recorded.appearances["source_id"]) == transcripts
    assert len(recorded.people) == len(ds.people)  # affiliations as the whole record gives them
    both = analysis.speakers_by_sector_by_view(ds)
    assert set(both["view"]) == {analysis.VIEW_FIRST, analysis.VIEW_RECORDINGS}
    assert both.query("view == @analysis.VIEW_RECORDINGS")["speakers"].sum() == len(analysis.speakers(recorded))


def test_the_other_sources_leave_fewer_of_the_first_account_speakers_unknown(ds):
    counts = analysis.unknown_before_after(ds)
    assert counts["unknown_after"] <= counts["unknown_before"] <= counts["first_speakers"]
    first = analysis.speakers(ds.restricted_to(osweek.FIRST_ACCOUNT))
    assert counts["unknown_before"] == int((first["sector"] == "unknown").sum())


def test_benchmark_data_at_scale_is_valid_and_larger(tmp_path: Path):
    """`make bench` measures the book on a package with the record of what was said repeated; it must stay valid."""
    from osweek.build.bench import scaled_package

    scaled = scaled_package(tmp_path / "data", 3)
    problems = osweek.validate(scaled)
    assert not problems, [str(p) for p in problems[:5]]
    big, small = osweek.load(scaled), osweek.load()
    for table in ("people", "appearances", "statements", "statement_themes", "affiliations"):
        assert len(big[table]) == 3 * len(small[table]), table
    assert len(big.programme_sessions) == len(small.programme_sessions)  # one programme
