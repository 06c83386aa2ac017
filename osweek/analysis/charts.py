"""The book's charts: each function takes the dataset and returns a Chart (figure, title,
caption, text alternative and the exact data it plots)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..data import FIRST_ACCOUNT, Dataset
from . import programme as pg
from . import record as a
from .figures import COUNT_SCALE, NEUTRAL, NEUTRAL_FAINT, SECTOR_COLORS, SOURCE_LINE, Chart, label
from .prose import join_words, lower_first, plural

PROGRAMME_STYLE = {"main": ("Main programme", "circle"), "side": ("Side event", "circle-open")}
# A thin dark edge on sector-coloured marks: light fills (orange, sky blue) keep a 3:1 boundary against a white page.
OUTLINE = {"color": "#3A3A3A", "width": 1}


def _speaker_records(ds: Dataset) -> pd.DataFrame:
    """The rows a speakers chart rests on: the appearances, and every source's version of the speakers' affiliations."""
    appearances = a.speaker_appearances(ds)
    return pd.concat([appearances[["source_id"]], ds.affiliations[ds.affiliations["person_id"].isin(appearances["person_id"])][["source_id"]]])


def _source_line(ds: Dataset, records: pd.DataFrame | None = None) -> str:
    """The chart's source line: the first account, or the sources of the whole package its *records* come from."""
    return SOURCE_LINE if a.first_account_only(ds) else _record_source(ds, records)


def _wrapped(text: str, width: int = 26) -> str:
    """Escaped plotly text broken into lines of at most *width* characters."""
    return "<br>".join(map(label, textwrap.wrap(text, width)))


def _leaders(data: pd.DataFrame, name: str, value: str) -> list[str]:
    """Every *name* that shares the largest *value*: one for a clear lead, several for a tie."""
    return data.loc[data[value] == data[value].max(), name].astype(str).tolist()


def _listing(data: pd.DataFrame, name: str, value: str) -> str:
    """'a 3, b 2' from two columns, for text alternatives."""
    return ", ".join(f"{n} {v}" for n, v in zip(data[name], data[value], strict=True))


def _sector_bar_traces(data: pd.DataFrame, x: str, y: str, orientation: str = "v") -> list[go.Bar]:
    """One bar trace per sector, in the book's sector colours (legend order = sector order)."""
    traces = []
    for sector, part in data.groupby("sector", observed=True, sort=False):
        if part[y if orientation == "v" else x].sum() == 0:
            continue
        traces.append(go.Bar(
            x=part[x].map(label), y=part[y].map(label) if orientation == "h" else part[y],
            name=a.SECTOR_LABELS[sector], marker_color=SECTOR_COLORS[sector], marker_line=OUTLINE, orientation=orientation,
            hovertemplate="%{x}: %{y}<extra>" + a.SECTOR_LABELS[sector] + "</extra>" if orientation == "v"
            else "%{y}: %{x}<extra>" + a.SECTOR_LABELS[sector] + "</extra>",
        ))
    return traces


# -- Chapter 2: the week ---------------------------------------------------------------------

def sessions_per_day(ds: Dataset) -> Chart:
    """Stacked bars: sessions the account reports per day, main programme vs side events."""
    data = a.events_per_day(ds).assign(day=lambda d: d["weekday"].str[:3] + " " + d["date"].dt.strftime("%-d %b") + "<br>" + d["official_theme"].map(label))
    fig = go.Figure([
        go.Bar(x=part["day"], y=part["events"], name=PROGRAMME_STYLE[programme][0],
               marker_color=NEUTRAL if programme == "main" else NEUTRAL_FAINT,
               marker_line_color=NEUTRAL, marker_line_width=1.5,
               hovertemplate="%{x}: %{y} sessions<extra>" + PROGRAMME_STYLE[programme][0] + "</extra>")
        for programme, part in data.dropna(subset=["programme"]).groupby("programme", sort=True)
    ]).update_layout(barmode="stack", yaxis_title="Sessions reported in the account", legend={"orientation": "h", "y": -0.3},
                     xaxis={"title": "Day of the week and its official theme", "categoryorder": "array", "categoryarray": list(data["day"].unique())})
    busiest = data.groupby("weekday", sort=False, observed=True)["events"].sum()
    leaders = _leaders(busiest.rename("events").reset_index(), "weekday", "events")
    anticipated = a.anticipated_sessions(ds)
    table = data.drop(columns="day").assign(date=lambda d: d["date"].dt.date)
    return Chart(
        fig, "sessions-per-day",
        title=f"The account reports most sessions on {join_words(leaders)}" + (" (a tie)" if len(leaders) > 1 else ""),
        caption="Sessions and gatherings the account reports as having taken place on each day, by whether they belonged to the "
                "main programme. " + (f"Not counted: {join_words(anticipated['title'])}, which the account only looks forward to. "
                                      if len(anticipated) else "")
                + "Day themes come from the official agenda, not from the account.",
        alt="Stacked bar chart of sessions per day: " + ", ".join(f"{d} {n}" for d, n in busiest.items()) + ".",
        data=table, height=430, evidence=a.evidence_of(ds, a.reported_sessions(ds), ("osw2026-agenda",)),
    )


