"""Rules for the pointers into the sources: each row points to its source the way that source is pointed to.

A text is pointed to by paragraph, a machine-readable capture by entry (an agenda entry's id, a card's
slug), a recording by time (a cue's start, hh:mm:ss). These rules check the form and range of every
pointer from the data alone; where the shared sources folder is present they also check the pointers
against the files themselves (the entry exists, the time is a cue, the name is spelled there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..data import Dataset, Problem
from ..ingest import sources as src
from .rows import filled as _filled
from .rows import rows_where as _rows

POINTERS = ("paragraph", "entry", "time")
CAPTURE_ENTRIES = {"osw2026-agenda": "programme_entries"}  # a capture whose entries are a committed table
NAME_WINDOW = 30  # seconds either side of a transcript pointer in which the name as heard must occur


def _cited_tables(ds: Dataset) -> Iterator[tuple[str, pd.DataFrame]]:
    for name in ds:
        table = ds[name]
        if "source_id" in table and any(p in table for p in POINTERS) and name != "sources":
            yield name, table


def pointer_problems(ds: Dataset) -> Iterator[Problem]:
    """Each cited row fills exactly its source's kind of pointer, and that pointer is in range for the source."""
    sources = ds.sources.set_index("source_id")
    described = {sid: r for sid, r in sources.to_dict("index").items()}  # plain dicts: a lookup per row, not a pandas one
    entries = {sid: set(ds[table]["entry_id"]) for sid, table in CAPTURE_ENTRIES.items() if table in ds}
    for name, table in _cited_tables(ds):
        file = ds.path(name).name
        for line, row in _rows(table, table["source_id"].notna()):
            sid = row["source_id"]
            if sid not in described:
                continue  # the foreign key reports it
            source = described[sid]
            kind = source["pointer"]
            if kind not in table:
                yield Problem(file, line, "source_id", sid, f"'{sid}' is pointed to by {kind}, and {file} has no '{kind}' column")
                continue
            for other in (p for p in POINTERS if p != kind and p in table and _filled(row[p])):
                yield Problem(file, line, other, str(row[other]), f"'{sid}' is pointed to by {kind}, not by {other}")
            value = row[kind]
            if not _filled(value):
                yield Problem(file, line, kind, "", f"'{sid}' is pointed to by {kind}: give the {kind} that supports the row")
            elif kind == "paragraph" and not 1 <= int(value) <= int(source["paragraph_count"]):
                yield Problem(file, line, kind, str(value), f"outside source '{sid}', which has {source['paragraph_count']} paragraphs")
            elif kind == "time" and src.seconds(value) > src.seconds(source["duration"]):
                yield Problem(file, line, kind, value, f"after the end of recording '{sid}' ({source['duration']})")
            elif kind == "entry" and sid in entries and value not in entries[sid]:
                yield Problem(file, line, kind, value, f"no entry '{value}' in '{sid}' ({CAPTURE_ENTRIES[sid]}.csv)")
        for column in (c for c in table.columns if c.endswith("_paragraph")):
            limit = table["source_id"].map(sources["paragraph_count"])
            for line, row in _rows(table, table[column].notna() & ((table[column] < 1) | (table[column] > limit))):
                yield Problem(file, line, column, str(row[column]), f"outside source '{row['source_id']}', which has {limit[line - 2]} paragraphs")


def reference_problems(ds: Dataset) -> Iterator[Problem]:
    """Every X_ref names an outside reference or a source."""
    known = set(ds.references["reference_id"]) | set(ds.sources["source_id"])
    for name in ds:
        table = ds[name]
        for column in (c for c in table.columns if c.endswith("_ref") or c == "reference_id" and name != "references"):
            for line, row in _rows(table, table[column].notna() & ~table[column].isin(known)):
                yield Problem(ds.path(name).name, line, column, row[column], "no such reference (references.csv) or source (sources.csv)")


def recording_problems(ds: Dataset) -> Iterator[Problem]:
    """A recorded stretch ends after it starts, in a transcript; an appearance or statement in a recorded session lies within it."""
    recordings, sources = ds.recordings, ds.sources.set_index("source_id")
    for line, row in _rows(recordings, recordings["source_id"].map(sources["pointer"]) != "time"):
        yield Problem("recordings.csv", line, "source_id", row["source_id"], "not a recording (its pointer is not time)")
    for line, row in _rows(recordings, recordings["end"] <= recordings["start"]):
        yield Problem("recordings.csv", line, "end", row["end"], f"not after its start {row['start']}")
    # A session's span runs from the start of the stretch just before it when that stretch is no session:
    # the host introduces a session's moderator and speakers there.
    spans: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
    for _source, stretches in recordings.sort_values("start").groupby("source_id", sort=False):
        previous = None
        for row in stretches.itertuples():
            start = src.seconds(row.start)
            if isinstance(row.session_id, str) and previous is not None and not isinstance(previous.session_id, str):
                start = src.seconds(previous.start)
            key = row.session_id if isinstance(row.session_id, str) else None
            spans.setdefault((row.source_id, key), []).append((start, src.seconds(row.end)))
            previous = row
    for name in ("appearances", "statements"):
        table = ds[name]
        timed = table["time"].notna() & table["source_id"].map(sources["pointer"]).eq("time")
        for line, row in _rows(table, timed):
            session = row["session_id"] if _filled(row["session_id"]) else None
            if session is None and _filled(row["event_id"]):
                continue
            span = spans.get((row["source_id"], session))
            moment = src.seconds(row["time"])
            if session is None:
                if not any(start <= moment <= end for start, end in span or []):
                    yield Problem(f"{name}.csv", line, "session_id", "", f"at {row['time']} '{row['source_id']}' shows a session: name it (recordings.csv)")
            elif span is None:
                yield Problem(f"{name}.csv", line, "session_id", row["session_id"], f"not a session recorded in '{row['source_id']}' (recordings.csv)")
            elif not any(start <= moment <= end for start, end in span):
                shown = ", ".join(f"{src.hms(a)}-{src.hms(b)}" for a, b in span)
                yield Problem(f"{name}.csv", line, "time", row["time"], f"outside session '{row['session_id']}' in '{row['source_id']}' ({shown})")


