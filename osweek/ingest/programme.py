"""Ingest of the official programme capture (``programme/sessions.json`` and ``organizations.json``).

Three tables come out of it: one row per captured entry, one row per real session (repeats merged,
logistics and day overviews left out) and one row per organizer. The entries' summaries are the
organizers' prose: they go into none of the tables, and `check_no_summary_text` makes sure of that
before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

SESSIONS_FILE = "sessions.json"
ORGANIZATIONS_FILE = "organizations.json"
ENTRIES_CSV = "programme_entries.csv"
SESSIONS_CSV = "programme_sessions.csv"
ORGANIZERS_CSV = "programme_organizers.csv"

KINDS = ("official", "side-event")
DAY_START, DAY_END = "09:00", "17:30"
DISTINCTIVE_WORDS = 5
SUMMARY_SENTENCE_WORDS = 6

BASE_COLUMNS = ["entry_id", "date", "start", "end", "title", "room", "kind", "type", "organizers", "video_url", "recording_asset", "source_url"]
ENTRY_COLUMNS = [*BASE_COLUMNS, "entry_class"]
DEDUP_COLUMNS = [*ENTRY_COLUMNS, "session_id", "duplicate_reason"]
SESSION_COLUMNS = [
    "session_id", "date", "start", "end", "title", "kind", "rooms", "organizers", "recording_asset", "times_listed", "entry_ids", "entry_count",
    "shares_slot_with",
]
ORGANIZER_COLUMNS = ["slug", "name", "type"]
ORDER = ["date", "start", "end", "entry_id"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_VIDEO = re.compile(r"https://webtv\.un\.org/(?:[a-z]{2}/)?asset/([a-z0-9]+)/([a-z0-9]+)/?")
_LOGISTICS_WORD = re.compile(r"\b(?:break|coffee break|lunch|check-in|registration)\b", re.IGNORECASE)
_TOPIC_MARK = re.compile(r":|\s[-–—]\s")
_BOLD_PREFIX = re.compile(r"^\*\*[^*]+\*\*\s*[-–—]\s*")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class ProgrammeError(ValueError):
    """The capture cannot be ingested; the message names the file, the entry, the field and the value."""

    def __init__(self, file: str, entry: str, field: str, value: object, reason: str) -> None:
        super().__init__(f"{file}: {entry}: field '{field}' = {value!r}: {reason}")
        self.file, self.entry, self.field, self.value, self.reason = file, entry, field, value, reason


# Reading and checking the capture


def read_capture(folder: Path) -> tuple[list[dict], list[dict]]:
    """Read sessions.json and organizations.json in *folder*, checked; raise ProgrammeError on malformed input."""
    raw_orgs = _read_json_list(Path(folder) / ORGANIZATIONS_FILE)
    slugs = _checked_organizations(raw_orgs)
    raw_sessions = _read_json_list(Path(folder) / SESSIONS_FILE)
    _check_sessions(raw_sessions, slugs)
    return raw_sessions, raw_orgs


def _read_json_list(path: Path) -> list:
    """The JSON list stored in *path*; ProgrammeError if it is missing, not UTF-8, not JSON or not a list."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeError(path.name, "-", "-", str(path), "file not found") from None
    except UnicodeDecodeError as error:
        raise ProgrammeError(path.name, f"byte {error.start}", "-", error.object[error.start : error.start + 1], "not UTF-8") from None
    except json.JSONDecodeError as error:
        place, excerpt = f"line {error.lineno} column {error.colno}", error.doc[error.pos : error.pos + 20]
        raise ProgrammeError(path.name, place, "-", excerpt, f"not valid JSON ({error.msg})") from None
    if not isinstance(data, list):
        raise ProgrammeError(path.name, "-", "-", type(data).__name__, "must be a JSON list of entries")
    return data


def _label(index: int, item: object, id_field: str) -> str:
    """How an error names an entry: its position in the list and, when it has one, its id."""
    ident = item.get(id_field) if isinstance(item, dict) else None
    return f"entry {index} ({id_field} {ident!r})" if isinstance(ident, str) else f"entry {index}"