def week_timeline(ds: Dataset) -> Chart:
    """Dot timeline of every session of the week, by day, marked main programme or side event."""
    data = a.reported_sessions(ds).assign(
        day=lambda d: d["weekday"].str[:3] + " " + d["date"].dt.strftime("%-d %b"),
        label=lambda d: d["title"].map(label),
        note=lambda d: d["notes"].fillna("").map(lambda n: "".join("<br>" + label(line) for line in textwrap.wrap(n, 60))),
    )
    anticipated = a.anticipated_sessions(ds)
    fig = go.Figure([
        go.Scatter(x=part["day"], y=part["label"], mode="markers", name=PROGRAMME_STYLE[programme][0],
                   marker={"symbol": PROGRAMME_STYLE[programme][1], "size": 13, "color": NEUTRAL, "line": {"width": 2, "color": NEUTRAL}},
                   customdata=part[["kind", "paragraph", "note"]].astype(str),
                   hovertemplate="%{y}<br>%{x} · %{customdata[0]} · paragraph %{customdata[1]}%{customdata[2]}<extra>"
                                 + PROGRAMME_STYLE[programme][0] + "</extra>")
        for programme, part in data.groupby("programme", observed=True)
    ]).update_layout(
        xaxis={"title": "Day (dates from the 2026 programme)", "categoryorder": "array",
               "categoryarray": sorted(data["day"].unique(), key=lambda s: int(s.split()[1]))},
        yaxis={"title": "Session", "categoryorder": "array", "categoryarray": list(data["label"][::-1])},
        legend={"orientation": "h", "y": -0.2},
    )
    side = int((data["programme"] == "side").sum())
    table = data[["date", "weekday", "title", "kind", "programme", "organizer", "venue", "paragraph", "notes"]].assign(date=lambda d: d["date"].dt.date)
    return Chart(
        fig, "week-timeline",
        title=f"{plural(len(data) - side, 'main-programme session')} and {plural(side, 'side event')} in the account's week",
        caption="Every session or gathering of the week that the account reports, day by day, top to bottom in the order it "
                "narrates them. Filled dots belong to the main programme; open dots are side events."
                + (f" Not shown: {join_words(anticipated['title'])}, which the account only looks forward to." if len(anticipated) else ""),
        alt="Timeline. " + "; ".join(f"{w}: {t} ({p})" for w, t, p in zip(data["weekday"], data["title"], data["programme"], strict=True)) + ".",
        data=table, height=520, evidence=a.evidence_of(ds, data, ("osw2026-agenda",)),
    )


# -- Chapter 3: themes -----------------------------------------------------------------------

def theme_frequency(ds: Dataset) -> Chart:
    """Horizontal bars: statements per theme."""
    data = a.theme_counts(ds)
    leaders = _leaders(data, "label", "statements")
    fig = go.Figure(go.Bar(
        x=data["statements"], y=data["label"].map(label), orientation="h", marker_color=NEUTRAL,
        customdata=data[["sessions", "about_week_or_day"]],
        hovertemplate="%{y}: %{x} statements, from %{customdata[0]} sessions and %{customdata[1]} about the week or a day as a whole"
                      "<extra></extra>",
    )).update_layout(yaxis={"autorange": "reversed", "title": "Theme"}, xaxis_title="Statements coded with the theme")
    first = a.first_account_only(ds)
    where = "the account returns to most" if first else "coded most often in the record"
    return Chart(
        fig, "theme-frequency",
        title=(f"{leaders[0]} is the theme {where}" if len(leaders) == 1 else f"{join_words(leaders)} tie as the themes {where}"),
        caption=("Statements reported in the account, by theme. A statement can carry several themes. "
                 "Counts measure how often a topic surfaces in one attendee's notes, not its weight at the week." if first else
                 "Statements in the record, by theme: those the recordings carry and those the first account reports. A statement can carry "
                 "several themes. Counts measure how often a topic surfaces in what was broadcast from the ECOSOC Chamber and in one "
                 "attendee's notes, not its weight at the week."),
        source=_source_line(ds, ds.statements),
        alt="Bar chart of statements per theme: " + _listing(data, "label", "statements") + ".",
        data=data[["theme_id", "label", "statements", "sessions", "about_week_or_day"]], height=520,
        evidence=a.evidence_of(ds, ds.statements),
    )