def _folded(text: str) -> str:
    """Text compared for spelling: Unicode-normalized, curly quotes straightened, whitespace collapsed, case folded."""
    text = unicodedata.normalize("NFC", text).translate(str.maketrans("’‘“”", "''\"\""))
    return re.sub(r"\s+", " ", text).casefold()


def source_file_problems(ds: Dataset, folder: Path | None) -> Iterator[Problem]:
    """Where the shared sources are present: every index.csv file is a source, described as the index describes it, with its true size."""
    if folder is None:
        return
    index = {row["file"]: row for row in src.read_index(folder)}
    sources = ds.sources
    for file in sorted(set(index) - set(sources["file"])):
        yield Problem("sources.csv", "-", "file", file, f"listed in {folder / src.INDEX} but not a source")
    for line, row in _rows(sources, pd.Series(True, index=sources.index)):
        path = folder / row["file"]
        if not path.is_file():
            yield Problem("sources.csv", line, "file", row["file"], f"no such file in {folder}")
            continue
        listed = index.get(row["file"])
        if listed is None:
            yield Problem("sources.csv", line, "file", row["file"], f"not listed in {folder / src.INDEX}")
            continue
        for field in ("kind", "url", "title"):
            if row[field] != listed[field]:
                yield Problem("sources.csv", line, field, row[field], f"index.csv gives {listed[field]!r}")
        column, measured = _size(row["pointer"], path)
        if str(row[column]) != str(measured):
            yield Problem("sources.csv", line, column, str(row[column]), f"the file has {measured}")


def _size(pointer: str, path: Path) -> tuple[str, object]:
    """The column of sources.csv that gives a file's size for its kind of pointer, and the size the file has."""
    if pointer == "paragraph":
        return "paragraph_count", len(src.paragraphs(path))
    if pointer == "entry":
        return "entry_count", len(src.entry_ids(path))
    return "duration", src.duration(path)


def place_problems(ds: Dataset, folder: Path | None) -> Iterator[Problem]:
    """Where the sources are present: an entry exists in its capture, a time is a cue's start, and names are spelled as the place cited spells them."""
    if folder is None:
        return
    sources = ds.sources.set_index("source_id")
    described = {sid: {"file": r["file"], "pointer": r["pointer"]} for sid, r in sources.iterrows()}  # a dict: one lookup per row, not a pandas one
    for name, table in _cited_tables(ds):
        file = ds.path(name).name
        for line, row in _rows(table, table["source_id"].isin(sources.index)):
            source = described[row["source_id"]]
            path = folder / source["file"]
            if not path.is_file():
                continue
            kind = source["pointer"]
            value = row.get(kind)
            if not _filled(value):
                continue
            if kind == "entry" and value not in src.entry_ids(path):
                yield Problem(file, line, "entry", value, f"no entry or card '{value}' in {source['file']}")
            if kind == "time" and value not in src.cue_starts(path):
                yield Problem(file, line, "time", value, f"no cue starts at {value} in {source['file']}")
            yield from _spelling_problems(name, file, line, row, kind, value, path)


def _spelling_problems(name: str, file: str, line: int, row: dict, kind: str, value: str, path: Path) -> Iterator[Problem]:
    """A person's name occurs at the written place cited; a name as heard occurs in the recording near the time cited."""
    if name == "people" and kind == "paragraph" and int(value) <= len(src.paragraphs(path)):
        if _folded(row["name"]) not in _folded(src.paragraphs(path)[int(value) - 1]):
            yield Problem(file, line, "name", row["name"], f"not spelled so in paragraph {value} of {path.name}")
    if name == "people" and kind == "entry" and path.name == "speakers.json":
        card = src.cards(path).get(value)
        honorific = row.get("honorific") if _filled(row.get("honorific")) else ""
        spelled = {_folded(row["name"]), _folded(f"{honorific} {row['name']}".strip())}
        if card is not None and _folded(card["name"]) not in spelled:
            yield Problem(file, line, "name", row["name"], f"card '{value}' spells it {card['name']!r}")
    if kind == "time":
        heard = row.get("name_heard") if name == "appearances" else None
        if name == "people":
            heard = (row.get("name_variants") or "").split(";")[0] if _filled(row.get("name_variants")) else None
        if _filled(heard) and _folded(heard) not in _folded(src.heard_near(path, value, NAME_WINDOW)):
            yield Problem(file, line, "name_heard" if name == "appearances" else "name_variants", heard,
                          f"not heard within {NAME_WINDOW} s of {value} in {path.name}")