def _text(file: str, label: str, item: dict, field: str, optional: bool = False) -> str | None:
    """The non-empty text in *field* of *item* (None when optional and absent or null); ProgrammeError otherwise."""
    if field not in item or (optional and item[field] is None):
        if optional:
            return None
        raise ProgrammeError(file, label, field, None, "missing")
    value = item[field]
    if not isinstance(value, str) or not value.strip():
        raise ProgrammeError(file, label, field, value, "must be non-empty text")
    return value


def _checked_organizations(raw_orgs: list) -> frozenset[str]:
    """The organizer slugs, after checking each organizer has a unique slug, a name and a type."""
    seen: set[str] = set()
    for index, item in enumerate(raw_orgs):
        label = _label(index, item, "slug")
        if not isinstance(item, dict):
            raise ProgrammeError(ORGANIZATIONS_FILE, label, "-", item, "must be a JSON object")
        slug, *_ = (_text(ORGANIZATIONS_FILE, label, item, field) for field in ORGANIZER_COLUMNS)
        if slug in seen:
            raise ProgrammeError(ORGANIZATIONS_FILE, label, "slug", slug, "repeats an earlier organizer")
        seen.add(slug)
    return frozenset(seen)


def _check_sessions(raw_sessions: list, slugs: frozenset[str]) -> None:
    """Check every entry of sessions.json: fields present and well formed, ids unique, organizers known."""
    seen: set[str] = set()
    for index, item in enumerate(raw_sessions):
        label = _label(index, item, "id")
        if not isinstance(item, dict):
            raise ProgrammeError(SESSIONS_FILE, label, "-", item, "must be a JSON object")
        for field in ("id", "title", "date", "start_time", "end_time", "kind"):
            _text(SESSIONS_FILE, label, item, field)
        for field in ("day", "room", "type", "video_url"):
            _text(SESSIONS_FILE, label, item, field, optional=True)
        if item["id"] in seen:
            raise ProgrammeError(SESSIONS_FILE, label, "id", item["id"], "repeats an earlier entry")
        seen.add(item["id"])
        _check_date_and_day(label, item)
        start, end = (_checked_time(label, item, field) for field in ("start_time", "end_time"))
        if end <= start:
            raise ProgrammeError(SESSIONS_FILE, label, "end_time", item["end_time"], f"not after start_time {item['start_time']!r}")
        if item["kind"] not in KINDS:
            raise ProgrammeError(SESSIONS_FILE, label, "kind", item["kind"], f"not one of {', '.join(KINDS)}")
        _check_organizations(label, item, slugs)
        if item.get("video_url") is not None and not _VIDEO.fullmatch(item["video_url"]):
            raise ProgrammeError(SESSIONS_FILE, label, "video_url", item["video_url"], "not a UN Web TV asset address")


def _check_date_and_day(label: str, item: dict) -> None:
    """Check the entry's date is a real YYYY-MM-DD date and its day, when given, names the same day."""
    try:
        date = dt.date.fromisoformat(item["date"]) if _DATE.fullmatch(item["date"]) else None
    except ValueError:
        date = None
    if date is None:
        raise ProgrammeError(SESSIONS_FILE, label, "date", item["date"], "not a date (YYYY-MM-DD)")
    expected = f"{WEEKDAYS[date.weekday()]}, {date.day} {MONTHS[date.month - 1]} {date.year}"
    if item.get("day") is not None and item["day"] != expected:
        raise ProgrammeError(SESSIONS_FILE, label, "day", item["day"], f"does not match date {item['date']} ({expected})")


def _checked_time(label: str, item: dict, field: str) -> str:
    """The entry's time in *field* as HH:MM; ProgrammeError unless it is H:MM or HH:MM on a 24-hour clock."""
    match = _TIME.fullmatch(item[field])
    if match is None:
        raise ProgrammeError(SESSIONS_FILE, label, field, item[field], "not a time (HH:MM)")
    return f"{int(match[1]):02d}:{match[2]}"


def _check_organizations(label: str, item: dict, slugs: frozenset[str]) -> None:
    """Check the entry's organizations field is a list of slugs found in organizations.json."""
    listed = item.get("organizations")
    if not isinstance(listed, list):
        raise ProgrammeError(SESSIONS_FILE, label, "organizations", listed, "must be a list of organizer slugs")
    for slug in listed:
        if slug not in slugs:
            raise ProgrammeError(SESSIONS_FILE, label, "organizations", slug, f"not a slug in {ORGANIZATIONS_FILE}")


