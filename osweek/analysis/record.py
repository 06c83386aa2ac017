"""Small pure functions that turn the dataset into the tables the chapters show.

Each takes the loaded Dataset (or DataFrames) and returns a new DataFrame. Counts are of
what the account reports, never of the whole week.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from ..data import FIRST_ACCOUNT, Dataset, load
from .memo import per_dataset

SPEAKING_ROLES = ["keynote", "panelist", "moderator", "remarks", "introducer", "host", "speaker", "presenter"]
NO_SPEAKER = "no speaker named"
BETWEEN_SESSIONS = "between sessions"  # a recording's stretch where the host announces what comes next
SECTOR_ORDER = ["government", "united-nations", "multilateral", "industry", "nonprofit", "academia", "unknown"]
SECTOR_LABELS = {
    "government": "Government",
    "united-nations": "United Nations",
    "multilateral": "Other multilateral",
    "industry": "Industry",
    "nonprofit": "Non-profit",
    "academia": "Academia",
    "unknown": "Unknown",
    NO_SPEAKER: "No speaker named",
}


def week_events(ds: Dataset) -> pd.DataFrame:
    """Events of the week (outside events left out) with organizer, venue, parent and the day's official theme."""
    names = ds.organizations.set_index("org_id")["name"]
    titles = ds.events.set_index("event_id")["title"]
    themes = ds.days.set_index("date")["official_theme"]
    return (
        ds.events.query("scope == 'week'")
        .assign(
            organizer=lambda d: d["organizer_id"].map(names),
            venue=lambda d: d["venue_id"].map(names).fillna(d["venue_note"]),
            parent=lambda d: d["parent_id"].map(titles),
            weekday=lambda d: d["date"].dt.day_name(),
            day_theme=lambda d: d["date"].map(themes),
        )
        # The order of narration: by day, then by the paragraph that reports the event.
        .sort_values(["date", "source_id", "paragraph", "order_in_day"], na_position="first", kind="stable")
        .reset_index(drop=True)
    )


CONTAINER_KINDS = ["week", "day-programme"]


def sessions(ds: Dataset) -> pd.DataFrame:
    """Events of the week that are single sessions or gatherings (reported or anticipated), not containers such as a day programme."""
    return week_events(ds).query("kind not in @CONTAINER_KINDS").reset_index(drop=True)


def reported_sessions(ds: Dataset) -> pd.DataFrame:
    """Sessions the account reports as having taken place (events it only anticipates left out)."""
    return sessions(ds).query("status == 'reported'").reset_index(drop=True)


def anticipated_sessions(ds: Dataset) -> pd.DataFrame:
    """Sessions the account only looks forward to: still to come when it was written."""
    return sessions(ds).query("status == 'anticipated'").reset_index(drop=True)


def events_per_day(ds: Dataset) -> pd.DataFrame:
    """Sessions the account reports on each day of the week (anticipated ones left out), by programme, with the day's theme."""
    counts = reported_sessions(ds).groupby(["date", "programme"], observed=True).size().rename("events").reset_index()
    return (
        ds.days[["date", "weekday", "official_theme", "covered_by_source"]]
        .merge(counts, on="date", how="left")
        .assign(events=lambda d: d["events"].fillna(0).astype(int), programme=lambda d: d["programme"].astype("string"))
    )


@per_dataset
def speaker_appearances(ds: Dataset) -> pd.DataFrame:
    """One row per person speaking in a session (attendance left out), with organization, sector, country and kind of session.

    A row from an account names its event; a row from a recording names its programme session. The session is the
    programme's where one is known (session_id, also for an account's event mapped to it), else the account's event;
    its kind is the event's kind (also for a session an account's event maps to), else the format the programme title names
    (osweek.analysis.programme.session_format). A host's words between sessions are 'between sessions'."""
    from .programme import session_format

    orgs = ds.organizations.set_index("org_id")
    events = ds.events.set_index("event_id")
    planned = ds.programme_sessions.set_index("session_id")["title"] if "programme_sessions" in ds else pd.Series(dtype="string")
    reported_kind = ds.events.dropna(subset=["session_id"]).set_index("session_id")["kind"].astype("string")
    kind_of_session = planned.map(session_format).where(~planned.index.isin(reported_kind.index), reported_kind.reindex(planned.index))
    return (
        ds.appearances.query("role in @SPEAKING_ROLES")
        .merge(ds.people[["person_id", "name", "title", "organization_id", "sector", "affiliation_basis"]], on="person_id")
        .assign(
            organization=lambda d: d["organization_id"].map(orgs["name"]),
            country=lambda d: d["organization_id"].map(orgs["country"]),
            session_id=lambda d: d["session_id"].fillna(d["event_id"].map(events["session_id"])).astype("string"),
            session_key=lambda d: d["session_id"].fillna(d["event_id"]).fillna(BETWEEN_SESSIONS).astype("string"),
            event=lambda d: d["event_id"].map(events["title"]).fillna(d["session_id"].map(planned)).fillna(BETWEEN_SESSIONS),
            event_kind=lambda d: d["event_id"].map(events["kind"]).astype("string")
                .fillna(d["session_id"].map(kind_of_session)).fillna(BETWEEN_SESSIONS).astype("string"),
            programme=lambda d: d["event_id"].map(events["programme"]).astype("string"),
            role=lambda d: d["role"].astype("string"),
            sector=lambda d: pd.Categorical(d["sector"].astype("string"), categories=SECTOR_ORDER),
        )
        .reset_index(drop=True)
    )