def theme_sector_heatmap(ds: Dataset) -> Chart:
    """Heatmap: statements per theme and speaker sector."""
    matrix = a.theme_by_sector(ds)
    matrix = matrix.loc[:, matrix.sum() > 0]
    fig = go.Figure(go.Heatmap(
        z=matrix.values, x=[label(c) for c in matrix.columns], y=[label(i) for i in matrix.index],
        colorscale=COUNT_SCALE, text=matrix.values, texttemplate="%{text}", xgap=2, ygap=2,
        colorbar={"title": {"text": "Statements"}},
        hovertemplate="%{y}<br>%{x}: %{z} statements<extra></extra>",
    )).update_layout(yaxis={"autorange": "reversed", "title": "Theme"}, xaxis={"title": "Sector of the speaker", "side": "bottom"})
    table = a.statement_table(a.counted(ds))  # each claim once, as the matrix counts them
    government = table.query("sector == 'government'")
    themes = matrix.get("Government", pd.Series(dtype=int)).rename("statements").rename_axis("theme").reset_index()
    leaders = _leaders(themes, "theme", "statements")
    unnamed = int((table["sector"] == a.NO_SPEAKER).sum())
    long = matrix.reset_index().melt(id_vars="theme", var_name="sector", value_name="statements")
    return Chart(
        fig, "theme-sector",
        title=f"{join_words(leaders)} {'is the theme' if len(leaders) == 1 else 'tie as the themes'} most often coded on government "
              f"speakers' statements ({int(themes['statements'].max())} of {len(government)})",
        caption="Statements per theme and sector of the speaker; a statement can carry several themes. "
                + (f"{unnamed} of the {len(table)} statements come from sessions, or the author's summaries, where the account names "
                   "no speaker; they form their own column rather than being assigned a sector." if a.first_account_only(ds) else
                   f"Sectors are those the record gives each speaker (see Methods); a claim an account and a recording both carry counts "
                   f"once. {unnamed} of the {len(table)} claims name no speaker "
                   "(sessions or the author's summaries in the first account); they form their own column."),
        source=_source_line(ds, ds.statements),
        alt="Heatmap of statements by theme (rows) and sector (columns). Non-zero cells: "
            + "; ".join(f"{r.theme} × {r.sector}: {r.statements}" for r in long.query("statements > 0").itertuples()) + ".",
        data=long, height=560, evidence=a.evidence_of(ds, ds.statements),
    )


def theme_pairs_heatmap(ds: Dataset) -> Chart:
    """Heatmap: how often two themes are coded on the same statement."""
    matrix = a.theme_cooccurrence(ds)
    matrix = matrix.loc[matrix.sum(axis=1) > 0, matrix.sum() > 0]
    pairs = a.theme_pairs(ds)
    top = pairs.query("statements == statements.max()")
    named = [f"{r.label_a} + {r.label_b}" for r in top.itertuples()]
    fig = go.Figure(go.Heatmap(
        z=matrix.values, x=[label(c) for c in matrix.columns], y=[label(i) for i in matrix.index],
        colorscale=COUNT_SCALE, xgap=2, ygap=2, colorbar={"title": {"text": "Statements"}},
        hovertemplate="%{y} + %{x}: %{z} statements<extra></extra>",
    )).update_layout(yaxis={"autorange": "reversed", "title": "Theme"}, xaxis={"title": "Theme coded on the same statement", "tickangle": -40})
    return Chart(
        fig, "theme-pairs",
        title=(f"{named[0]} is the most frequent pair of themes" if len(named) == 1
               else f"{len(named)} pairs of themes tie as the most frequent: " + "; ".join(named)),
        caption="How many statements carry both themes. The matrix is symmetric; themes never paired with another are left out."
                + ("" if a.first_account_only(ds) else " Statements from the recordings and from the first account together."),
        source=_source_line(ds, ds.statements),
        alt="Heatmap of theme pairs. Most frequent pairs, down to the sixth and every pair tied with it: "
            + "; ".join(f"{r.label_a} + {r.label_b}: {r.statements}"
                        for r in pairs[pairs["statements"] >= pairs["statements"].iloc[min(5, len(pairs) - 1)]].itertuples()) + ".",
        data=pairs, height=620, evidence=a.evidence_of(ds, ds.statements),
    )


# -- Chapter 4: speakers ---------------------------------------------------------------------

def speakers_by_sector_chart(ds: Dataset) -> Chart:
    """Bars: distinct speakers per sector, in sector colours."""
    data = a.speakers_by_sector(ds).query("speakers > 0")
    fig = go.Figure([
        go.Bar(x=[r.sector_label], y=[r.speakers], name=r.sector_label, marker_color=SECTOR_COLORS[r.sector], marker_line=OUTLINE,
               hovertemplate="%{x}: %{y} speakers<extra></extra>")
        for r in data.itertuples()
    ]).update_layout(showlegend=False, xaxis_title="Sector of the speaker's organization", yaxis_title="Distinct speakers")
    known = _leaders(data.query("sector != 'unknown'"), "sector_label", "speakers")
    people = a.speakers(ds).query("sector == 'unknown'")
    unknown = int(people["organization_id"].isna().sum())
    unclassed = len(people) - unknown  # an organization no source or reference says the kind of
    missing = "no stated affiliation" if a.first_account_only(ds) else "no organization in the data"
    return Chart(
        fig, "speakers-by-sector",
        title=f"{join_words(known)} {'is the largest known sector' if len(known) == 1 else 'tie as the largest known sectors'}; "
              f"{plural(unknown, 'speaker')} {'has' if unknown == 1 else 'have'} {missing}"
              + (f" and {unclassed} an organization of unknown kind" if unclassed else ""),
        caption=f"People who spoke at least once (in any speaking role: {join_words(a.SPEAKING_ROLES, 'or')}), by the sector of the "
                + ("organization the account gives for them. Unknown means the account gives no affiliation; it is not a guess."
                   if a.first_account_only(ds) else
                   "organization the record gives for them (a programme card first, then the host's introduction in a recording, then an "
                   "account; see Methods). Unknown means the data holds no organization for the speaker, or no source says what kind of "
                   "body it is; it is not a guess."),
        source=_source_line(ds, _speaker_records(ds)),
        alt="Bar chart of speakers by sector: " + _listing(data, "sector_label", "speakers") + ".",
        data=data[["sector", "sector_label", "speakers", "share"]], height=420,
        evidence=a.evidence_of(ds, a.speaker_appearances(ds)),
    )


