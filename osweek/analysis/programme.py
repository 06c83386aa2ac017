"""The week as the programme planned it, and which sources describe each planned session.

The programme (the official agenda with the community side-event list) plans every session; a
recording shows what was broadcast; an attendee's account or a press report says what its
author saw or heard of. These functions keep the three views apart: a session "described" by a
source is one the source records (a recording's stretch) or one of its rows points to (an
event, a statement, an appearance or a citation), never the programme's own listing.
"""

from __future__ import annotations

import re

import pandas as pd

from ..data import Dataset
from .memo import per_dataset

# The view a kind of source gives of the week (sources.kind -> view), in the order the book names them.
VIEWS = {"official-programme": "programme", "transcript": "recording", "attendee-blog": "attendee account", "news": "press report"}
VIEW_ORDER = list(VIEWS.values())

# A session's format, read from words of its programme title (first rule that matches; our coding, see Methods).
FORMAT_RULES = [
    ("reception", r"\breception\b"),
    ("breakfast", r"\bbreakfast\b"),
    ("drinks", r"\bdrinks\b"),
    ("hackathon", r"-a-thon\b|hack-?a-?thon"),
    ("keynotes", r"\bkeynotes?\b"),
    ("fireside chat", r"\bfireside\b"),
    ("opening or closing", r"\bopening remarks\b|\bwelcome\b|\bclosing\b|\bplenary session\b"),
    ("panel", r"\bpanels?\b|\bdiscussion\b|\bdialogue\b"),
    ("spotlight", r"\bspotlight\b"),
]
OTHER_FORMAT = "other session"
PROGRAMME = "osw2026-agenda"  # the source whose sessions are the programme tables
MAIN_ROOM = "ECOSOC Chamber"  # the only room the stored recordings show


def session_format(title: str) -> str:
    """The format a programme title names (keynotes, panel, hackathon ...), else 'other session'."""
    lowered = title.lower()
    return next((name for name, pattern in FORMAT_RULES if re.search(pattern, lowered)), OTHER_FORMAT)


def source_views(ds: Dataset) -> pd.Series:
    """Each source's view of the week (programme, recording, attendee account, press report), by source_id."""
    return ds.sources.set_index("source_id")["kind"].astype("string").map(VIEWS)


@per_dataset
def session_mentions(ds: Dataset) -> pd.DataFrame:
    """One row per (session, source, place) where a recording, an account or a press report describes a planned session, with
    how. The programme's own pages (the agenda, an organizer's announcement) plan sessions, so they never count here."""
    to_session = ds.events.dropna(subset=["session_id"]).set_index("event_id")["session_id"]
    places = ["paragraph", "entry", "time"]
    rows = [
        ds.recordings.query("segment == 'session'").assign(how="recorded", time=lambda d: d["start"], paragraph=pd.NA, entry=pd.NA),
        ds.citations.query("table == 'programme_sessions'").rename(columns={"record_id": "session_id"}).assign(how="cited"),
        ds.citations.query("table == 'events'").assign(session_id=lambda d: d["record_id"].map(to_session), how="cited"),
        ds.events.assign(how="reported"),
    ]
    for name in ("appearances", "statements"):  # a row names its session, or an event mapped to one
        table = ds[name]
        rows.append(table.assign(session_id=table["session_id"].fillna(table["event_id"].map(to_session)), how=name[:-1]))
    types = {"session_id": "string", "source_id": "string", "paragraph": "Int64", "entry": "string", "time": "string", "how": "string"}
    mentions = pd.concat([r.reindex(columns=["session_id", "source_id", *places, "how"]).astype(types) for r in rows if len(r)], ignore_index=True)
    return (
        mentions.dropna(subset=["session_id", "source_id"])
        .assign(view=lambda d: d["source_id"].map(source_views(ds)))
        .query("view != 'programme'")  # the agenda and the organizers' pages plan a session: they cannot show it took place
        .drop_duplicates()
        .sort_values(["session_id", "source_id", "how"])
        .reset_index(drop=True)
    )


