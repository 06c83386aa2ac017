"""Tests of the programme ingest: classes, the duplicate rule (synthetic and on the real capture), output, bad input."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from osweek.ingest import programme
from osweek.ingest.programme import ProgrammeError

SOURCES = Path(os.environ.get("OSWEEK_SOURCES") or Path(__file__).resolve().parents[1].parent / "shared" / "sources")
CAPTURE = SOURCES / "programme"
needs_sources = pytest.mark.skipif(not (CAPTURE / "sessions.json").is_file(), reason=f"no programme capture in {CAPTURE}")

OUTPUTS = ("programme_entries.csv", "programme_sessions.csv", "programme_organizers.csv")
SUMMARY = "This summary is the organizers' own prose and must never be copied into any output table."
ORGS = [
    {"slug": "un-open-source-week", "name": "UN Open Source Week", "type": "un-agency", "provenance": {}},
    {"slug": "dpga", "name": "DPGA", "type": "multilateral", "provenance": {}},
]


def entry(ident: str, title: str, date: str = "2026-06-23", start: str = "15:00", end: str = "16:00", **fields: object) -> dict:
    """A well-formed raw agenda entry; keyword arguments replace or add fields (kind, room, organizations, ...)."""
    item = {"id": ident, "title": title, "date": date, "start_time": start, "end_time": end, "kind": "official",
            "organizations": ["un-open-source-week"], "room": "Conference Room A", "summary": SUMMARY}
    return {**item, **fields}


def side(ident: str, title: str, **fields: object) -> dict:
    """A well-formed raw entry of the community side-event list (no room, DPGA as organizer)."""
    return entry(ident, title, kind="side-event", room=None, organizations=["dpga"], **fields)


def write_capture(folder: Path, sessions: list[dict] | str, orgs: list[dict] | str = ORGS) -> Path:
    """Write sessions.json and organizations.json (objects as JSON, strings as they are) into *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("sessions.json", sessions), ("organizations.json", orgs)):
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return folder


def dedup(raw: list[dict]) -> pd.DataFrame:
    """The deduplicated entries of *raw*, indexed by entry id."""
    return programme.deduplicate(programme.entries(raw)).set_index("entry_id")


# Rules on small synthetic inputs


def test_title_key_drops_bold_organizer_prefix_and_unifies_quotes_dashes_case():
    assert programme.title_key("**DPGA & UNICEF** — What AI Changes") == "what ai changes"
    assert programme.title_key("**Open Cities Lab** – Women  Building Digital") == "women building digital"
    assert programme.title_key("AI as a Digital Public Good: Insights from ADB’s Research ") == "ai as a digital public good: insights from adb's research"
    assert programme.title_key("DPG Showcase & Networking – Community Event") == "dpg showcase & networking - community event"


@pytest.mark.parametrize(
    ("title", "logistics"),
    [
        ("Check-In", True),
        ("Lunch Break", True),
        ("Reception", False),
        ("UN Open Source Week Reception", False),
        ("Open Source Community Drinks NYC", False),
        ("CHAOSS Breakfast", False),
        ("DPGA Members’ Breakfast (by invitation only)", False),
        ("Coffee break", True),
        ("Reception: The Global Case for Open in AI: How Open Source and Open Standards Build Trust Across Borders", False),
        ("DPG Showcase & Networking – Community Event", False),
        ("GitHub's Strengthening Global Open Source Collaboration Amid Rising Nationalism", False),
        ("Closing Session", False),
        ("Breaking Barriers for Open Source Maintainers", False),
    ],
)
def test_logistics_rule(title: str, logistics: bool):
    assert programme.is_logistics(title) is logistics


def test_recording_asset_from_video_url():
    assert programme.recording_asset("https://webtv.un.org/en/asset/k12/k12620x8tm") == "k12-k12620x8tm"
    assert programme.recording_asset(None) is None