def recording_sources(ds: Dataset) -> set[str]:
    """The sources that are recordings (kind transcript): what was broadcast."""
    return set(ds.sources.query("kind == 'transcript'")["source_id"])


@per_dataset
def distinct_appearances(ds: Dataset) -> pd.DataFrame:
    """Speaking appearances counted once each: a person speaking in a session is one appearance, however many sources
    report it; its role is the one the first of them gives, in this order: a recording (it has the time), the first
    account, any other source."""
    transcripts = recording_sources(ds)
    return (speaker_appearances(ds)
            .assign(_rank=lambda d: d["source_id"].map(lambda s: 0 if s in transcripts else 1 if s == FIRST_ACCOUNT else 2))
            .sort_values(["_rank", "appearance_id"], kind="stable")
            .drop_duplicates(["person_id", "session_key"])
            .drop(columns="_rank").sort_index().reset_index(drop=True))


def speakers(ds: Dataset) -> pd.DataFrame:
    """One row per distinct person who spoke at least once."""
    return speaker_appearances(ds).drop_duplicates("person_id").reset_index(drop=True)


def speakers_by_sector(ds: Dataset) -> pd.DataFrame:
    """Distinct speakers per sector, with the share of all speakers."""
    return (
        speakers(ds)
        .groupby("sector", observed=False)
        .size()
        .rename("speakers")
        .reset_index()
        .assign(share=lambda d: d["speakers"] / d["speakers"].sum(), sector_label=lambda d: d["sector"].map(SECTOR_LABELS))
    )


def appearances_by(ds: Dataset, column: str) -> pd.DataFrame:
    """Speaking appearances (each counted once) by *column* (e.g. role or event_kind) and sector, in long form."""
    return (
        distinct_appearances(ds)
        .groupby([column, "sector"], observed=False)
        .size()
        .rename("appearances")
        .reset_index()
        .assign(sector_label=lambda d: d["sector"].map(SECTOR_LABELS))
    )