def slot_aliases(ds: Dataset) -> pd.Series:
    """Programme sessions that are another agenda title for a session's slot, as a disagreement on the title resolves it:
    the subject session (whose title the data does not use) -> the session whose title it uses."""
    titles = ds.disagreements.query("subject_table == 'programme_sessions' and field == 'title'")
    used = ds.disagreement_versions.query("used == 'yes' and source_id == @PROGRAMME")[["disagreement_id", "entry"]]
    pairs = titles.merge(used, on="disagreement_id").query("entry != subject_id and entry in @ds.programme_sessions.session_id")
    return pairs.set_index("subject_id")["entry"].rename("alias_of")


@per_dataset
def programme_sessions(ds: Dataset) -> pd.DataFrame:
    """Every planned session with its day, format, whether it ran in parallel and which views describe it. A title that a
    disagreement resolves as another title for a session's slot (slot_aliases) is that session, not a row of its own."""
    mentions = session_mentions(ds).drop_duplicates(["session_id", "source_id", "how"])
    days = ds.days.set_index("date")
    organizers = ds.programme_organizers.set_index("slug")["name"]
    aliases = slot_aliases(ds)
    return (
        ds.programme_sessions[~ds.programme_sessions["session_id"].isin(aliases.index)]  # one row per slot, not per title
        .assign(
            weekday=lambda d: d["date"].map(days["weekday"]).astype("string"),
            day_theme=lambda d: d["date"].map(days["official_theme"]).astype("string"),
            format=lambda d: d["title"].map(session_format),
            parallel=lambda d: parallel_sessions(d),
            main_room=lambda d: d["rooms"].fillna("").str.contains(MAIN_ROOM, regex=False),
            organizer_names=lambda d: d["organizers"].fillna("").map(lambda s: "; ".join(organizers.get(o, o) for o in s.split(";") if o)),
            recorded=lambda d: d["session_id"].isin(mentions.query("how == 'recorded'")["session_id"]),  # a stretch of a recording, not a mention in one
            accounts=lambda d: d["session_id"].map(_sources_per_session(mentions, ["attendee account"])).fillna(0).astype(int),
            reports=lambda d: d["session_id"].map(_sources_per_session(mentions, ["press report"])).fillna(0).astype(int),
            sources=lambda d: d["session_id"].map(mentions.groupby("session_id")["source_id"].agg(lambda s: "; ".join(sorted(set(s))))).fillna(""),
        )
        .assign(described=lambda d: d["sources"] != "", coverage=lambda d: d.apply(coverage_class, axis=1))
        .sort_values(["date", "start", "session_id"])
        .reset_index(drop=True)
    )


def _sources_per_session(mentions: pd.DataFrame, views: list[str]) -> pd.Series:
    """How many sources of these views describe each session."""
    return mentions[mentions["view"].isin(views)].groupby("session_id")["source_id"].nunique()


LONG_SESSION = pd.Timedelta(hours=3)  # all-day hackathons and evening receptions overlap everything: not "parallel"


def parallel_sessions(sessions: pd.DataFrame) -> pd.Series:
    """True where a session's time overlaps another session's on the same day (sessions of three hours or more left out;
    two titles listed in one room at one time, shares_slot_with, do not make each other parallel)."""
    times = sessions.assign(
        begin=lambda d: pd.to_datetime(d["date"].astype(str) + " " + d["start"].astype(str)),
        finish=lambda d: pd.to_datetime(d["date"].astype(str) + " " + d["end"].astype(str)),
    )
    short = times[(times["finish"] - times["begin"]) < LONG_SESSION]
    pairs = short.merge(short, on="date", suffixes=("", "_other")).query(
        "session_id != session_id_other and begin < finish_other and begin_other < finish")
    if "shares_slot_with" in pairs:  # two titles the programme lists in one room at one time are not parallel to each other
        partners = pairs["shares_slot_with"].astype("string").fillna("").str.split(";")
        same_slot = [other in listed for other, listed in zip(pairs["session_id_other"], partners, strict=True)]
        pairs = pairs[~pd.Series(same_slot, index=pairs.index, dtype=bool)]
    return sessions["session_id"].isin(pairs["session_id"]) & sessions["session_id"].isin(short["session_id"])


