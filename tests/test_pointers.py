"""Pointers into the sources: each kind checked (paragraph, entry, time), and the programme ingest reproduces the committed tables.

Every rule has a bad-input test: the validator names the file, the row, the field and the value, the command line
exits 1 and prints nothing on stdout. The checks against the files themselves need ../shared/sources.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from test_data import edit_row, read_csv, write_csv

from osweek import load, validate
from osweek.paths import REPO_ROOT, sources_dir

SOURCES = sources_dir()
needs_sources = pytest.mark.skipif(SOURCES is None, reason="../shared/sources is not present")  # CI has it; a reuser may not


def problems_at(folder: Path, file: str, line: int, field: str) -> list[str]:
    """The validator's messages about one cell."""
    return [str(p) for p in validate(folder) if (p.file, p.row, p.field) == (file, line, field)]


def first_line(folder: Path, file: str, **match: str) -> int:
    """The line of the first row matching *match*, without changing it."""
    return edit_row(folder, file, match, {})


# --- The kind of pointer follows the source ------------------------------------------------------


def test_a_recording_is_not_pointed_to_by_paragraph(data_copy):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"paragraph": "3"})
    assert any("pointed to by time, not by paragraph" in m for m in problems_at(data_copy, "statements.csv", line, "paragraph"))


def test_a_row_citing_a_recording_needs_its_time(data_copy):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"time": ""})
    assert any("give the time" in m for m in problems_at(data_copy, "statements.csv", line, "time"))


def test_a_time_after_the_end_of_the_recording_is_refused(data_copy):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"time": "05:00:00"})
    messages = problems_at(data_copy, "statements.csv", line, "time")
    assert any("after the end of recording 'unwebtv-k12' (01:53:01)" in m for m in messages), messages
    assert all("field 'time' = '05:00:00'" in m for m in messages)


def test_a_card_slug_must_be_an_entry_of_the_capture(data_copy):
    if SOURCES is None:
        pytest.skip("the cards are checked against programme/speakers.json")
    line = edit_row(data_copy, "people.csv", {"person_id": "salima-bah"}, {"entry": "no-such-card"})
    assert any("no entry or card 'no-such-card'" in m for m in problems_at(data_copy, "people.csv", line, "entry"))


def test_an_agenda_entry_must_exist_in_the_committed_programme(data_copy):
    rows = read_csv(data_copy / "citations.csv")
    header = rows[0]
    row = dict.fromkeys(header, "")
    row.update({"table": "events", "record_id": "maintainathon", "source_id": "osw2026-agenda", "entry": "sess-2026-999"})
    write_csv(data_copy / "citations.csv", [*rows, [row[h] for h in header]])
    line = len(rows) + 1
    assert any("no entry 'sess-2026-999'" in m for m in problems_at(data_copy, "citations.csv", line, "entry"))


# --- Recordings: a time is a cue, an appearance lies within its session -------------------------------


@needs_sources
def test_a_time_must_be_the_start_of_a_cue(data_copy):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"time": "00:00:46"})
    assert any("no cue starts at 00:00:46" in m for m in problems_at(data_copy, "statements.csv", line, "time"))


def test_an_appearance_outside_its_session_in_the_recording_is_refused(data_copy):
    # Ruth Suehle moderates sess-2026-067 (00:53:30-01:49:38 in k12); 00:10:00 is in the opening keynotes.
    line = edit_row(data_copy, "appearances.csv", {"person_id": "ruth-suehle", "source_id": "unwebtv-k12"}, {"time": "00:10:00"})
    messages = problems_at(data_copy, "appearances.csv", line, "time")
    assert any("outside session 'sess-2026-067' in 'unwebtv-k12'" in m for m in messages), messages


def test_a_session_the_recording_does_not_carry_is_refused(data_copy):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"session_id": "sess-2026-073"})
    assert any("not a session recorded in 'unwebtv-k12'" in m for m in problems_at(data_copy, "statements.csv", line, "session_id"))


# --- Names as written, forms as heard ------------------------------------------------------------------


NAME_SPELLINGS = {  # a misspelt name, where the validator must catch it, and what it must say
    "as its card spells it": ("people.csv", {"person_id": "salima-bah"}, {"name": "Salima Baa"}, "name",
                              "card 'hon-salima-bah' spells it 'Hon. Salima Bah'"),
    "as its paragraph spells it": ("people.csv", {"person_id": "jim-zemlin"}, {"name": "Jim Zemlyn"}, "name",
                                   "not spelled so in paragraph 12"),
    "as heard near its time": ("appearances.csv", {"appearance_id": "ap-unwebtv-k12-002"}, {"name_heard": "Somebody Else"},
                               "name_heard", "not heard within 30 s of"),
}


@needs_sources
@pytest.mark.parametrize("case", NAME_SPELLINGS, ids=lambda case: case.replace(" ", "-"))
def test_a_name_must_be_spelled_as_its_source_gives_it(data_copy, case):
    table, match, change, field, expected = NAME_SPELLINGS[case]
    line = edit_row(data_copy, table, match, change)
    messages = problems_at(data_copy, table, line, field)
    assert any(expected in m for m in messages), messages


# --- The sources table against the shared index ----------------------------------------------------------


