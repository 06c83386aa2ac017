"""A second account of the week: validation accepts it, shared events count once, coverage counts it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import osweek
from osweek import analysis
from osweek.analysis import charts
from osweek.paths import sources_dir

PROGRAMME = """UN Open Source Week 2026: programme
Tuesday: Open Source x AI, opening keynote in the General Assembly Hall.
Thursday: OSPOs for Good, a full day on open source programme offices for the public good.
"""


def _append(path: Path, row: dict[str, object]) -> None:
    """Append one row to a CSV file, in the column order of its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(row)


@pytest.fixture
def two_sources(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped data plus a small second account (an official programme) that mentions one shared event and one new one."""
    texts = tmp_path / "sources"
    shipped = sources_dir()
    if shipped is None:
        pytest.fail("../shared/sources is missing: the second-source test needs the first account's text too")
    shutil.copytree(shipped, texts)
    (texts / "programme.txt").write_text(PROGRAMME, encoding="utf-8")
    _append(texts / "index.csv", {"file": "programme.txt", "kind": "official-programme", "stored": "whole page",
                                  "url": "https://example.org/programme", "title": "UN Open Source Week 2026: programme"})
    monkeypatch.setenv("OSWEEK_SOURCES", str(texts))
    _append(data_copy / "sources.csv", {
        "source_id": "programme2026", "title": "UN Open Source Week 2026: programme", "author": "United Nations",
        "author_basis": "stated", "published": "2026-06-29", "published_basis": "stated", "kind": "official-programme",
        "stored": "whole", "url": "https://example.org/programme", "published_as_listed": "2026-06-29", "pointer": "paragraph",
        "edition": "2026", "edition_basis": "stated", "paragraph_count": 3, "file": "programme.txt", "language": "en",
    })
    _append(data_copy / "events.csv", {
        "event_id": "osxai-keynote", "title": "Open Source x AI opening keynote", "title_basis": "descriptive", "kind": "keynotes",
        "scope": "week", "status": "reported", "programme": "main", "date": "2026-06-23", "end_date": "2026-06-23", "date_basis": "weekday",
        "date_ref": "osw2026-agenda", "venue_basis": "not-stated", "parent_id": "osw-2026", "author_attended": "not-stated",
        "source_id": "programme2026", "paragraph": 2,
    })
    _append(data_copy / "citations.csv", {"table": "events", "record_id": "ospos-for-good", "source_id": "programme2026", "paragraph": 3})
    return data_copy


def test_validation_accepts_a_second_source(two_sources: Path) -> None:
    assert osweek.validate(two_sources) == []


def test_a_second_source_is_checked_like_the_first(two_sources: Path) -> None:
    _append(two_sources / "citations.csv", {"table": "events", "record_id": "ospos-for-good", "source_id": "programme2026", "paragraph": 9})
    problems = [str(p) for p in osweek.validate(two_sources)]
    assert any("citations.csv" in p and "'9'" in p and "programme2026" in p for p in problems), problems


def test_an_event_both_sources_mention_is_counted_once(two_sources: Path) -> None:
    before, after = osweek.load(), osweek.load(two_sources)
    assert len(analysis.sessions(after)) == len(analysis.sessions(before)) + 1  # the new keynote, not the shared day
    mentions = analysis.event_sources(after)
    assert set(mentions.query("event_id == 'ospos-for-good'")["source_id"]) == {"foster2026", "programme2026"}
    assert not analysis.week_events(after)["event_id"].duplicated().any()


def test_coverage_figures_count_the_second_source(two_sources: Path) -> None:
    ds = osweek.load(two_sources)
    coverage = analysis.coverage_by_source(ds).set_index("source_id")
    assert coverage.loc["programme2026", "events_reported"] == 2
    assert coverage.loc["programme2026", "events_reported_only_here"] == 1
    before = analysis.coverage_by_source(osweek.load()).set_index("source_id")
    assert coverage.loc["foster2026", "events_reported_only_here"] == before.loc["foster2026", "events_reported_only_here"] - 1  # the day now shared
    assert coverage.loc["foster2026", "events_anticipated"] == 1  # the Friday it only looks forward to
    tuesday = charts.sessions_per_day(ds).data.query("weekday == 'Tuesday' and programme == 'main'")
    assert tuesday["events"].sum() == 1  # the programme's keynote now shows on the day the blog did not cover


def test_evidence_index_lists_the_second_source(two_sources: Path) -> None:
    ds = osweek.load(two_sources)
    index = analysis.evidence_index(ds)
    assert set(index.query("source_id == 'programme2026'")["paragraph"]) == {1, 2, 3}
    markdown = analysis.evidence_markdown(ds)
    assert 'id="programme2026-p3"' in markdown and "(p3)=" in markdown  # the first account's places are MyST targets, others HTML ids


def test_only_here_is_left_out_when_one_source_reports_events() -> None:
    """With one account in view every event is 'only here', so the column would say nothing and is not given."""
    one = analysis.coverage_by_source(osweek.load().restricted_to(osweek.FIRST_ACCOUNT))
    assert "events_reported_only_here" not in one.columns
    assert one.set_index("source_id").loc[osweek.FIRST_ACCOUNT, "events_reported"] > 0