def test_entries_keep_fields_normalise_times_and_classify():
    raw = [
        entry("a-1", "  Open Agents ", start="9:00", end="9:45", video_url="https://webtv.un.org/en/asset/k1b/k1b443e64t", type="panel"),
        entry("a-2", "Lunch Break", start="13:00", end="15:00", room="UN Cafes"),
        entry("a-3", "Open Source x AI", start="09:00", end="17:30"),
        entry("a-4", "UN Tech Over Hack-A-Thon", start="10:00", end="18:00"),
        entry("a-5", "Edit-A-Thon", start="10:00", end="18:00"),
        side("s-1", "UN Tech Over Hack-A-Thon, Edit-A-Thon, and Maintain-A-Thon", start="10:00", end="18:00"),
    ]
    table = programme.entries(raw).set_index("entry_id")
    assert list(programme.entries(raw).columns) == programme.ENTRY_COLUMNS
    first = table.loc["a-1"]
    assert (first.title, first.start, first.end, first.recording_asset, first.type) == ("Open Agents", "09:00", "09:45", "k1b-k1b443e64t", "panel")
    assert first.video_url == "https://webtv.un.org/en/asset/k1b/k1b443e64t"
    assert pd.isna(table.loc["s-1", "room"]) and table.loc["s-1", "organizers"] == "dpga"
    assert table.entry_class.to_dict() == {"a-1": "session", "a-4": "session", "a-5": "session", "s-1": "overview", "a-2": "logistics", "a-3": "overview"}


def test_side_event_repeating_one_title_in_two_rooms_is_not_an_overview():
    raw = [
        entry("a-1", "AI as a Digital Public Good: Insights from Research", room="Conference Room 1"),
        entry("a-2", "AI as a Digital Public Good: Insights from Research", room="ECOSOC Chamber"),
        side("s-1", "ADB & UN ODET — AI as a Digital Public Good: Insights from Research"),
    ]
    table = dedup(raw)
    assert set(table.entry_class) == {"session"}
    assert set(table.session_id) == {"a-1"}


def test_dedup_rule_on_synthetic_repeats():
    raw = [
        side("a-001", "**DPGA & UNICEF** — Open Agents", start="16:15", end="17:15"),
        entry("a-002", "Open Agents", start="16:15", end="17:00", room="ECOSOC Chamber"),
        entry("a-003", "Opening Keynotes", date="2026-06-25", start="10:00", end="10:45", room="Conference Room 1"),
        entry("a-004", "Opening Keynotes", date="2026-06-25", start="10:00", end="10:45", room="ECOSOC Chamber"),
        entry("a-005", "Closing Discussion: Openness for Digital Cooperation", start="17:00", end="18:00"),
        entry("a-006", "Closing Discussion: Openness for Digital Cooperation", start="17:15", end="18:00"),
        entry("a-007", "Advancing Safe and Inclusive Digital Public Infrastructure (1)", date="2026-06-24", start="12:00", end="13:00"),
        entry("a-008", "Advancing Safe and Inclusive Digital Public Infrastructure (2)", date="2026-06-24", start="15:00", end="16:00"),
        side("a-009", "Advancing Safe and Inclusive Digital Public Infrastructure", date="2026-06-24", start="12:00", end="13:00"),
        side("a-010", "IDB — Financing Open Source and Digital Public Goods", date="2026-06-25", start="12:00", end="13:00"),
        side("a-011", "**IDB** — Financing Open Source and Digital Public Goods", date="2026-06-25", start="12:00", end="13:00"),
    ]
    table = dedup(raw)
    assert table.session_id.to_dict() == {
        "a-001": "a-002", "a-002": "a-002", "a-003": "a-003", "a-004": "a-003", "a-005": "a-005", "a-006": "a-005",
        "a-007": "a-007", "a-008": "a-008", "a-009": "a-007", "a-010": "a-010", "a-011": "a-010",
    }
    assert table.duplicate_reason.to_dict() == {
        "a-001": "agenda-and-side-event-list", "a-002": "", "a-003": "", "a-004": "same-session-second-room", "a-005": "",
        "a-006": "same-session-second-start-time", "a-007": "", "a-008": "", "a-009": "agenda-and-side-event-list",
        "a-010": "", "a-011": "side-event-list-repeat",
    }