def appearances_chart(ds: Dataset, column: str, name: str, axis_title: str, title: str, caption: str) -> Chart:
    """Stacked bars: speaking appearances by *column* (role or session kind) and sector."""
    data = a.appearances_by(ds, column).query("appearances > 0")
    fig = go.Figure(_sector_bar_traces(data, column, "appearances")).update_layout(
        barmode="stack", xaxis={"title": axis_title, "categoryorder": "total descending"}, yaxis_title="Speaking appearances",
        legend={"title": {"text": "Sector"}})
    return Chart(
        fig, name, title=title, caption=caption,
        alt=f"Stacked bar chart of appearances by {axis_title.lower()} and sector: "
            + "; ".join(f"{getattr(r, column)} {r.sector_label} {r.appearances}" for r in data.itertuples()) + ".",
        data=data, height=430, source=_source_line(ds, _speaker_records(ds)), evidence=a.evidence_of(ds, a.speaker_appearances(ds)),
    )


def roles_by_sector(ds: Dataset) -> Chart:
    """Stacked bars: speaking roles by sector."""
    data = a.appearances_by(ds, "role").query("appearances > 0")
    keynote = data.query("role == 'keynote'")
    gov = int(keynote.query("sector == 'government'")["appearances"].sum())
    return appearances_chart(
        ds, "role", "roles-by-sector", "Role",
        title=f"Governments gave {gov} of the {int(keynote['appearances'].sum())} keynotes "
              + ("the account reports" if a.first_account_only(ds) else "in the record"),
        caption="Speaking appearances by role and sector. One person can appear in several sessions and roles."
                + ("" if a.first_account_only(ds) else " Roles are as the account states them or as the host or moderator introduces "
                   "the speaker in a recording."),
    )


def kinds_by_sector(ds: Dataset) -> Chart:
    """Stacked bars: speaking appearances by kind of session and sector."""
    data = a.appearances_by(ds, "event_kind").query("appearances > 0")
    panel_unknown = int(data.query("event_kind == 'panel' and sector == 'unknown'")["appearances"].sum())
    panel_all = int(data.query("event_kind == 'panel'")["appearances"].sum())
    silent = sorted(set(a.reported_sessions(ds)["kind"].astype(str)) - set(data["event_kind"]))
    first = a.first_account_only(ds)
    panels = a.reported_sessions(ds).query("kind == 'panel'")
    roles = a.speaker_appearances(ds).groupby("event_id")["role"].agg(set)
    introduced_only = [t for e, t in zip(panels["event_id"], panels["title"], strict=True) if roles.get(e) == {"introducer"}]
    return appearances_chart(
        ds, "event_kind", "kinds-by-sector", "Kind of session",
        title=f"On panels, {panel_unknown} of {panel_all} speaking appearances are by people whose sector is unknown "
              + ("in the account" if first else "in the record"),
        caption=("Speaking appearances by kind of session and sector. The panels are " + join_words(panels["title"]) + "."
                 + (f" Of the {join_words(introduced_only)}, the account names only the person introducing it." if introduced_only else "")
                 + (f" Kinds of session in which the account names no speaker are absent: {join_words(silent)}." if silent else ""))
                if first else
                ("Speaking appearances by kind of session and sector. A session's kind is the first account's where that account reports "
                 "it, else the format the programme's title names (keynotes, panel, fireside chat and so on; 'other session' where the title "
                 "names none); 'between sessions' is the host's announcements in a recording."),
    )


