"""Reading the shared sources folder: its index, a text's paragraphs, a capture's entries, a recording's cues.

Pointers follow the sources README: paragraph n of a text is its n-th non-blank line; a capture's
place is an entry's ``id`` (the agenda) or a card's ``slug`` (the speakers); a recording's place is
the start of a cue, ``hh:mm:ss``. These readers are what validation checks the data's pointers with.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

INDEX = "index.csv"
_CUE_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(\d{2}):(\d{2}):(\d{2})\.(\d{3})")
_HMS = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)$")


@dataclass(frozen=True)
class Cue:
    """One cue of a transcript: start and end in whole seconds, and its text on one line."""

    start: int
    end: int
    text: str


def seconds(hms: str) -> int:
    """Seconds from ``hh:mm:ss``; ValueError for any other form."""
    match = _HMS.match(hms)
    if not match:
        raise ValueError(f"not hh:mm:ss: {hms!r}")
    hours, minutes, secs = (int(part) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


def hms(total: int) -> str:
    """``hh:mm:ss`` from whole seconds."""
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def read_index(folder: Path) -> list[dict[str, str]]:
    """The rows of the folder's index.csv."""
    with (Path(folder) / INDEX).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=64)
def paragraphs(path: Path) -> tuple[str, ...]:
    """A text's paragraphs: its non-blank lines, stripped (paragraph n is item n - 1)."""
    return tuple(line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())


@lru_cache(maxsize=16)
def entry_ids(path: Path) -> frozenset[str]:
    """The ids (agenda entries) or slugs (cards, organizers) of a capture."""
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(str(item.get("id") or item.get("slug")) for item in items)


@lru_cache(maxsize=16)
def cards(path: Path) -> dict[str, dict]:
    """A speakers capture's cards by slug."""
    return {item["slug"]: item for item in json.loads(Path(path).read_text(encoding="utf-8"))}


@lru_cache(maxsize=16)
def cues(path: Path) -> tuple[Cue, ...]:
    """A WebVTT file's cues in order, times cut to whole seconds, text joined on one line."""
    found: list[Cue] = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        match = _CUE_TIME.match(line)
        if not match:
            continue
        h1, m1, s1, _ms1, h2, m2, s2, _ms2 = (int(part) for part in match.groups())
        text = []
        for following in lines[number + 1:]:
            if not following.strip():
                break
            text.append(following.strip())
        found.append(Cue(h1 * 3600 + m1 * 60 + s1, h2 * 3600 + m2 * 60 + s2, " ".join(text)))
    return tuple(found)


@lru_cache(maxsize=16)
def duration(path: Path) -> str:
    """A recording's length: the last cue's end, ``hh:mm:ss``."""
    return hms(max(cue.end for cue in cues(path)))


@lru_cache(maxsize=16)
def cue_starts(path: Path) -> frozenset[str]:
    """Every cue's start, ``hh:mm:ss``."""
    return frozenset(hms(cue.start) for cue in cues(path))


@lru_cache(maxsize=4096)
def heard_near(path: Path, at: str, window: int = 30) -> str:
    """The text of every cue starting within *window* seconds of *at*, joined."""
    moment = seconds(at)
    return " ".join(cue.text for cue in cues(path) if abs(cue.start - moment) <= window)