COVERAGE_CLASSES = ["recorded", "described, not recorded", "programme only"]


def coverage_class(session: pd.Series) -> str:
    """What the sources hold of a session: a recording of it, else a description (an account, a report, a mention in a
    recording of another session), else only its programme entry."""
    if session["recorded"]:
        return COVERAGE_CLASSES[0]
    return COVERAGE_CLASSES[1] if session["described"] else COVERAGE_CLASSES[2]


@per_dataset
def sessions_by_day(ds: Dataset) -> pd.DataFrame:
    """Planned sessions per day and coverage class (recorded, described, programme only), with the day's theme."""
    sessions = programme_sessions(ds)
    counts = sessions.groupby(["date", "coverage"]).size().unstack(fill_value=0).reindex(columns=COVERAGE_CLASSES, fill_value=0)
    return (
        ds.days[["date", "weekday", "official_theme"]]
        .merge(counts.reset_index(), on="date", how="left")
        .fillna({c: 0 for c in COVERAGE_CLASSES})
        .melt(id_vars=["date", "weekday", "official_theme"], value_vars=COVERAGE_CLASSES, var_name="coverage", value_name="sessions")
        .astype({"sessions": int, "weekday": "string"})
    )


@per_dataset
def coverage_matrix(ds: Dataset) -> pd.DataFrame:
    """Sessions (rows) that any source beyond the programme describes, against those sources (columns): how each describes it."""
    mentions = session_mentions(ds).drop_duplicates(["session_id", "source_id", "how"])
    sessions = programme_sessions(ds).query("described")
    order = ds.sources.assign(view=lambda d: d["source_id"].map(source_views(ds)))
    columns = ["recording", "attendee account", "press report"]  # the recordings first
    order = order[order["source_id"].isin(mentions["source_id"])].assign(rank=lambda d: d["view"].map(columns.index)).sort_values(["rank", "source_id"])
    return (
        mentions.assign(how=lambda d: d["how"].where(d["how"] == "recorded", "described"))
        .sort_values("how", ascending=False)  # "recorded" wins where a recording also has rows
        .drop_duplicates(["session_id", "source_id"])
        .pivot(index="session_id", columns="source_id", values="how")
        .reindex(index=sessions["session_id"], columns=order["source_id"])
    )


@per_dataset
def blind_spots(ds: Dataset) -> dict[str, int]:
    """Headline counts of what no source beyond the programme shows, for glue."""
    sessions = programme_sessions(ds)
    parallel = sessions.query("parallel")
    short = sessions[pd.to_datetime(sessions["end"], format="%H:%M") - pd.to_datetime(sessions["start"], format="%H:%M") < LONG_SESSION]
    shared = short["shares_slot_with"].fillna("").str.split(";").map(lambda ids: [i for i in ids if i in set(short["session_id"])])
    return {
        "listed_sessions": len(ds.programme_sessions),
        "slot_aliases": len(slot_aliases(ds)),
        "shared_slots": int(sum(len(ids) > 0 for ids in shared) // 2),  # pairs of titles still listed in one room at one time
        "planned_sessions": len(sessions),
        "planned_official": int((sessions["kind"] == "official").sum()),
        "planned_side": int((sessions["kind"] == "side-event").sum()),
        "recorded_sessions": int(sessions["recorded"].sum()),
        "described_sessions": int(sessions["described"].sum()),
        "described_not_recorded": int((sessions["described"] & ~sessions["recorded"]).sum()),
        "programme_only": int((~sessions["described"]).sum()),
        "parallel_sessions": len(parallel),
        "parallel_unrecorded": int((~parallel["recorded"]).sum()),
        "parallel_undescribed": int((~parallel["described"]).sum()),
        "rooms": int(sessions["rooms"].dropna().str.split("; ").explode().nunique()),
    }
