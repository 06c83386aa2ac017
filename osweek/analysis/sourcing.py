"""The sources themselves: what each is and covers, what two or more independent ones support,
and where they disagree. Every place is a paragraph, a capture's entry or a time in a recording."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from ..data import Dataset
from .memo import per_dataset
from .programme import VIEW_ORDER, session_mentions, source_views
from .record import place

CITING_TABLES = ("people", "affiliations", "organizations", "appearances", "statements", "events", "citations",
                 "disagreement_versions", "ospo_mentions", "ospo_case_studies", "ospo_focus_areas")


def origin(url: str) -> str:
    """Who publishes a source, read from its address: sources on one web host count as one origin, never as two."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def origins(ds: Dataset) -> pd.Series:
    """Each source's origin (its web host), by source_id."""
    return ds.sources.set_index("source_id")["url"].map(origin)


@per_dataset
def source_overview(ds: Dataset) -> pd.DataFrame:
    """Each source: its view, author, date, what is stored, its size, and how many rows and sessions rest on it."""
    rows = pd.concat([ds[name][["source_id"]].assign(table=name) for name in CITING_TABLES if name in ds], ignore_index=True)
    size = ds.sources.apply(lambda r: f"{int(r['paragraph_count'])} paragraphs" if pd.notna(r["paragraph_count"])
                            else f"{int(r['entry_count'])} entries" if pd.notna(r["entry_count"]) else f"{r['duration']} recorded", axis=1)
    sessions = session_mentions(ds).groupby("source_id")["session_id"].nunique()
    return (
        ds.sources.assign(
            view=lambda d: pd.Categorical(d["source_id"].map(source_views(ds)), categories=VIEW_ORDER, ordered=True),
            origin=lambda d: d["url"].map(origin),
            published=lambda d: d["published"].dt.date.astype("string").fillna("undated"),
            size=size,
            sessions_described=lambda d: d["source_id"].map(sessions).fillna(0).astype(int),
            rows_citing=lambda d: d["source_id"].map(rows.groupby("source_id").size()).fillna(0).astype(int),
        )
        .sort_values(["view", "published", "source_id"])
        [["source_id", "view", "title", "author", "origin", "published", "stored", "pointer", "size", "sessions_described", "rows_citing", "url"]]
        .reset_index(drop=True)
    )


def sources_by_view(ds: Dataset) -> pd.DataFrame:
    """Sources, works (distinct addresses: two stored parts of one post are one work), origins and citing rows per view."""
    return (
        source_overview(ds)
        .groupby("view", observed=False)
        .agg(sources=("source_id", "size"), works=("url", "nunique"), origins=("origin", "nunique"), rows_citing=("rows_citing", "sum"))
        .reset_index()
        .astype({"view": "string"})
    )


@per_dataset
def corroborated(ds: Dataset) -> pd.DataFrame:
    """Facts that sources of two or more origins support: sessions that took place, people's organizations, disputed versions."""
    where = origins(ds)
    names = ds.people.set_index("person_id")["name"]
    orgs = ds.organizations.set_index("org_id")["name"]
    titles = ds.programme_sessions.set_index("session_id")["title"]
    facts = [
        session_mentions(ds).assign(kind="the session took place", fact=lambda d: d["session_id"].map(titles))[["kind", "fact", "source_id"]],
        ds.affiliations.dropna(subset=["organization_id"]).assign(  # an office and its parent body are one fact (UN OICT, the UN)
            kind="a person's organization",
            fact=lambda d: d["person_id"].map(names) + ": " + d["organization_id"].map(root_organization(ds)).map(orgs))[["kind", "fact", "source_id"]],
        ds.disagreement_versions.assign(kind="a disputed fact's version, in the same words",
                                        fact=lambda d: d["disagreement_id"] + ": " + d["version"])[["kind", "fact", "source_id"]],
    ]
    return (
        pd.concat(facts, ignore_index=True)
        .assign(origin=lambda d: d["source_id"].map(where))
        .groupby(["kind", "fact"], sort=False)
        .agg(origins=("origin", "nunique"), sources=("source_id", lambda s: "; ".join(sorted(set(s)))))
        .reset_index()
        .query("origins >= 2")
        .sort_values(["kind", "origins", "fact"], ascending=[True, False, True])
        .reset_index(drop=True)
    )


def root_organization(ds: Dataset) -> pd.Series:
    """Each organization's top body (following parent_id): an office of the UN Secretariat -> the United Nations."""
    parents = ds.organizations.set_index("org_id")["parent_id"].dropna().to_dict()
    def root(org: str) -> str:
        seen = set()
        while org in parents and org not in seen:
            seen.add(org)
            org = parents[org]
        return org
    return pd.Series({org: root(org) for org in ds.organizations["org_id"]})


def subject_label(ds: Dataset, table: str, record_id: str) -> str:
    """A disagreement's subject in words: a person's name, a session's or event's title, an organization's name."""
    lookups = {"people": ("person_id", "name"), "programme_sessions": ("session_id", "title"), "events": ("event_id", "title"),
               "organizations": ("org_id", "name"), "days": ("date", "weekday"), "ospo_case_studies": ("case_id", "name")}
    key, column = lookups.get(table, (None, None))
    if key is None or key not in ds[table] or column not in ds[table]:
        return record_id
    found = ds[table].assign(_key=lambda d: d[key].astype(str)).set_index("_key")[column]
    return str(found.get(str(record_id), record_id))


@per_dataset
def disagreement_versions(ds: Dataset) -> pd.DataFrame:
    """Every version of every disputed fact: its subject, field, source and place, whether the data uses it, and the rule."""
    disputes = ds.disagreements.assign(subject=lambda d: [subject_label(ds, t, r) for t, r in zip(d["subject_table"], d["subject_id"], strict=True)])
    return (
        ds.disagreement_versions.merge(disputes, on="disagreement_id")
        .assign(place=lambda d: d.apply(place, axis=1), used=lambda d: d["used"].astype("string"),
                view=lambda d: d["source_id"].map(source_views(ds)))
        [["disagreement_id", "subject", "field", "version", "source_id", "view", "place", "used", "rule", "time", "paragraph"]]
        .reset_index(drop=True)
    )


def disagreements_by_rule(ds: Dataset) -> pd.DataFrame:
    """Disputed facts per resolution rule, most used first."""
    return (
        ds.disagreements.assign(rule=lambda d: d["rule"].astype("string"))
        .groupby("rule").size().rename("disagreements").reset_index()
        .sort_values(["disagreements", "rule"], ascending=[False, True]).reset_index(drop=True)
    )