def speakers_by_country_chart(ds: Dataset) -> Chart:
    """Horizontal bars: speakers by country of their organization, with UN region in the hover."""
    data = a.speakers_by_country(ds)
    countries = data.query("un_region != '-' and country != 'EU'")  # the EU is not a country
    without = int(data.query("un_region == '-'")["speakers"].sum())
    share = "most have" if without > data["speakers"].sum() / 2 else f"{without} {'has' if without == 1 else 'have'}"
    fig = go.Figure(go.Bar(
        x=data["speakers"], y=data["country_name"].map(label), orientation="h",
        marker_color=[NEUTRAL_FAINT if r == "-" else NEUTRAL for r in data["un_region"]], marker_line={"color": NEUTRAL, "width": 1},
        customdata=data[["un_region", "continent"]],
        hovertemplate="%{y}: %{x} speakers<br>UN region: %{customdata[0]}<extra></extra>",
    )).update_layout(yaxis={"autorange": "reversed", "title": "Country of the speaker's organization"}, xaxis_title="Distinct speakers", showlegend=False)
    return Chart(
        fig, "speakers-by-country",
        title=f"Named speakers' organizations span {plural(len(countries), 'country', 'countries')}"
              + (" and the EU" if (data["country"] == "EU").any() else "") + f", but {share} no country "
              + ("in the account" if a.first_account_only(ds) else "in the record"),
        caption="Speakers by the country of their organization (solid bars), and those without one (pale bars): UN staff, staff of other "
                "multilateral bodies, organizations whose country "
                + ("the account does not give" if a.first_account_only(ds) else "no source or reference gives")
                + ", and people without a stated affiliation. Regions from country_converter.",
        source=_source_line(ds, _speaker_records(ds)),
        alt="Bar chart of speakers by country: " + _listing(data, "country_name", "speakers") + ".",
        data=data, height=400, evidence=a.evidence_of(ds, a.speaker_appearances(ds), ("iso3166", "coco")),
    )


def people_sessions_network(ds: Dataset) -> Chart:
    """Two-column network: sessions (left) linked to the people who spoke in them (right), people coloured by sector."""
    links = a.speaker_appearances(ds)
    order = a.sessions(ds).query("event_id in @links.event_id")[["event_id", "title"]].reset_index(drop=True)
    people = links.drop_duplicates("person_id")[["person_id", "name", "sector", "organization"]].reset_index(drop=True)
    y_session = {e: -i * (len(people) - 1) / max(len(order) - 1, 1) for i, e in enumerate(order["event_id"])}
    y_person = {p: -i for i, p in enumerate(people["person_id"])}
    edge_x, edge_y = [], []
    for r in links.itertuples():
        edge_x += [0, 1, None]
        edge_y += [y_session[r.event_id], y_person[r.person_id], None]
    traces = [go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"color": NEUTRAL_FAINT, "width": 1}, hoverinfo="skip", showlegend=False),
              go.Scatter(x=[0] * len(order), y=[y_session[e] for e in order["event_id"]], mode="markers+text", text=order["title"].map(_wrapped),
                         textposition="middle left", marker={"symbol": "square", "size": 11, "color": NEUTRAL}, name="Session",
                         hovertemplate="%{text}<extra>Session</extra>")]
    for sector, part in people.groupby("sector", observed=True, sort=False):
        traces.append(go.Scatter(
            x=[1] * len(part), y=[y_person[p] for p in part["person_id"]], mode="markers+text", text=part["name"].map(label),
            textposition="middle right", marker={"size": 11, "color": SECTOR_COLORS[sector], "line": OUTLINE}, name=a.SECTOR_LABELS[sector],
            customdata=part[["organization"]].fillna("affiliation not given").map(label),
            hovertemplate="%{text}<br>%{customdata[0]}<extra>" + a.SECTOR_LABELS[sector] + "</extra>"))
    fig = go.Figure(traces).update_layout(
        xaxis={"visible": False, "range": [-1.5, 2.0]}, yaxis={"visible": False}, legend={"orientation": "h", "y": -0.05},
        margin={"l": 10, "r": 10})
    shared = links.groupby("person_id")["event_id"].nunique().pipe(lambda s: s[s > 1])
    table = links[["event", "role", "name", "organization", "sector"]].assign(sector=lambda d: d["sector"].astype("string"))
    return Chart(
        fig, "people-sessions",
        title=(f"{'Only ' if len(shared) * 4 < len(people) else ''}{plural(len(shared), 'speaker')} "
               f"{'appears' if len(shared) == 1 else 'appear'} in more than one session"),
        caption="Sessions (squares, left) linked to the people who spoke in them (dots, right), coloured by sector. "
                "People are listed in the order they first appear in the account, not ranked.",
        alt="Network of sessions and speakers. " + "; ".join(
            f"{t}: " + ", ".join(links.query("event_id == @e")["name"]) for e, t in zip(order["event_id"], order["title"], strict=True)) + ".",
        data=table, height=640, evidence=a.evidence_of(ds, links),
    )


# -- Chapter 5: government OSPOs -------------------------------------------------------------