# Entries


def recording_asset(video_url: str | None) -> str | None:
    """The UN Web TV asset id of a video address (``.../asset/k12/k12620x8tm`` gives ``k12-k12620x8tm``), or None."""
    match = _VIDEO.fullmatch(video_url) if video_url else None
    return f"{match[1]}-{match[2]}" if match else None


def _entry_fields(item: dict) -> dict[str, Any]:
    """The fields kept from one raw entry (never its summary), times as HH:MM."""
    label = _label(0, item, "id")
    provenance = item.get("provenance") if isinstance(item.get("provenance"), dict) else {}
    return {
        "entry_id": item["id"],
        "date": item["date"],
        "start": _checked_time(label, item, "start_time"),
        "end": _checked_time(label, item, "end_time"),
        "title": item["title"].strip(),
        "room": (item.get("room") or "").strip() or None,
        "kind": item["kind"],
        "type": item.get("type"),
        "organizers": ";".join(item["organizations"]) or None,
        "video_url": item.get("video_url"),
        "recording_asset": recording_asset(item.get("video_url")),
        "source_url": provenance.get("source_url"),
    }


def entries(raw: list[dict]) -> pd.DataFrame:
    """One row per raw entry (date, start, end, id order) with the fields kept and its ``entry_class``.

    Nothing of the summary is kept. Times become HH:MM; organizers are the entry's slugs joined with ';';
    ``recording_asset`` is parsed from ``video_url`` (see `recording_asset`). ``entry_class`` is the first that applies:

    - ``overview``: the entry frames a day or a block rather than being one session. Either it runs 09:00-17:30,
      the agenda's whole-day frame (the day headers UN Tech Over, Open Source x AI, DPI Day, OSPOs for Good,
      Community-Led Side Events, and the Friday header Community-Driven Sessions on Open Source and Digital
      Collaboration), or it is a side-event-list entry with the same date, start and end as agenda entries of two or
      more different title keys that its own key contains (the list's one entry for the three UN Tech Over activities).
    - ``logistics``: the title names a break, lunch, check-in or registration and no topic: it contains one of
      the words break, coffee break, lunch, check-in, registration, and it has no colon and no spaced dash. So
      "Check-In" and "Lunch Break" are logistics. Gatherings that someone hosts (receptions, breakfasts, drinks) are
      sessions of their own: an attendee may report one (the CHAOSS breakfast), so they are kept as events.
    - ``session``: every other entry.
    """
    return (
        pd.DataFrame([_entry_fields(item) for item in raw], columns=BASE_COLUMNS)
        .astype("string")
        .pipe(lambda frame: frame.assign(entry_class=classify(frame)))
        .sort_values(ORDER, kind="stable", ignore_index=True)
        .loc[:, ENTRY_COLUMNS]
    )


def classify(frame: pd.DataFrame) -> pd.Series:
    """Each entry's class, ``overview``, ``logistics`` or ``session``, by the rule stated in `entries`."""
    classes = ["overview" if _is_overview(row, frame) else "logistics" if is_logistics(row.title) else "session" for row in frame.itertuples()]
    return pd.Series(classes, index=frame.index, dtype="string")


def is_logistics(title: str) -> bool:
    """Whether a title names a break, lunch, check-in or registration and announces no topic (hosted gatherings are sessions)."""
    return bool(_LOGISTICS_WORD.search(title)) and not _TOPIC_MARK.search(title)


def _is_overview(row: Any, frame: pd.DataFrame) -> bool:
    """Whether an entry spans the whole agenda day, or is a side-event-list entry standing for several agenda entries."""
    if (row.start, row.end) == (DAY_START, DAY_END):
        return True
    if row.kind != "side-event":
        return False
    same_slot = (frame.kind == "official") & (frame.date == row.date) & (frame.start == row.start) & (frame.end == row.end)
    listed = {key for key in frame.loc[same_slot, "title"].map(title_key) if _occurs_in(title_key(row.title), key)}
    return len(listed) >= 2


# Duplicates


@lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    """The title as compared: a leading organizer prefix in bold removed, case folded, quotes, dashes and spaces made plain."""
    return " ".join(_BOLD_PREFIX.sub("", title.strip()).translate(_PLAIN).casefold().split())


def is_distinctive(key: str) -> bool:
    """Whether a title key has enough words (five) to name one session rather than a generic slot."""
    return len(_WORD.findall(key)) >= DISTINCTIVE_WORDS


def _occurs_in(longer: str, shorter: str) -> bool:
    """Whether *shorter* occurs in *longer*, at word boundaries, without being all of it."""
    return shorter != longer and re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer) is not None


def same_session(a: Any, b: Any) -> bool:
    """Whether two entries (rows with date, start, title, entry_class) are the same session, by the rule in `deduplicate`."""
    if a.date != b.date or a.entry_class != b.entry_class:
        return False
    key_a, key_b = title_key(a.title), title_key(b.title)
    if key_a == key_b:
        return a.start == b.start or is_distinctive(key_a)
    shorter, longer = sorted((key_a, key_b), key=lambda key: (len(key), key))
    return a.start == b.start and is_distinctive(shorter) and _occurs_in(longer, shorter)


def _groups(size: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The connected groups of positions 0..size-1 joined by *pairs*, each in position order."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        low, high = sorted((root(a), root(b)))
        parent[high] = low
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _same(a: object, b: object) -> bool:
    """Equality in which two missing values are equal."""
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def duplicate_reason(entry: pd.Series, canonical: pd.Series) -> str:
    """Why *entry* repeats *canonical*: the first difference that applies, or "" for the canonical entry itself."""
    if entry.entry_id == canonical.entry_id:
        return ""
    if entry.kind != canonical.kind:
        return "agenda-and-side-event-list"
    if entry.kind == "side-event":
        return "side-event-list-repeat"
    if entry.start != canonical.start:
        return "same-session-second-start-time"
    if not _same(entry.room, canonical.room):
        return "same-session-second-room"
    if entry.end != canonical.end:
        return "same-session-second-end-time"
    return "same-session-listed-twice"


def deduplicate(entries: pd.DataFrame) -> pd.DataFrame:
    """Give every entry a ``session_id`` (the id of the entry kept for its session) and a ``duplicate_reason``.

    Titles are compared by `title_key`: a leading organizer prefix in bold ("**UNICEF** — ") removed, case folded,
    curly quotes and en/em dashes made plain, runs of white space made one space. A key is distinctive when it has at
    least five words. Two entries are the same session when they are on the same date, have the same entry_class, and

    1. their keys are equal and either they start at the same time or the key is distinctive; or
    2. they start at the same time and the shorter key is distinctive and occurs in the longer one at word
       boundaries (a plain organizer prefix such as "IDB — " or "UNICC & UNESCO ", a remark appended such as
       "(RSVP + Details). Location: ...", a part number "(1)" the other entry lacks).

    The relation is taken transitively (connected groups). Rooms, end times and organizers are not compared. So
    generic titles ("Reception", "Opening Keynotes", "Closing Session", "Lunch Break") merge only at the same date
    and start, never across days; parts numbered "(1)" and "(2)" stay apart; one title on two days stays two sessions.

    The canonical entry of a group is its first agenda (official) entry by id, else its first entry by id; its
    session_id is its own id and its duplicate_reason is empty. Each other entry's reason is the first of these
    that holds against the canonical entry: ``agenda-and-side-event-list`` (kinds differ), ``side-event-list-repeat``
    (both from the side-event list), ``same-session-second-start-time``, ``same-session-second-room``,
    ``same-session-second-end-time``, ``same-session-listed-twice``. Rows come back in date, start, end, id order.
    """
    frame = entries.sort_values(ORDER, kind="stable", ignore_index=True)
    rows = list(frame.itertuples(index=False))
    pairs = [(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if same_session(rows[i], rows[j])]
    canonical_of: dict[int, int] = {}
    for group in _groups(len(rows), pairs):
        chosen = min(group, key=lambda i: (rows[i].kind != "official", rows[i].entry_id))
        canonical_of.update(dict.fromkeys(group, chosen))
    positions = range(len(frame))
    return frame.assign(
        session_id=pd.Series([frame.entry_id[canonical_of[i]] for i in positions], index=frame.index, dtype="string"),
        duplicate_reason=pd.Series([duplicate_reason(frame.loc[i], frame.loc[canonical_of[i]]) for i in positions], index=frame.index, dtype="string"),
    ).loc[:, DEDUP_COLUMNS]


# Sessions and organizers


def _joined(separator: str) -> Callable[[pd.Series], str | None]:
    """An aggregation joining the distinct non-empty values (each may hold ';'-separated parts) sorted, with *separator*."""

    def join(values: pd.Series) -> str | None:
        parts = {part for value in values.dropna() for part in str(value).split(";") if part}
        return separator.join(sorted(parts)) or None

    return join


def sessions(entries_dedup: pd.DataFrame) -> pd.DataFrame:
    """One row per real session (entries of class ``session``, merged by session_id), in date, start, end, id order.

    Title, date, start, end and kind are the canonical entry's (kind is ``official`` when any of its entries is from
    the agenda); rooms are all its entries' rooms, sorted, joined with '; '; organizers the union of their slugs and
    recording_asset the UN Web TV asset of any of them, sorted, joined with ';'; times_listed every distinct
    start-end of its entries; entry_ids the ids merged, sorted, joined with ';'; shares_slot_with the other sessions
    listed for the same date, start, end and one of its rooms (parallel activities, or one slot under two titles).
    """
    real = entries_dedup.loc[entries_dedup.entry_class == "session"].assign(times=lambda f: f.start + "-" + f.end)
    merged = (
        real.groupby("session_id", sort=True)
        .agg(
            rooms=("room", _joined("; ")),
            organizers=("organizers", _joined(";")),
            recording_asset=("recording_asset", _joined(";")),
            times_listed=("times", _joined("; ")),
            entry_ids=("entry_id", _joined(";")),
            entry_count=("entry_id", "size"),
        )
        .reset_index()
    )
    return (
        real.loc[real.entry_id == real.session_id, ["session_id", "date", "start", "end", "title", "kind"]]
        .merge(merged, on="session_id", how="left", validate="1:1")
        .astype({column: "string" for column in SESSION_COLUMNS if column not in ("entry_count", "shares_slot_with")})
        .astype({"entry_count": "int64"})
        .sort_values(["date", "start", "end", "session_id"], kind="stable", ignore_index=True)
        .pipe(lambda table: table.assign(shares_slot_with=slot_mates(table)))
        .loc[:, SESSION_COLUMNS]
    )


def slot_mates(table: pd.DataFrame) -> pd.Series:
    """For each session, the other sessions with the same date, start, end and a room in common (';'-joined), if any."""
    slots = table.assign(room=table.rooms.str.split("; ")).explode("room").dropna(subset=["room"])[["session_id", "date", "start", "end", "room"]]
    mates = (
        slots.merge(slots, on=["date", "start", "end", "room"], suffixes=("", "_other"))
        .loc[lambda pairs: pairs.session_id != pairs.session_id_other]
        .groupby("session_id")["session_id_other"]
        .agg(_joined(";"))
    )
    return table.session_id.map(mates).astype("string")


def organizers(raw_orgs: list[dict]) -> pd.DataFrame:
    """One row per organizer (slug, name, type), in slug order."""
    return (
        pd.DataFrame([{column: org[column].strip() for column in ORGANIZER_COLUMNS} for org in raw_orgs], columns=ORGANIZER_COLUMNS)
        .astype("string")
        .sort_values("slug", kind="stable", ignore_index=True)
    )


# Checks and writing


def summary_sentences(raw_sessions: list[dict]) -> list[tuple[str, str]]:
    """Every summary sentence of six words or more, with its entry id, except sentences that are part of a title."""
    titles = [item["title"] for item in raw_sessions]
    return [
        (item["id"], sentence)
        for item in raw_sessions
        for sentence in (part.strip() for part in _SENTENCE_END.split(str(item.get("summary") or "")))
        if len(_WORD.findall(sentence)) >= SUMMARY_SENTENCE_WORDS and not any(sentence in title for title in titles)
    ]


def check_no_summary_text(tables: Mapping[str, pd.DataFrame], raw_sessions: list[dict]) -> None:
    """Raise ProgrammeError naming table, row, field and entry if any cell of *tables* holds a summary sentence."""
    sentences = summary_sentences(raw_sessions)
    for name, table in tables.items():
        for column in table.columns:
            cells = table[column].astype("string").fillna("")
            blob = "\x00".join(cells)
            for entry_id, sentence in sentences:
                if sentence in blob:
                    row = blob[: blob.index(sentence)].count("\x00")
                    reason = f"holds a sentence of the summary of {entry_id}"
                    raise ProgrammeError(name, f"row {row + 1}", column, cells.iloc[row][:60], reason)


def check_tables(tables: Mapping[str, pd.DataFrame], raw_sessions: list[dict]) -> None:
    """Raise ProgrammeError if the tables break a promise of the ingest: ids, references, classes, no summary text."""
    entry_table, session_table, org_table = tables[ENTRIES_CSV], tables[SESSIONS_CSV], tables[ORGANIZERS_CSV]
    if len(entry_table) != len(raw_sessions) or entry_table.entry_id.duplicated().any():
        raise ProgrammeError(ENTRIES_CSV, "-", "entry_id", len(entry_table), f"must be {len(raw_sessions)} distinct entries")
    by_id = entry_table.set_index("entry_id")
    for row in entry_table.itertuples():
        canonical = by_id.loc[row.session_id]
        if (canonical.date, canonical.entry_class, canonical.session_id) != (row.date, row.entry_class, row.session_id):
            raise ProgrammeError(ENTRIES_CSV, f"entry {row.entry_id}", "session_id", row.session_id, "not a canonical entry of the same date and class")
        if (row.entry_id == row.session_id) != (row.duplicate_reason == ""):
            raise ProgrammeError(ENTRIES_CSV, f"entry {row.entry_id}", "duplicate_reason", row.duplicate_reason, "empty exactly for canonical entries")
        unknown = set(str(row.organizers).split(";")) - set(org_table.slug) if not pd.isna(row.organizers) else set()
        if unknown:
            raise ProgrammeError(ENTRIES_CSV, f"entry {row.entry_id}", "organizers", sorted(unknown)[0], "not an organizer slug")
    listed = [entry_id for ids in session_table.entry_ids for entry_id in ids.split(";")]
    expected = sorted(entry_table.loc[entry_table.entry_class == "session", "entry_id"])
    if sorted(listed) != expected or session_table.session_id.duplicated().any():
        raise ProgrammeError(SESSIONS_CSV, "-", "entry_ids", len(listed), f"must list each of the {len(expected)} session entries once")
    check_no_summary_text(tables, raw_sessions)


def csv_text(table: pd.DataFrame) -> str:
    """The table as CSV text: header, one line per row, '\\n' line endings, missing values empty."""
    return table.to_csv(index=False, lineterminator="\n")


def _write_all(out: Path, texts: Mapping[str, str]) -> None:
    """Write each text to its file in *out* as UTF-8, through temporary files renamed only once all are written."""
    out.mkdir(parents=True, exist_ok=True)
    temporary = {name: out / f".{name}.tmp" for name in texts}
    try:
        for name, text in texts.items():
            temporary[name].write_bytes(text.encode("utf-8"))
        for name in texts:
            os.replace(temporary[name], out / name)
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)


def build(folder: Path) -> dict[str, pd.DataFrame]:
    """The three tables built in memory from the capture in *folder*, checked (ProgrammeError if a check fails)."""
    raw_sessions, raw_orgs = read_capture(folder)
    entry_table = deduplicate(entries(raw_sessions))
    tables = {ENTRIES_CSV: entry_table, SESSIONS_CSV: sessions(entry_table), ORGANIZERS_CSV: organizers(raw_orgs)}
    check_tables(tables, raw_sessions)
    return tables


def ingest(folder: Path, out: Path) -> dict[str, int]:
    """Write programme_entries.csv, programme_sessions.csv and programme_organizers.csv into *out*; return row counts.

    Everything is built and checked in memory first: on malformed input or a failed check, ProgrammeError is raised
    and nothing is written.
    """
    tables = build(Path(folder))
    _write_all(Path(out), {name: csv_text(table) for name, table in tables.items()})
    return {name.removesuffix(".csv"): len(table) for name, table in tables.items()}