@needs_sources
def test_every_file_of_the_index_is_a_source(data_copy):
    ds = load()
    cited = set().union(*(set(ds[name]["source_id"].dropna()) for name in ds if "source_id" in ds[name] and name != "sources"))
    uncited = ds.sources[~ds.sources["source_id"].isin(cited)]
    assert len(uncited) > 0, "every source is cited: pick another way to drop one"
    dropped = uncited.iloc[0]
    rows = read_csv(data_copy / "sources.csv")
    write_csv(data_copy / "sources.csv", [r for r in rows if r[0] != dropped["source_id"]])
    problems = validate(data_copy)
    assert any(p.file == "sources.csv" and p.value == dropped["file"] and "not a source" in p.reason for p in problems), problems


@needs_sources
@pytest.mark.parametrize(("field", "value", "says"), [
    ("kind", "news", "index.csv gives 'attendee-blog'"),
    ("paragraph_count", "41", "the file has 40"),
])
def test_a_source_is_described_as_the_index_and_its_file_describe_it(data_copy, field, value, says):
    line = edit_row(data_copy, "sources.csv", {"source_id": "pyopensci-2026"}, {field: value})
    assert any(says in m for m in problems_at(data_copy, "sources.csv", line, field))


@needs_sources
def test_a_recording_duration_is_its_last_cue(data_copy):
    line = edit_row(data_copy, "sources.csv", {"source_id": "unwebtv-k12"}, {"duration": "02:00:00"})
    assert any("the file has 01:53:01" in m for m in problems_at(data_copy, "sources.csv", line, "duration"))


def test_cli_exits_1_and_names_the_cell(data_copy, osweek_cli):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-k12-001"}, {"time": "05:00:00"})
    result = osweek_cli("validate", data_copy)
    assert result.returncode == 1 and result.stdout == ""
    assert f"statements.csv:{line}: field 'time' = '05:00:00'" in result.stderr


# --- The programme ingest, as a user runs it ----------------------------------------------------------------

PROGRAMME_TABLES = ("programme_entries.csv", "programme_sessions.csv", "programme_organizers.csv")


@needs_sources
def test_committed_programme_tables_are_what_the_ingest_produces(tmp_path, osweek_cli):
    """Re-running the ingest on the capture gives byte for byte the committed tables."""
    result = osweek_cli("ingest", "programme", SOURCES / "programme", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "programme_sessions 82 rows" in result.stdout
    for name in PROGRAMME_TABLES:
        assert filecmp.cmp(tmp_path / name, REPO_ROOT / "data" / name, shallow=False), f"{name} differs from what the ingest produces"


@needs_sources
def test_ingest_accepts_the_sessions_file_itself(tmp_path, osweek_cli):
    result = osweek_cli("ingest", "programme", SOURCES / "programme" / "sessions.json", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PROGRAMME_TABLES)


@needs_sources
def test_ingest_of_a_bad_capture_names_the_entry_and_writes_nothing(tmp_path, osweek_cli):
    capture = tmp_path / "programme"
    shutil.copytree(SOURCES / "programme", capture)
    text = (capture / "sessions.json").read_text(encoding="utf-8")
    (capture / "sessions.json").write_text(text.replace('"end_time": "10:45"', '"end_time": "quarter to eleven"', 1), encoding="utf-8")
    out = tmp_path / "out"
    result = osweek_cli("ingest", "programme", capture, "--out", out)
    assert result.returncode == 1
    assert "sessions.json: entry" in result.stderr and "field 'end_time' = 'quarter to eleven'" in result.stderr
    assert "nothing written" in result.stderr and result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_ingest_of_a_missing_folder_fails_cleanly(tmp_path, osweek_cli):
    result = osweek_cli("ingest", "programme", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nowhere" in result.stderr


def test_an_event_mapped_to_a_session_of_another_day_is_refused(data_copy):
    line = edit_row(data_copy, "events.csv", {"event_id": "maintainathon"}, {"session_id": "sess-2026-067"})
    assert any("that session is on 2026-06-25, the event on 2026-06-22" in m for m in problems_at(data_copy, "events.csv", line, "session_id"))


# --- Disagreements ---------------------------------------------------------------------------------------


def test_a_disagreement_needs_one_used_version_unless_none_is_preferred(data_copy):
    line = edit_row(data_copy, "disagreement_versions.csv", {"disagreement_id": "D01", "source_id": "osw2026-speakers"}, {"used": "no"})
    assert line > 1
    messages = [str(p) for p in validate(data_copy) if p.file == "disagreements.csv" and p.field == "rule"]
    assert any("0 version(s) marked used; this rule needs 1" in m for m in messages), messages


def test_a_disagreement_about_no_record_is_refused(data_copy):
    line = edit_row(data_copy, "disagreements.csv", {"disagreement_id": "D01"}, {"subject_id": "nobody"})
    assert any("no such record in people.csv" in m for m in problems_at(data_copy, "disagreements.csv", line, "subject_id"))


def test_a_version_points_into_its_source_by_its_kind(data_copy):
    line = edit_row(data_copy, "disagreement_versions.csv", {"disagreement_id": "D01", "source_id": "foster2026"}, {"paragraph": "99"})
    assert any("which has 20 paragraphs" in m for m in problems_at(data_copy, "disagreement_versions.csv", line, "paragraph"))