def focus_area_matrix(ds: Dataset) -> Chart:
    """Dot matrix: focus-area categories (rows) by OSPO (columns), dot size = number of focus areas."""
    matrix = a.focus_matrix(ds)
    long = matrix.reset_index().melt(id_vars="category", var_name="ospo", value_name="focus_areas")
    shown = long.query("focus_areas > 0")
    fig = go.Figure(go.Scatter(
        x=shown["ospo"].map(label), y=shown["category"].astype(str), mode="markers",
        marker={"size": 16 + 8 * shown["focus_areas"], "color": NEUTRAL},
        customdata=shown[["focus_areas"]],
        hovertemplate="%{x}<br>%{y}: %{customdata[0]} focus area(s)<extra></extra>",
    )).update_layout(
        xaxis={"title": "Government OSPO", "type": "category"},
        yaxis={"title": "Category of focus area", "categoryorder": "array", "categoryarray": list(matrix.index.astype(str))[::-1], "type": "category"},
        showlegend=False)
    both = matrix[(matrix > 0).all(axis=1)].index.astype(str).tolist()
    return Chart(
        fig, "focus-matrix",
        title=f"The {len(matrix.columns)} OSPOs share {len(both)} of the {len(matrix)} kinds of work they list"
              + (": " + join_words(lower_first(b) for b in both) if both else ""),
        caption="Focus areas the account lists for each government OSPO, grouped into categories by the project. "
                "A dot means at least one focus area in that category.",
        alt="Dot matrix of focus-area categories by OSPO: " + "; ".join(f"{r.ospo} {r.category} {r.focus_areas}" for r in long.itertuples()) + ".",
        data=long.assign(category=lambda d: d["category"].astype(str)), height=440,
        evidence=a.evidence_of(ds, ds.ospo_focus_areas),
    )


# -- The whole record: programme, recordings and every account -------------------------------

def _record_source(ds: Dataset, records: pd.DataFrame | None = None) -> str:
    """The source line of a chart drawn from the whole package: the views its *records* come from (every view when None),
    counted as works (two stored parts of one post are one post)."""
    sources = ds.sources if records is None else ds.sources[ds.sources["source_id"].isin(records["source_id"])]
    works = sources.assign(view=sources["source_id"].map(pg.source_views(ds))).groupby("view")["url"].nunique()
    words = {"programme": lambda n: "the official programme", "recording": lambda n: plural(n, "UN Web TV recording"),
             "attendee account": lambda n: plural(n, "attendee post") if n > 1
             else "the first account" if set(sources["source_id"]) >= {FIRST_ACCOUNT} else "an attendee post",
             "press report": lambda n: plural(n, "press report")}
    named = [words[v](int(works[v])) for v in pg.VIEW_ORDER if works.get(v, 0)]
    return f"Sources: {join_words(named)}, as coded in the osweek data package (CC BY 4.0)."


def _session_records(ds: Dataset) -> pd.DataFrame:
    """The rows a programme chart rests on: the programme itself, and every description of its sessions."""
    return pd.concat([pg.session_mentions(ds)[["source_id"]], pd.DataFrame({"source_id": [pg.PROGRAMME]})])


COVERAGE_STYLE = {  # coverage class -> fill, pattern (no sector colour: these bars show no sector)
    pg.COVERAGE_CLASSES[0]: (NEUTRAL, ""),
    pg.COVERAGE_CLASSES[1]: (NEUTRAL_FAINT, "/"),
    pg.COVERAGE_CLASSES[2]: ("rgba(0,0,0,0)", "."),
}


def programme_coverage_by_day(ds: Dataset) -> Chart:
    """Stacked bars: the programme's sessions per day, by what the sources hold of them (a recording, an account, nothing more)."""
    data = pg.sessions_by_day(ds).assign(day=lambda d: d["weekday"].str[:3] + "<br>" + d["date"].dt.strftime("%-d %b"))  # short: no tilt on a phone
    fig = go.Figure([
        go.Bar(x=part["day"], y=part["sessions"], name=cls[:1].upper() + cls[1:], customdata=part[["official_theme"]].map(label),
               marker={"color": COVERAGE_STYLE[cls][0], "pattern": {"shape": COVERAGE_STYLE[cls][1], "fgcolor": NEUTRAL},
                       "line": {"color": NEUTRAL, "width": 1.5}},
               hovertemplate="%{x} (%{customdata[0]}): %{y} sessions<extra>" + cls + "</extra>")
        for cls, part in data.groupby("coverage", sort=False)
    ]).update_layout(barmode="stack", yaxis_title="Sessions in the programme", legend={"orientation": "h", "y": -0.22, "traceorder": "normal"},
                     xaxis={"title": "Day of the week", "categoryorder": "array",
                            "categoryarray": list(data["day"].unique()), "tickangle": 0})
    counts = pg.blind_spots(ds)
    totals = data.groupby("weekday", sort=False)["sessions"].sum()
    return Chart(
        fig, "programme-coverage",
        title=f"{counts['programme_only']} of the programme's {counts['planned_sessions']} sessions are known only from the programme",
        caption="Every session in the official agenda and its community side-event list, by day, and what the stored sources hold of it: "
                "a recording of it, else a description (in an attendee's account, a press report, or a mention in the recording of another "
                "session), else nothing "
                "beyond the programme's own entry. A session the programme plans is not proof that it took place.",
        alt="Stacked bar chart of the programme's sessions per day: " + "; ".join(
            f"{w} {t} sessions (" + ", ".join(f"{c} {n}" for c, n in zip(part["coverage"], part["sessions"], strict=True)) + ")"
            for (w, t), part in zip(totals.items(), [data.query("weekday == @w") for w in totals.index], strict=True)) + ".",
        data=data.drop(columns="day").assign(date=lambda d: d["date"].dt.date), height=450, source=_record_source(ds, _session_records(ds)),
        evidence=a.evidence_of(ds, pg.session_mentions(ds), ("osw2026-agenda",)),
    )


