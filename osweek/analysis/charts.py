"""The book's charts: each function takes the dataset and returns a Chart (figure, title,
caption, text alternative and the exact data it plots)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..data import Dataset
from . import record as a
from .figures import COUNT_SCALE, NEUTRAL, NEUTRAL_FAINT, SECTOR_COLORS, Chart, label
from .prose import join_words, lower_first, plural

PROGRAMME_STYLE = {"main": ("Main programme", "circle"), "side": ("Side event", "circle-open")}
# A thin dark edge on sector-coloured marks: light fills (orange, sky blue) keep a 3:1 boundary against a white page.
OUTLINE = {"color": "#3A3A3A", "width": 1}


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
    return Chart(
        fig, "theme-frequency",
        title=(f"{leaders[0]} is the theme the account returns to most" if len(leaders) == 1
               else f"{join_words(leaders)} tie as the themes the account returns to most"),
        caption="Statements reported in the account, by theme. A statement can carry several themes. "
                "Counts measure how often a topic surfaces in one attendee's notes, not its weight at the week.",
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
    table = a.statement_table(ds)
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
                f"{unnamed} of the {len(table)} statements come from sessions, or the author's summaries, where the account names "
                "no speaker; they form their own column rather than being assigned a sector.",
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
        caption="How many statements carry both themes. The matrix is symmetric; themes never paired with another are left out.",
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
    unknown = int(data.query("sector == 'unknown'")["speakers"].sum())
    return Chart(
        fig, "speakers-by-sector",
        title=f"{join_words(known)} {'is the largest known sector' if len(known) == 1 else 'tie as the largest known sectors'}; "
              f"{plural(unknown, 'speaker')} {'has' if unknown == 1 else 'have'} no stated affiliation",
        caption=f"People who spoke at least once (in any speaking role: {join_words(a.SPEAKING_ROLES, 'or')}), by the sector of the "
                "organization the account gives for them. Unknown means the account gives no affiliation; it is not a guess.",
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
        data=data, height=430, evidence=a.evidence_of(ds, a.speaker_appearances(ds)),
    )


def roles_by_sector(ds: Dataset) -> Chart:
    """Stacked bars: speaking roles by sector."""
    data = a.appearances_by(ds, "role").query("appearances > 0")
    keynote = data.query("role == 'keynote'")
    gov = int(keynote.query("sector == 'government'")["appearances"].sum())
    return appearances_chart(
        ds, "role", "roles-by-sector", "Role",
        title=f"Governments gave {gov} of the {int(keynote['appearances'].sum())} keynotes the account reports",
        caption="Speaking appearances by role and sector. One person can appear in several sessions and roles.",
    )


def kinds_by_sector(ds: Dataset) -> Chart:
    """Stacked bars: speaking appearances by kind of session and sector."""
    data = a.appearances_by(ds, "event_kind").query("appearances > 0")
    panel_unknown = int(data.query("event_kind == 'panel' and sector == 'unknown'")["appearances"].sum())
    panel_all = int(data.query("event_kind == 'panel'")["appearances"].sum())
    silent = sorted(set(a.reported_sessions(ds)["kind"].astype(str)) - set(data["event_kind"]))
    panels = a.reported_sessions(ds).query("kind == 'panel'")
    roles = a.speaker_appearances(ds).groupby("event_id")["role"].agg(set)
    introduced_only = [t for e, t in zip(panels["event_id"], panels["title"], strict=True) if roles.get(e) == {"introducer"}]
    return appearances_chart(
        ds, "event_kind", "kinds-by-sector", "Kind of session",
        title=f"On panels, {panel_unknown} of {panel_all} speaking appearances are by people with no affiliation in the account",
        caption="Speaking appearances by kind of session and sector. The panels are " + join_words(panels["title"]) + "."
                + (f" Of the {join_words(introduced_only)}, the account names only the person introducing it." if introduced_only else "")
                + (f" Kinds of session in which the account names no speaker are absent: {join_words(silent)}." if silent else ""),
    )


def speakers_by_country_chart(ds: Dataset) -> Chart:
    """Horizontal bars: speakers by country of their organization, with UN region in the hover."""
    data = a.speakers_by_country(ds)
    countries = data.query("un_region != '-'")
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
        title=f"Named speakers' organizations span {plural(len(countries), 'country', 'countries')}, but {share} no country in the account",
        caption="Speakers by the country of their organization (solid bars), and those without one (pale bars): UN staff, organizations "
                "whose country the account does not give, and people without a stated affiliation. Regions from country_converter.",
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


# -- Every chart of the book ------------------------------------------------------------------

CATALOGUE = {  # chart function -> the chapter (notebook) that shows it
    sessions_per_day: "02-week-at-a-glance", week_timeline: "02-week-at-a-glance",
    theme_frequency: "03-sovereignty-themes", theme_sector_heatmap: "03-sovereignty-themes", theme_pairs_heatmap: "03-sovereignty-themes",
    speakers_by_sector_chart: "04-who-spoke", roles_by_sector: "04-who-spoke", kinds_by_sector: "04-who-spoke",
    speakers_by_country_chart: "04-who-spoke", people_sessions_network: "04-who-spoke",
    focus_area_matrix: "05-government-ospos",
}


def catalogue(ds: Dataset) -> pd.DataFrame:
    """Every chart of the book: name, title, chapter and the addresses of its data (CSV) and metadata (JSON)."""
    rows = []
    for function, chapter in CATALOGUE.items():
        chart = function(ds)
        rows.append({"chart": chart.name, "title": chart.title, "chapter": chapter,
                     "csv": f"charts/{chart.name}.csv", "json": f"charts/{chart.name}.json"})
    return pd.DataFrame(rows)