def test_generic_titles_on_other_days_or_times_are_not_merged():
    raw = [
        entry("r-1", "Reception", date="2026-06-22", start="18:30", end="20:00"),
        entry("r-2", "Reception", date="2026-06-25", start="18:30", end="20:00"),
        entry("k-1", "Opening Keynotes", date="2026-06-24", start="10:00", end="10:45"),
        entry("k-2", "Opening Keynotes", date="2026-06-24", start="14:00", end="14:45"),
        entry("k-3", "Opening Keynotes", date="2026-06-25", start="10:00", end="10:45"),
        entry("o-1", "Introducing the Open Source Enablement Compass (OSEC)", date="2026-06-25", start="12:00", end="13:00"),
        entry("o-2", "Introducing the Open Source Enablement Compass (OSEC)", date="2026-06-26", start="15:40", end="16:40"),
        entry("c-1", "Closing Session", date="2026-06-24", start="17:00", end="17:45"),
        entry("c-2", "Closing Remarks", date="2026-06-24", start="17:00", end="17:45"),
    ]
    table = dedup(raw)
    assert (table.session_id == table.index).all()
    assert (table.duplicate_reason == "").all()


def test_dedup_is_deterministic_whatever_the_input_order():
    cities = "Cities, Democracy, and Open Source"
    cases = [("Open Agents", "16:15"), ("Open Agents", "16:15"), (cities, "15:00"), (cities, "16:00")]
    raw = [entry(f"e-{n}", title, start=start) for n, (title, start) in enumerate(cases * 3)]
    expected = programme.deduplicate(programme.entries(raw))
    for seed in range(5):
        shuffled = random.Random(seed).sample(raw, len(raw))
        pd.testing.assert_frame_equal(programme.deduplicate(programme.entries(shuffled)), expected)


def test_sessions_merge_rooms_organizers_assets_and_leave_out_logistics():
    raw = [
        entry("a-1", "Strategic Independence Across Layers of Governance", room="Conference Room 1"),
        entry("a-2", "Strategic Independence Across Layers of Governance", room="ECOSOC Chamber", video_url="https://webtv.un.org/en/asset/k1i/k1i4m11zkv"),
        side("s-1", "**UNESCO** — Strategic Independence Across Layers of Governance"),
        entry("a-3", "Lunch Break", start="13:00", end="15:00", room="UN Cafes"),
        entry("a-4", "Open Source x AI", start="09:00", end="17:30"),
    ]
    table = programme.sessions(programme.deduplicate(programme.entries(raw)))
    assert list(table.columns) == programme.SESSION_COLUMNS
    assert len(table) == 1
    row = table.iloc[0]
    assert (row.session_id, row.title, row.kind) == ("a-1", "Strategic Independence Across Layers of Governance", "official")
    assert row.rooms == "Conference Room 1; ECOSOC Chamber"
    assert (row.organizers, row.recording_asset, row.entry_ids, row.entry_count) == ("dpga;un-open-source-week", "k1i-k1i4m11zkv", "a-1;a-2;s-1", 3)


def test_organizers_table():
    assert programme.organizers(ORGS).to_dict("records") == [
        {"slug": "dpga", "name": "DPGA", "type": "multilateral"},
        {"slug": "un-open-source-week", "name": "UN Open Source Week", "type": "un-agency"},
    ]