def coverage_matrix_chart(ds: Dataset) -> Chart:
    """Matrix: the sessions any source beyond the programme describes (rows) against those sources (columns)."""
    matrix = pg.coverage_matrix(ds)
    titles = ds.programme_sessions.set_index("session_id")
    rows = [f"{titles.loc[s, 'date'].strftime('%a')} {titles.loc[s, 'start']} {_short(titles.loc[s, 'title'])}" for s in matrix.index]
    code = matrix.apply(lambda c: c.map({"recorded": 2, "described": 1})).fillna(0).astype(int)
    marks = matrix.apply(lambda c: c.map({"recorded": "\u25cf", "described": "\u25cb"})).fillna("")
    fig = go.Figure(go.Heatmap(
        z=code.values, x=list(matrix.columns), y=rows, text=marks.values, texttemplate="%{text}", showscale=False, xgap=2, ygap=2,
        colorscale=[[0, "rgba(0,0,0,0)"], [0.5, NEUTRAL_FAINT], [1, NEUTRAL_FAINT]], zmin=0, zmax=2,
        customdata=matrix.fillna("not described").values,
        hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
    )).update_layout(yaxis={"autorange": "reversed", "title": "Session (day, start, title)"},
                     xaxis={"title": "Source", "tickangle": -50, "side": "bottom"}, margin={"l": 10})
    counts = pg.blind_spots(ds)
    long = matrix.stack().rename("how").reset_index().rename(columns={"level_1": "source_id"})
    unrecorded = ("none of the {parallel_sessions} parallel sessions is in the stored recordings"
                  if counts["parallel_unrecorded"] == counts["parallel_sessions"]
                  else "{parallel_unrecorded} of the {parallel_sessions} parallel sessions are not in the stored recordings").format(**counts)
    return Chart(
        fig, "coverage-matrix",
        title=f"Beyond the programme, the sources describe {counts['described_sessions']} sessions; {unrecorded}",
        caption="Sessions of the programme that at least one other source describes (rows, in time order) against those sources (columns, "
                "the recordings first). A filled dot: the source is a recording of the session; an open dot: the source describes it "
                "or cites it. Parallel sessions are those planned at the same time as another; the stored recordings are all of the ECOSOC Chamber.",
        alt="Matrix of sessions and sources. " + "; ".join(
            f"{r}: " + ", ".join(f"{src} ({how})" for src, how in matrix.loc[s].dropna().items()) for r, s in zip(rows, matrix.index, strict=True)) + ".",
        data=long, height=max(420, 110 + 26 * len(matrix)), source=_record_source(ds, _session_records(ds)),
        evidence=a.evidence_of(ds, pg.session_mentions(ds)),
    )


def _short(title: str, width: int = 38) -> str:
    """A session title cut to *width* characters for an axis label (the hover and the data keep it whole)."""
    return label(title if len(title) <= width else title[: width - 1].rstrip() + "\u2026")


def theme_by_view_chart(ds: Dataset) -> Chart:
    """Grouped bars: the share of each view's statements coded with each theme (the recordings against the first account)."""
    data = a.theme_shares_by_view(ds)
    views = list(data["view"].unique())
    fig = go.Figure([
        go.Bar(y=part["label"].map(lambda t: _wrapped(t, 22)), x=part["share"], orientation="h", name=view, customdata=part[["statements", "of"]],
               marker={"color": NEUTRAL if n == 0 else NEUTRAL_FAINT, "line": {"color": NEUTRAL, "width": 1.5},
                       "pattern": {"shape": "" if n == 0 else "/", "fgcolor": NEUTRAL}},
               hovertemplate="%{y}: %{x:.0%} (%{customdata[0]} of %{customdata[1]} statements)<extra>" + label(view) + "</extra>")
        for n, (view, part) in enumerate(data.groupby("view", sort=False))
    ]).update_layout(barmode="group", xaxis={"title": "Share of the view's statements", "tickformat": ".0%"},
                     yaxis={"autorange": "reversed", "title": "Theme"}, legend={"orientation": "h", "y": -0.12})
    wide = data.pivot(index="label", columns="view", values="share").reindex(data["label"].unique())
    gap = wide[views[0]] - wide[views[1]]  # views[0] is the first account, views[1] the recordings
    more_first, more_rec = gap.idxmax(), gap.idxmin()
    return Chart(
        fig, "theme-by-view",
        title=f"The widest gaps: {lower_first(more_first)} takes a larger share of the first account than of the recordings, "
              f"{lower_first(more_rec)} a larger share of the recordings",
        caption="For each view, the share of its statements coded with each theme: "
                + join_words(f"{v} ({int(n)} statements)" for v, n in data.drop_duplicates("view")[["view", "of"]].itertuples(index=False)) + ". "
                "A statement can carry several themes, so shares add up to more than 100%. The recordings are coded for each speaker's main claims "
                "(one to four per session) in some sessions and by one or two statements per speaker in others (see Methods); "
                "the account is one attendee's notes.",
        alt="Grouped bar chart of theme shares by view: " + "; ".join(
            f"{t}: " + ", ".join(f"{v} {wide.loc[t, v]:.0%}" for v in views) for t in wide.index) + ".",
        data=data, height=680, source=_record_source(ds, ds.statements), evidence=a.evidence_of(ds, ds.statements),
    )