def country_regions(codes: pd.Series) -> pd.DataFrame:
    """UN region and continent of ISO 3166-1 alpha-3 codes, from country_converter (the EU is its own region)."""
    import country_converter as coco

    unique = sorted(set(codes.dropna()) - {"EU"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converter = coco.CountryConverter()
        regions = pd.DataFrame(
            {
                "country": unique,
                "country_name": converter.convert(unique, src="ISO3", to="name_short", not_found=None),
                "un_region": converter.convert(unique, src="ISO3", to="UNregion", not_found=None),
                "continent": converter.convert(unique, src="ISO3", to="continent", not_found=None),
            }
        )
    eu = pd.DataFrame([{"country": "EU", "country_name": "European Union", "un_region": "No UN region (EU)", "continent": "Europe"}])
    return pd.concat([regions, eu], ignore_index=True) if "EU" in set(codes) else regions


@per_dataset
def speakers_by_country(ds: Dataset) -> pd.DataFrame:
    """Distinct speakers per country of their organization, with region; UN staff and unrecorded countries kept apart."""
    people = speakers(ds)
    placeholder = {"un": "United Nations (no country)", "multilateral": "Other multilateral body (no country)",
                   "not-recorded": "Country not recorded", "unknown": "Affiliation unknown"}
    fallback = (people["sector"].astype("string").map({"united-nations": "un", "multilateral": "multilateral"}).fillna("not-recorded")
                .mask(people["organization_id"].isna(), "unknown"))  # no organization at all: the affiliation is unknown
    return (
        people.assign(country=people["country"].fillna(fallback))
        .groupby("country")
        .size()
        .rename("speakers")
        .reset_index()
        .merge(country_regions(people["country"]), on="country", how="left")
        .assign(
            country_name=lambda d: d["country_name"].fillna(d["country"].map(placeholder)),
            un_region=lambda d: d["un_region"].fillna("-"),
            continent=lambda d: d["continent"].fillna("-"),
        )
        .sort_values(["speakers", "country"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def government_voices(ds: Dataset) -> pd.DataFrame:
    """Countries whose government appears in the account, with the people and statements linked to them."""
    orgs = ds.organizations
    governments = orgs.query("sector == 'government' and country.notna()", engine="python")
    people = ds.people.merge(governments[["org_id", "country"]], left_on="organization_id", right_on="org_id")
    statements = ds.statements.merge(people[["person_id", "country"]], on="person_id")
    regions = country_regions(governments["country"]).set_index("country")
    # A government named only as the parent of a more specific body (Germany of its ministry) is not listed as a body.
    bodies = governments[~governments["org_id"].isin(orgs["parent_id"]) | governments["org_id"].isin(people["org_id"])]
    return (
        bodies.groupby("country")
        .agg(bodies=("name", lambda s: "; ".join(s)), first_paragraph=("paragraph", "min"))
        .join(people.groupby("country")["name"].agg(lambda s: "; ".join(s)).rename("people"))
        .join(statements.groupby("country").size().rename("statements"))
        .join(regions)
        .fillna({"people": "", "statements": 0})
        .astype({"statements": int})
        .reset_index()
        .sort_values("first_paragraph")
        .reset_index(drop=True)
    )


@per_dataset
def statement_table(ds: Dataset) -> pd.DataFrame:
    """Every statement with speaker, sector, session, themes and its place: a paragraph, or a time in a recording."""
    labels = ds.themes.set_index("theme_id")["label"]
    themes = ds.statement_themes.assign(label=lambda d: d["theme_id"].map(labels)).groupby("statement_id")["label"].agg("; ".join)
    people = ds.people.set_index("person_id")
    events = ds.events.set_index("event_id")
    planned = ds.programme_sessions.set_index("session_id")["title"]
    return ds.statements.assign(
        speaker=lambda d: d["person_id"].map(people["name"]).fillna("(" + NO_SPEAKER + ")"),
        sector=lambda d: d["person_id"].map(people["sector"]).astype("string").fillna(NO_SPEAKER),
        session=lambda d: d["event_id"].map(events["title"]).fillna(d["session_id"].map(planned)),
        themes=lambda d: d["statement_id"].map(themes),
    ).reindex(columns=["statement_id", "summary", "speaker", "sector", "session", "themes", "attribution", "same_claim_as", "source_id", "paragraph", "time"])


def counted(ds: Dataset) -> Dataset:
    """The dataset with each claim once: an account's statement that repeats a recorded claim (same_claim_as, the
    recorded statement being in view) is left out, with its themes. A view holding one source is returned as it is."""
    if "same_claim_as" not in ds.statements:
        return ds
    repeats = ds.statements["same_claim_as"].isin(ds.statements["statement_id"])
    if not repeats.any():
        return ds
    kept = ds.statements[~repeats].reset_index(drop=True)
    return ds.with_tables(statements=kept,
                          statement_themes=ds.statement_themes[ds.statement_themes["statement_id"].isin(kept["statement_id"])].reset_index(drop=True))


def coded_statements(ds: Dataset) -> pd.DataFrame:
    """One row per statement x theme, with the speaker's sector ('no speaker named' for sessions); each claim once (counted)."""
    ds = counted(ds)
    sectors = ds.people.set_index("person_id")["sector"].astype("string")
    return ds.statement_themes.merge(ds.statements[["statement_id", "person_id", "event_id", "session_id", "paragraph"]], on="statement_id").assign(
        sector=lambda d: d["person_id"].map(sectors).fillna(NO_SPEAKER)
    )


@per_dataset
def theme_counts(ds: Dataset) -> pd.DataFrame:
    """Statements per theme, the distinct sessions they come from, and those about the week or a day as a whole; most frequent first."""
    containers = set(ds.events.query("kind in @CONTAINER_KINDS")["event_id"])
    return (
        coded_statements(ds)
        .assign(session=lambda d: d["session_id"].astype("string")  # an account's event mapped to a session is that session, counted once
                .fillna(d["event_id"].map(ds.events.set_index("event_id")["session_id"]).astype("string"))
                .fillna(d["event_id"].where(~d["event_id"].isin(containers)).astype("string")),
                whole=lambda d: d["statement_id"].where(d["event_id"].isin(containers)))
        .groupby("theme_id")
        .agg(statements=("statement_id", "nunique"), sessions=("session", "nunique"), about_week_or_day=("whole", "nunique"))
        .reindex(ds.themes["theme_id"], fill_value=0)
        .join(ds.themes.set_index("theme_id")[["label", "definition"]])
        .reset_index()
        .sort_values(["statements", "label"], ascending=[False, True])
        .reset_index(drop=True)
    )


def theme_by_sector(ds: Dataset) -> pd.DataFrame:
    """Statements per theme (rows) and speaker sector (columns), themes in order of frequency."""
    order = theme_counts(ds)
    columns = [s for s in [*SECTOR_ORDER, NO_SPEAKER]]
    return (
        coded_statements(ds)
        .pivot_table(index="theme_id", columns="sector", values="statement_id", aggfunc="nunique", fill_value=0)
        .reindex(index=order["theme_id"], columns=columns, fill_value=0)
        .rename(index=order.set_index("theme_id")["label"], columns=SECTOR_LABELS)
        .rename_axis(index="theme", columns="sector")
    )


def theme_pairs(ds: Dataset) -> pd.DataFrame:
    """How often each pair of themes is coded on the same statement (each claim once), most frequent first."""
    ds = counted(ds)
    labels = ds.themes.set_index("theme_id")["label"]
    coded = ds.statement_themes.assign(label=lambda d: d["theme_id"].map(labels))
    return (
        coded.merge(coded, on="statement_id", suffixes=("_a", "_b"))
        .query("label_a < label_b")
        .groupby(["label_a", "label_b"])
        .size()
        .rename("statements")
        .reset_index()
        .sort_values(["statements", "label_a", "label_b"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def theme_cooccurrence(ds: Dataset) -> pd.DataFrame:
    """Square matrix of theme pairs (both triangles), themes in order of frequency."""
    order = theme_counts(ds)["label"]
    pairs = theme_pairs(ds)
    both = pd.concat([pairs, pairs.rename(columns={"label_a": "label_b", "label_b": "label_a"})])
    return both.pivot_table(index="label_a", columns="label_b", values="statements", fill_value=0).reindex(
        index=order, columns=order, fill_value=0
    ).rename_axis(index="theme", columns="theme paired with")


def ospo_comparison(ds: Dataset) -> pd.DataFrame:
    """The two government OSPOs side by side: one row per attribute, one column per OSPO."""
    names = ds.organizations.set_index("org_id")["name"]
    attributes = {
        "host": "Where it sits",
        "funding": "Funding",
        "sustainability_model": "Sustainability model",
        "remit": "Remit",
        "strategic_alignment": "Aligned with",
        "partnerships": "Partnerships named",
        "purpose": "Purpose stated",
        "paragraph": "Evidence paragraph",
    }
    return (
        ds.ospo_case_studies.assign(ospo=lambda d: d["organization_id"].map(names))
        .set_index("ospo")[list(attributes)]
        .astype("string")
        .T.rename(index=attributes)
        .rename_axis(index="attribute", columns=None)
    )


FOCUS_LABELS = {
    "capacity-building": "Capacity building",
    "community": "Developer community",
    "policy-procurement": "Policy and procurement",
    "infrastructure-registers": "Infrastructure and registers",
    "partnerships": "Partnerships",
    "advisory": "Advisory",
    "international-dialogue": "International dialogue",
}


def focus_matrix(ds: Dataset) -> pd.DataFrame:
    """Focus areas per category (rows, labelled) and OSPO (columns)."""
    names = ds.organizations.set_index("org_id")["name"]
    cases = ds.ospo_case_studies.set_index("case_id")["organization_id"].map(names)
    categories = ds.ospo_focus_areas["category"].cat.categories
    return (
        ds.ospo_focus_areas.assign(ospo=lambda d: d["case_id"].map(cases))
        .groupby(["category", "ospo"], observed=False)
        .size()
        .unstack(fill_value=0)
        .reindex(categories)
        .loc[lambda m: m.sum(axis=1) > 0]  # categories of the codebook that no focus area uses are left out
        .rename(index=FOCUS_LABELS)
        .rename_axis(index="category", columns="OSPO")
    )


def focus_areas(ds: Dataset) -> pd.DataFrame:
    """Every focus area with its OSPO, category label, partner and evidence paragraph."""
    names = ds.organizations.set_index("org_id")["name"]
    cases = ds.ospo_case_studies.set_index("case_id")["organization_id"].map(names)
    return ds.ospo_focus_areas.assign(
        ospo=lambda d: d["case_id"].map(cases),
        category=lambda d: d["category"].astype("string").map(FOCUS_LABELS),
        partner=lambda d: d["partner_id"].map(names),
    )[["ospo", "category", "summary", "partner", "paragraph"]]


def coverage(ds: Dataset) -> dict[str, int]:
    """Headline counts of what the account covers, for glue (sessions: those it reports as having taken place)."""
    week = reported_sessions(ds)
    spoken = speaker_appearances(ds)
    people = speakers(ds)
    return {
        "days": len(ds.days),
        "days_covered": int(ds.days["covered_by_source"].sum()),
        "sessions": len(week),
        "main_sessions": int((week["programme"] == "main").sum()),
        "side_sessions": int((week["programme"] == "side").sum()),
        "sessions_no_speaker": int((~week["event_id"].isin(spoken["event_id"])).sum()),
        "sessions_anticipated": len(anticipated_sessions(ds)),
        "speakers": len(people),
        "speakers_unknown": int((people["sector"] == "unknown").sum()),
        "speakers_government": int((people["sector"] == "government").sum()),
        "organizations": int((ds.organizations["kind"] != "venue").sum()),
        "countries": int(ds.organizations["country"].dropna().pipe(lambda s: s[s != "EU"]).nunique()),
        "statements": len(ds.statements),
        "statements_attributed": int(ds.statements["person_id"].notna().sum()),
        "themes": len(ds.themes),
        "paragraphs": int(ds.sources["paragraph_count"].fillna(0).sum()),
    }


def with_note(names: pd.Series, notes: pd.Series) -> pd.Series:
    """A record's name with its note, where it has one: a fact kept in a note reaches every page that lists the record."""
    return names.astype("string") + notes.astype("string").map(lambda n: f" (note: {n})", na_action="ignore").fillna("")


@per_dataset
def evidence_index(ds: Dataset) -> pd.DataFrame:
    """Which records cite each place: every paragraph of each text in order, and each cited entry or time of a capture or recording."""
    titles = ds.programme_sessions.set_index("session_id")["title"] if "programme_sessions" in ds else pd.Series(dtype="string")
    cited = {
        "People": ds.people.assign(item=lambda d: with_note(d["name"], d["notes"])),
        "Affiliations": ds.affiliations.assign(item=lambda d: d["person_id"].map(ds.people.set_index("person_id")["name"]) + ": "
                                               + d["organization_id"].map(ds.organizations.set_index("org_id")["name"]).fillna("no organization")
                                               + d["title"].map(lambda t: f", {t}", na_action="ignore").fillna("")),
        "Organizations": ds.organizations.assign(item=lambda d: with_note(d["name"], d["notes"])),
        "Sessions and events": ds.events.assign(item=lambda d: with_note(d["title"], d["notes"])),
        "Appearances": ds.appearances.assign(item=lambda d: d["person_id"].map(ds.people.set_index("person_id")["name"])
                                             + " (" + d["role"].astype("string") + ")"),
        "Statements": ds.statements.assign(item=lambda d: d["summary"]),
        "OSPO focus areas": ds.ospo_focus_areas.assign(item=lambda d: d["summary"]),
        "OSPO mentions": ds.ospo_mentions.assign(item=lambda d: d["fact"]),
        "Versions of a disputed fact": ds.disagreement_versions
            .merge(ds.disagreements[["disagreement_id", "subject_table", "subject_id", "field"]], on="disagreement_id")
            .assign(item=lambda d: d["disagreement_id"] + " (" + d["field"].astype("string") + " of "
                    + d["subject_id"].map(ds.people.set_index("person_id")["name"]).fillna(d["subject_id"]).astype("string")
                    + ")"),
        "Recorded stretches": ds.recordings.assign(item=lambda d: d["session_id"].map(titles).fillna(d["segment"].astype("string"))
                                                   + " (" + d["start"].astype("string") + "\u2013" + d["end"].astype("string") + ")",
                                                   time=lambda d: d["start"], paragraph=pd.NA, entry=pd.NA),
    }
    columns = ["source_id", "paragraph", "entry", "time", "item"]
    types = {"source_id": "string", "paragraph": "Int64", "entry": "string", "time": "string", "item": "string"}
    rows = pd.concat([t.reindex(columns=columns).astype(types).assign(kind=k) for k, t in cited.items() if len(t)], ignore_index=True)
    further = further_citations(ds).rename(columns={"record": "item"}).assign(kind="Also mentioned")
    rows = (pd.concat([rows, further.reindex(columns=[*columns, "kind"]).astype(types)], ignore_index=True)
            .dropna(subset=["paragraph", "entry", "time"], how="all")
            .assign(paragraph=lambda d: d["paragraph"].astype("Int64"), entry=lambda d: d["entry"].astype("string"), time=lambda d: d["time"].astype("string")))
    texts = ds.sources[ds.sources["pointer"] == "paragraph"]  # every paragraph of a text is listed, cited or not
    paragraphs = texts[["source_id", "paragraph_count"]].apply(
        lambda s: pd.DataFrame({"source_id": s["source_id"], "paragraph": pd.array(range(1, int(s["paragraph_count"]) + 1), dtype="Int64")}), axis=1)
    every_paragraph = pd.concat(list(paragraphs), ignore_index=True).merge(rows.dropna(subset=["paragraph"]), on=["source_id", "paragraph"], how="left")
    elsewhere = rows[rows["paragraph"].isna()]
    order = {source: n for n, source in enumerate(ds.sources["source_id"])}
    return (
        pd.concat([every_paragraph, elsewhere], ignore_index=True)
        .merge(ds.sources[["source_id", "title", "pointer", "url"]], on="source_id")
        .assign(rank=lambda d: d["source_id"].map(order), place=lambda d: d["paragraph"].astype("string").fillna(d["entry"]).fillna(d["time"]))
        .sort_values(["rank", "paragraph", "entry", "time", "kind"], na_position="last", kind="stable")
        .drop(columns="rank")
        .reset_index(drop=True)
    )


def place_target(source_id: str, pointer: str, place: object, first: str = FIRST_ACCOUNT) -> str:
    """The evidence page's target for a place: p12 for the first account, <source>-p12, <source>-t003149, <source>-e<entry>."""
    if pointer == "paragraph":
        return f"p{place}" if source_id == first else f"{source_id}-p{place}"
    if pointer == "time":
        return f"{source_id}-t{str(place).replace(':', '')}"
    return f"{source_id}-e{re.sub(r'[^a-z0-9-]', '-', str(place).lower())}"


def evidence_markdown(ds: Dataset) -> str:
    """The evidence index as MyST Markdown: one section per source, a target per place (p12, <source>-t003149) for links.

    The first account's paragraphs are MyST targets, since the chapters link to them with {ref}; every other source
    is one block of escaped HTML with an id per place, which the tables link to by address (parsing it as Markdown
    would cost the build more than any other page as the data grows)."""
    import html

    from .prose import SECTION_CLASS, md_escape

    e = html.escape
    lines = []
    for (source, title, pointer, url), part in evidence_index(ds).groupby(["source_id", "title", "pointer", "url"], sort=False, observed=True):
        places = list(part.groupby("place", sort=False, observed=True))
        heading = {"paragraph": "Paragraph {}", "time": "At {}", "entry": "Entry {}"}[pointer]
        if source == FIRST_ACCOUNT:
            lines += [f"({source})=", f"### {md_escape(title)} ({md_escape(source)})", ""]
            for place, cited in places:  # each place in an element of its own (SECTION_CLASS), opened and closed by HTML blocks
                lines += [f'<div class="{SECTION_CLASS}">', "", f"({place_target(source, pointer, place)})=", f"#### {md_escape(heading.format(place))}", ""]
                cited = cited.dropna(subset=["item"])
                lines += ["No record cites this paragraph.", ""] if cited.empty else []
                for kind, items in cited.groupby("kind", sort=False, observed=True):
                    lines += [f"**{kind}**: " + "; ".join(md_escape(i) for i in items["item"]), ""]
                lines += ["</div>", ""]
            continue
        note = ("Times are from the start of the recording (hh:mm:ss)." if pointer == "time"
                else "Places are the capture's entry ids or card slugs." if pointer == "entry" else "")
        block = [f'<section class="osweek-evidence" id="{e(source)}"><h3>{e(title)} ({e(source)})</h3>',
                 f'<p>Public address: <a href="{e(url)}">{e(url)}</a>. {note}</p>']
        for place, cited in places:
            block.append(f'<div class="{SECTION_CLASS}"><h4 id="{e(place_target(source, pointer, place))}">{e(heading.format(place))}</h4>')
            cited = cited.dropna(subset=["item"])
            if cited.empty:
                block.append("<p>No record cites this paragraph.</p>")
            for kind, items in cited.groupby("kind", sort=False, observed=True):
                block.append(f"<p><strong>{e(kind)}</strong>: " + "; ".join(e(str(i)) for i in items["item"]) + "</p>")
            block.append("</div>")
        lines += ["\n".join(block) + "</section>", ""]  # one element per line, no blank line: one HTML block
    return "\n".join(lines)


def place(row: pd.Series | dict) -> str:
    """Where in its source a row points: '¶ 12', 'entry sess-2026-071' or '00:31:49' (empty if it points nowhere)."""
    if pd.notna(row.get("paragraph")):
        return f"\u00b6\u00a0{int(row['paragraph'])}"
    if pd.notna(row.get("entry")):
        return f"entry {row['entry']}"
    return str(row["time"]) if pd.notna(row.get("time")) else ""


def first_account_only(ds: Dataset) -> bool:
    """True for the first account's view (every statement and appearance from it): charts then speak of 'the account'."""
    return set(ds.statements["source_id"]) | set(ds.appearances["source_id"]) <= {FIRST_ACCOUNT}


def evidence_links(ds: Dataset, rows: pd.DataFrame, page: str = "07-evidence.html") -> pd.DataFrame:
    """*rows* (with source_id and a pointer) plus 'evidence' (source and place, 'unwebtv-k12 00:31:49') and 'evidence_url':
    a paragraph or entry links to its place on the evidence page, a time to the recording's public address."""
    sources = ds.sources.set_index("source_id")
    def link(row: pd.Series) -> tuple[str, str]:
        pointer = str(sources.loc[row["source_id"], "pointer"])
        value = row.get(pointer)
        if pd.isna(value):
            return str(row["source_id"]), f"{page}#{row['source_id']}"
        if pointer == "time":
            return f"{row['source_id']} {value}", str(sources.loc[row["source_id"], "url"])
        target = place_target(row["source_id"], pointer, int(value) if pointer == "paragraph" else value)
        return f"{row['source_id']} {place({pointer: value})}", f"{page}#{target}"
    pairs = rows.apply(link, axis=1, result_type="expand") if len(rows) else pd.DataFrame(columns=[0, 1])
    return rows.assign(evidence=pairs[0].values if len(rows) else [], evidence_url=pairs[1].values if len(rows) else [])


RECORD_TABLES = {"organizations": ("org_id", "name"), "people": ("person_id", "name"), "events": ("event_id", "title"),
                 "statements": ("statement_id", "summary"), "ospo_focus_areas": ("focus_id", "summary"),
                 "programme_sessions": ("session_id", "title")}


def further_citations(ds: Dataset) -> pd.DataFrame:
    """Citations beyond a record's own source and paragraph, with the record's name or title."""
    names = {table: ds[table].set_index(key)[text] for table, (key, text) in RECORD_TABLES.items()}
    return ds.citations.assign(
        record=lambda d: [names[str(t)].get(r, r) for t, r in zip(d["table"], d["record_id"], strict=True)],
        table=lambda d: d["table"].astype("string"),
    )


def event_sources(ds: Dataset, status: str = "reported") -> pd.DataFrame:
    """One row per event of the week with *status* and account that mentions it (its own citation plus further ones)."""
    own = ds.events.query("scope == 'week' and status == @status")[["event_id", "source_id", "paragraph"]]
    further = ds.citations.query("table == 'events'")[["record_id", "source_id", "paragraph"]].rename(columns={"record_id": "event_id"})
    return (
        pd.concat([own, further.query("event_id in @own.event_id")], ignore_index=True)
        .groupby(["event_id", "source_id"], as_index=False)["paragraph"].min()
    )


def coverage_by_source(ds: Dataset) -> pd.DataFrame:
    """Per account: events of the week it reports (and, when two or more report events, those only it reports),
    events it only anticipates, its people and statements."""
    mentions = event_sources(ds)
    anticipated = event_sources(ds, "anticipated")
    accounts = mentions.groupby("event_id")["source_id"].nunique()
    only = mentions[mentions["event_id"].map(accounts) == 1]
    return (
        ds.sources[["source_id", "title", "author", "kind"]]
        .assign(kind=lambda d: d["kind"].astype("string"))
        .merge(mentions.groupby("source_id").size().rename("events").reset_index(), how="left")
        .merge(only.groupby("source_id").size().rename("events_only_here").reset_index(), how="left")
        .merge(anticipated.groupby("source_id").size().rename("events_anticipated").reset_index(), how="left")
        .merge(ds.people.groupby("source_id").size().rename("people").reset_index(), how="left")
        .merge(ds.statements.groupby("source_id").size().rename("statements").reset_index(), how="left")
        .fillna({"events": 0, "events_only_here": 0, "events_anticipated": 0, "people": 0, "statements": 0})
        .astype({"events": int, "events_only_here": int, "events_anticipated": int, "people": int, "statements": int})
        .rename(columns={"events": "events_reported", "events_only_here": "events_reported_only_here"})
        .pipe(lambda d: d if mentions["source_id"].nunique() > 1 else d.drop(columns="events_reported_only_here"))  # "only here" says nothing with one source
    )


def evidence_of(ds: Dataset, records: pd.DataFrame, references: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """The sources behind *records* (rows with source_id and a pointer) with the places cited (paragraphs, entries or times), plus outside references."""
    sources = ds.sources.set_index("source_id")
    found = []
    for source_id, part in records.dropna(subset=["source_id"]).groupby("source_id", sort=True):
        row = sources.loc[source_id]
        pointer = str(row["pointer"])
        column = part[pointer] if pointer in part else pd.Series(dtype="string")
        places = sorted({int(p) for p in column.dropna()}) if pointer == "paragraph" else sorted({str(p) for p in column.dropna()})
        found.append({"id": str(source_id), "title": str(row["title"]), "author": "" if pd.isna(row["author"]) else str(row["author"]),
                      "url": str(row["url"]), "kind": str(row["kind"]), "pointer": pointer, "places": places})
    refs = ds.references.set_index("reference_id")
    every_source = load(ds.folder).sources.set_index("source_id")  # a source used as a reference may lie outside a restricted view
    for ref in references:
        if ref in refs.index:
            row = refs.loc[ref]
            found.append({"id": ref, "title": str(row["title"]), "author": str(row["publisher"]),
                          "url": "" if pd.isna(row["url"]) else str(row["url"]), "kind": str(row["kind"]), "used_for": str(row["used_for"])})
        else:
            row = every_source.loc[ref]
            found.append({"id": ref, "title": str(row["title"]), "author": "" if pd.isna(row["author"]) else str(row["author"]),
                          "url": str(row["url"]), "kind": str(row["kind"]), "used_for": "outside reference"})
    return found


VIEW_FIRST, VIEW_RECORDINGS = "the first account", "the recordings"


@per_dataset
def recorded(ds: Dataset) -> Dataset:
    """The record of the recorded sessions: appearances and statements from the recordings only, people as the whole record has them."""
    transcripts = recording_sources(ds)
    statements = ds.statements[ds.statements["source_id"].isin(transcripts)].reset_index(drop=True)
    return ds.with_tables(
        appearances=ds.appearances[ds.appearances["source_id"].isin(transcripts)].reset_index(drop=True),
        statements=statements,
        statement_themes=ds.statement_themes[ds.statement_themes["statement_id"].isin(statements["statement_id"])].reset_index(drop=True),
    )


def theme_shares_by_view(ds: Dataset) -> pd.DataFrame:
    """Per view (the first account, the recordings) and theme: statements coded with it, of how many, and the share."""
    parts = []
    for view, part in ((VIEW_FIRST, ds.restricted_to(FIRST_ACCOUNT)), (VIEW_RECORDINGS, recorded(ds))):
        counts = theme_counts(part)[["theme_id", "label", "statements"]]
        total = len(part.statements)
        parts.append(counts.assign(view=view, of=total, share=counts["statements"] / total if total else 0.0))
    data = pd.concat(parts, ignore_index=True)
    order = data.groupby("label")["share"].sum().sort_values(ascending=False).index
    return (data.assign(rank=lambda d: d["label"].map({t: i for i, t in enumerate(order)}))
            .sort_values(["rank", "view"], key=lambda c: c.map({VIEW_FIRST: 0, VIEW_RECORDINGS: 1}) if c.name == "view" else c)
            .drop(columns="rank").reset_index(drop=True)[["view", "theme_id", "label", "statements", "of", "share"]])


def speakers_by_sector_by_view(ds: Dataset) -> pd.DataFrame:
    """Distinct speakers per sector in two views: the first account (its own affiliations) and the recordings."""
    return pd.concat([speakers_by_sector(part).assign(view=view)
                      for view, part in ((VIEW_FIRST, ds.restricted_to(FIRST_ACCOUNT)), (VIEW_RECORDINGS, recorded(ds)))], ignore_index=True)


def unknown_before_after(ds: Dataset) -> dict[str, int]:
    """The first account's speakers: how many it leaves without a sector, how many the whole record still does, and how many
    of those a recording gives an organization for that the data does not yet record."""
    first = speakers(ds.restricted_to(FIRST_ACCOUNT))
    record = speakers(ds).set_index("person_id")["sector"]
    after = first["person_id"].map(record)
    transcripts = recording_sources(ds)
    heard = ds.appearances.loc[ds.appearances["affiliation_stated"].notna() & ds.appearances["source_id"].isin(transcripts), "person_id"]
    return {"first_speakers": len(first), "unknown_before": int((first["sector"] == "unknown").sum()),
            "unknown_after": int((after == "unknown").sum()),
            "unknown_after_heard": int(((after == "unknown") & first["person_id"].isin(set(heard))).sum()),  # a recording names one
            "speakers_all": len(record),
            "unknown_all": int((record == "unknown").sum())}