def test_ingest_writes_three_csv_files_with_newlines_and_returns_counts(tmp_path: Path):
    folder = write_capture(tmp_path / "capture", [entry("a-1", "Open Agents"), entry("a-2", "Open Agents", room="ECOSOC Chamber"), entry("a-3", "Lunch Break")])
    counts = programme.ingest(folder, tmp_path / "out")
    assert counts == {"programme_entries": 3, "programme_sessions": 1, "programme_organizers": 2}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUTS)
    for name in OUTPUTS:
        data = (tmp_path / "out" / name).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        assert SUMMARY.encode() not in data
    header = (tmp_path / "out" / "programme_entries.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == programme.DEDUP_COLUMNS


def test_check_no_summary_text_names_table_row_and_field():
    raw = [entry("a-1", "Open Agents", summary="Open agents need open models and open standards to be trusted. Short one.")]
    titles = ["Open Agents", "Open agents need open models and open standards to be trusted."]
    tables = {"programme_sessions.csv": pd.DataFrame({"session_id": ["a-1", "a-2"], "title": titles})}
    with pytest.raises(ProgrammeError) as caught:
        programme.check_no_summary_text(tables, raw)
    assert str(caught.value).startswith("programme_sessions.csv: row 2: field 'title'")
    assert "a-1" in str(caught.value)


def test_ingest_writes_nothing_when_a_check_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = write_capture(tmp_path / "capture", [entry("a-1", "Open Agents")])
    leaky = programme.organizers(ORGS).assign(name=[SUMMARY, "UN Open Source Week"])
    monkeypatch.setattr(programme, "organizers", lambda raw_orgs: leaky)
    with pytest.raises(ProgrammeError, match=r"programme_organizers\.csv: row 1: field 'name' .*summary of a-1"):
        programme.ingest(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# Bad input: the error names file, entry and field, and nothing is written


def _without(item: dict, field: str) -> dict:
    """*item* without *field*."""
    return {key: value for key, value in item.items() if key != field}


@pytest.mark.parametrize(
    ("bad_entry", "field", "value"),
    [
        (_without(entry("x-1", "Open Agents"), "title"), "title", "None"),
        (entry("x-1", "Open Agents", date="2026-06-31"), "date", "2026-06-31"),
        (entry("x-1", "Open Agents", date="23 June 2026"), "date", "23 June 2026"),
        (entry("x-1", "Open Agents", organizations=["un-open-source-week", "nobody-we-know"]), "organizations", "nobody-we-know"),
        (entry("x-1", "Open Agents", start="25:00"), "start_time", "25:00"),
        (entry("x-1", "Open Agents", start="16:00", end="15:00"), "end_time", "15:00"),
        (entry("x-1", "Open Agents", kind="plenary"), "kind", "plenary"),
        (entry("x-1", "Open Agents", day="Monday, 23 June 2026"), "day", "Monday, 23 June 2026"),
        (entry("x-1", "Open Agents", video_url="https://example.org/video/1"), "video_url", "https://example.org/video/1"),
        (entry("x-1", "   "), "title", "   "),
    ],
)
def test_bad_entry_is_named_and_nothing_is_written(tmp_path: Path, bad_entry: dict, field: str, value: str):
    folder = write_capture(tmp_path / "capture", [entry("ok-1", "Open Robots"), bad_entry])
    with pytest.raises(ProgrammeError) as caught:
        programme.ingest(folder, tmp_path / "out")
    message = str(caught.value)
    assert message.startswith("sessions.json: entry 1 (id 'x-1'): ")
    assert f"field '{field}'" in message and value in message
    assert not (tmp_path / "out").exists()


def test_repeated_id_is_named(tmp_path: Path):
    folder = write_capture(tmp_path / "capture", [entry("x-1", "Open Robots"), entry("x-1", "Open Agents")])
    with pytest.raises(ProgrammeError, match=r"sessions\.json: entry 1 \(id 'x-1'\): field 'id' = 'x-1': repeats"):
        programme.ingest(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_organizer_without_name_is_named(tmp_path: Path):
    orgs = [ORGS[0], {"slug": "dpga", "type": "multilateral"}]
    folder = write_capture(tmp_path / "capture", [entry("x-1", "Open Robots")], orgs)
    with pytest.raises(ProgrammeError, match=r"organizations\.json: entry 1 \(slug 'dpga'\): field 'name' = None: missing"):
        programme.ingest(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("broken", ["sessions.json", "organizations.json"])
def test_invalid_json_is_named_and_nothing_is_written(tmp_path: Path, broken: str):
    folder = write_capture(tmp_path / "capture", [entry("x-1", "Open Robots")])
    (folder / broken).write_text('[{"id": "x-1", "title": "Open Robots",,}]', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("left alone", encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        programme.ingest(folder, out)
    assert re.match(rf"{re.escape(broken)}: line 1 column \d+: field '-' = .*: not valid JSON", str(caught.value))
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_top_level_must_be_a_list(tmp_path: Path):
    folder = write_capture(tmp_path / "capture", '{"sessions": []}')
    with pytest.raises(ProgrammeError, match=r"sessions\.json: .*must be a JSON list"):
        programme.read_capture(folder)


# The real capture


@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    """The three tables built from the real programme capture."""
    return programme.build(CAPTURE)


@pytest.fixture(scope="module")
def real_entries(real: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The real capture's deduplicated entries, indexed by entry id."""
    return real["programme_entries.csv"].set_index("entry_id")


# Every group of repeats in the capture, canonical entry first; the report explains why each is one session.
REAL_GROUPS = {
    "sess-2026-013": {"sess-2026-101"},  # Octane side event; the second copy appends RSVP and location
    "sess-2026-034": {"sess-2026-123"},
    "sess-2026-036": {"sess-2026-113", "sess-2026-124"},  # Open Agents, ECOSOC, ends 17:00 or 17:15
    "sess-2026-037": {"sess-2026-114"},  # Closing Discussion at 17:00 and at 17:15, ECOSOC
    "sess-2026-041": {"sess-2026-127"},
    "sess-2026-042": {"sess-2026-003"},  # part (1) only; part (2) sess-2026-060 stays apart
    "sess-2026-044": {"sess-2026-004", "sess-2026-128"},
    "sess-2026-054": {"sess-2026-119"},
    "sess-2026-055": {"sess-2026-006", "sess-2026-135"},
    "sess-2026-056": {"sess-2026-007", "sess-2026-136"},
    "sess-2026-057": {"sess-2026-008", "sess-2026-137"},
    "sess-2026-061": {"sess-2026-005", "sess-2026-130"},
    "sess-2026-062": {"sess-2026-131"},
    "sess-2026-063": {"sess-2026-133"},
    "sess-2026-066": {"sess-2026-117"},
    "sess-2026-067": {"sess-2026-118", "sess-2026-134"},
    "sess-2026-068": {"sess-2026-120", "sess-2026-138", "sess-2026-009"},
    "sess-2026-070": {"sess-2026-010", "sess-2026-139"},
    "sess-2026-071": {"sess-2026-011", "sess-2026-140"},
    "sess-2026-073": {"sess-2026-121", "sess-2026-141"},
    "sess-2026-074": {"sess-2026-122"},
    "sess-2026-094": {"sess-2026-012", "sess-2026-102", "sess-2026-142"},  # DPG Showcase listing names this session
    "sess-2026-106": {"sess-2026-126"},
    "sess-2026-107": {"sess-2026-129"},  # the side-event list gives 12:00, the agenda 15:00
    "sess-2026-108": {"sess-2026-132", "sess-2026-143"},
}

REAL_LOGISTICS = {"sess-2026-059", "sess-2026-030", "sess-2026-045", "sess-2026-058", "sess-2026-080"}  # the check-in and four lunch breaks
REAL_OVERVIEWS = {"sess-2026-016", "sess-2026-001", "sess-2026-017", "sess-2026-018-2", "sess-2026-019-2", "sess-2026-020-2", "sess-2026-076"}


@needs_sources
def test_real_duplicate_groups_are_exactly_the_known_repeats(real_entries: pd.DataFrame):
    groups = real_entries.reset_index().groupby("session_id").entry_id.agg(set)
    found = {session: members - {session} for session, members in groups.items() if len(members) > 1}
    assert found == REAL_GROUPS


@needs_sources
def test_real_duplicate_reasons(real_entries: pd.DataFrame):
    reasons = real_entries.duplicate_reason
    assert reasons["sess-2026-114"] == "same-session-second-start-time"
    assert reasons["sess-2026-113"] == "same-session-second-end-time"
    second_rooms = ["sess-2026-117", "sess-2026-118", "sess-2026-119", "sess-2026-120", "sess-2026-121", "sess-2026-122"]
    assert {reasons[i] for i in second_rooms} == {"same-session-second-room"}
    assert reasons["sess-2026-101"] == "side-event-list-repeat"
    assert reasons["sess-2026-129"] == reasons["sess-2026-123"] == "agenda-and-side-event-list"
    canonical = real_entries.loc[real_entries.index == real_entries.session_id]
    assert (canonical.duplicate_reason == "").all() and len(canonical) == 134 - sum(map(len, REAL_GROUPS.values()))


@needs_sources
def test_real_same_generic_title_different_sessions_stay_apart(real_entries: pd.DataFrame):
    session_of = real_entries.session_id
    apart = [
        ["sess-2026-025", "sess-2026-075", "sess-2026-085"],  # Reception on Monday, Thursday, Friday
        ["sess-2026-030", "sess-2026-045", "sess-2026-058", "sess-2026-080"],  # Lunch Break, four days
        ["sess-2026-039", "sess-2026-066"],  # Opening Keynotes, Wednesday and Thursday
        ["sess-2026-116", "sess-2026-084"],  # Closing Session, Wednesday and Friday
        ["sess-2026-056", "sess-2026-090"],  # the OSEC session, Thursday and again Friday
        ["sess-2026-042", "sess-2026-060"],  # parts (1) and (2)
        ["sess-2026-034", "sess-2026-144"],  # same room and hour, different titles
        ["sess-2026-018", "sess-2026-019", "sess-2026-020"],  # the three UN Tech Over activities
    ]
    for ids in apart:
        assert session_of[ids].nunique() == len(ids), ids


@needs_sources
def test_real_logistics_and_overviews_are_excluded_from_sessions(real: dict[str, pd.DataFrame], real_entries: pd.DataFrame):
    assert set(real_entries.index[real_entries.entry_class == "logistics"]) == REAL_LOGISTICS
    assert set(real_entries.index[real_entries.entry_class == "overview"]) == REAL_OVERVIEWS
    listed = {entry_id for ids in real["programme_sessions.csv"].entry_ids for entry_id in ids.split(";")}
    assert not listed & (REAL_LOGISTICS | REAL_OVERVIEWS)
    assert listed == set(real_entries.index) - REAL_LOGISTICS - REAL_OVERVIEWS


@needs_sources
def test_real_counts(real: dict[str, pd.DataFrame]):
    table = real["programme_sessions.csv"]
    assert len(real["programme_entries.csv"]) == 134 and len(real["programme_organizers.csv"]) == 7
    assert table.groupby("date").size().to_dict() == {"2026-06-22": 8, "2026-06-23": 14, "2026-06-24": 20, "2026-06-25": 16, "2026-06-26": 24}
    assert table.recording_asset.notna().sum() == 21
    assert set(table.recording_asset.dropna()) == {"k14-k14ej1ucqu", "k1b-k1b443e64t", "k1c-k1cqj3jcdx", "k13-k136ks9z9x", "k12-k12620x8tm", "k1i-k1i4m11zkv"}
    assert not table.recording_asset.dropna().str.contains(";").any()


@needs_sources
def test_real_two_runs_give_byte_identical_files(tmp_path: Path):
    first, second = programme.ingest(CAPTURE, tmp_path / "a"), programme.ingest(CAPTURE, tmp_path / "b")
    assert first == second == {"programme_entries": 134, "programme_sessions": 82, "programme_organizers": 7}
    for name in OUTPUTS:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes(), name
        assert b"\r" not in data
        data.decode("utf-8")


@needs_sources
def test_real_outputs_hold_no_summary_sentence(tmp_path: Path):
    programme.ingest(CAPTURE, tmp_path)
    text = "\n".join((tmp_path / name).read_text(encoding="utf-8") for name in OUTPUTS)
    raw = json.loads((CAPTURE / "sessions.json").read_text(encoding="utf-8"))
    titles = [item["title"] for item in raw]
    sentences = {s.strip() for item in raw for s in re.split(r"(?<=[.!?])\s+", item["summary"]) if len(s.split()) >= 6}
    checked = [s for s in sentences if not any(s in title for title in titles)]
    assert len(checked) > 100
    assert [s for s in checked if s in text] == []
    assert "Imported from" not in text and "See the original page" not in text