def speakers_by_view_chart(ds: Dataset) -> Chart:
    """Side-by-side bars: distinct speakers per sector as the first account gives them and as the recordings do."""
    from plotly.subplots import make_subplots

    data = a.speakers_by_sector_by_view(ds)
    views = list(data["view"].unique())
    fig = make_subplots(rows=1, cols=len(views), shared_yaxes=True, subplot_titles=[label(v) for v in views], horizontal_spacing=0.06)
    for col, view in enumerate(views, start=1):
        part = data.query("view == @view and speakers > 0")
        for r in part.itertuples():
            fig.add_trace(go.Bar(y=[r.sector_label], x=[r.speakers], orientation="h", marker_color=SECTOR_COLORS[r.sector], marker_line=OUTLINE,
                                 showlegend=False, hovertemplate=f"{label(view)}<br>%{{y}}: %{{x}} speakers ({r.share:.0%})<extra></extra>"), row=1, col=col)
        fig.update_xaxes(title_text="Speakers", row=1, col=col)  # short: two panels side by side on a phone
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=[a.SECTOR_LABELS[s] for s in a.SECTOR_ORDER], title_text="Sector", row=1, col=1)
    unknown = data.query("sector == 'unknown'").set_index("view")["share"]
    return Chart(
        fig, "speakers-by-view",
        title=f"A sector is unknown for {unknown[views[0]]:.0%} of the first account's speakers and {unknown[views[1]]:.0%} of the recordings'",
        caption="Distinct speakers per sector in two views: the people the first account reports speaking, with the affiliation that account "
                "gives, and the people the recordings show speaking, with the affiliation the whole record gives them (a programme card first, "
                "then the host's introduction, then the accounts; see Methods). The recordings cover sessions in the ECOSOC Chamber on three "
                "days; the account covers what its author attended.",
        alt="Two bar charts of speakers by sector. " + "; ".join(
            f"{v}: " + ", ".join(f"{r.sector_label} {r.speakers}" for r in data.query("view == @v and speakers > 0").itertuples()) for v in views) + ".",
        data=data, height=460, source=_record_source(ds, _speaker_records(ds)), evidence=a.evidence_of(ds, a.speaker_appearances(ds)),
    )


# -- Every chart of the book ------------------------------------------------------------------

CATALOGUE = {  # chart function -> (the chapter (notebook) that shows it, the view it is drawn on)
    programme_coverage_by_day: ("02-week-at-a-glance", "record"), coverage_matrix_chart: ("02-week-at-a-glance", "record"),
    sessions_per_day: ("02-week-at-a-glance", "first account"), week_timeline: ("02-week-at-a-glance", "first account"),
    theme_frequency: ("03-sovereignty-themes", "record"), theme_by_view_chart: ("03-sovereignty-themes", "record"),
    theme_sector_heatmap: ("03-sovereignty-themes", "record"), theme_pairs_heatmap: ("03-sovereignty-themes", "record"),
    speakers_by_sector_chart: ("04-who-spoke", "record"), speakers_by_view_chart: ("04-who-spoke", "record"),
    roles_by_sector: ("04-who-spoke", "record"), kinds_by_sector: ("04-who-spoke", "record"),
    speakers_by_country_chart: ("04-who-spoke", "record"), people_sessions_network: ("04-who-spoke", "first account"),
    focus_area_matrix: ("05-government-ospos", "first account"),
}


def catalogue(ds: Dataset) -> pd.DataFrame:
    """Every chart of the book: name, title, chapter, the view it is drawn on (the whole record or the first account alone)
    and the addresses of its data (CSV) and metadata (JSON). *ds* is the whole package."""
    rows = []
    first = ds.restricted_to(FIRST_ACCOUNT)
    for function, (chapter, view) in CATALOGUE.items():
        chart = function(ds if view == "record" else first)
        rows.append({"chart": chart.name, "title": chart.title, "chapter": chapter, "view": view,
                     "csv": f"charts/{chart.name}.csv", "json": f"charts/{chart.name}.json"})
    return pd.DataFrame(rows)
