"""Plotly figures that render both in JupyterLab and in the static Jupyter Book.

Why: plotly >= 6.1 only offers ``application/vnd.plotly.v1+json`` to notebooks.
JupyterLab renders that natively, but myst-nb has no renderer for it and drops
the output (with a warning).  :class:`BookFigure` therefore offers two
representations of the same figure:

* ``application/vnd.plotly.v1+json`` - used by JupyterLab / VS Code;
* ``text/html`` - used by the book's HTML builder (see
  ``nb_mime_priority_overrides`` in ``_config.yml``).  It is a placeholder
  ``<div>`` plus the figure JSON in a ``<script type="application/json">``
  block.  It contains no JavaScript and does not include plotly.js: the
  Sphinx extension :mod:`osweek.build.sphinxext` adds plotly.js (served from the
  book's own ``_static/``) and ``osweek-plotly.js`` (which calls
  ``Plotly.newPlot`` and follows the light/dark theme) only to pages
  that contain such a figure.

Element ids come from the ``name`` argument, so two builds are
byte-identical.
"""

from __future__ import annotations

import base64
import html
import inspect
import json
import re
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .record import first_account_only

__all__ = ["BookFigure", "Chart", "Table", "NEUTRAL", "OSWEEK_TEMPLATE", "PLOTLY_CONFIG", "SECTOR_COLORS"]

# CSS class the Sphinx extension looks for to decide whether a page needs plotly.js.
FIGURE_CLASS = "osweek-plotly"

# Output-metadata key that marks a BookFigure output (see osweek.build.mystnb).
MARKER = "osweek-figure"

# Plotly.js config: no plotly logo; no "edit in chart studio" link (the link
# option is not known to plotly.py 7 and would raise a UserWarning, and the
# default is off anyway).  responsive: resize with the page.
# displayModeBar: off, it covered the finding-stating titles; each chart's data is a CSV link instead.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True, "displayModeBar": False}

# One colour per sector across the book: the Okabe-Ito palette (colour-blind safe), with a
# dark grey for "unknown" that stays distinct under simulated colour-vision deficiencies
# (tests/test_accessibility.py checks the CIEDE2000 distances with osweek.analysis.colour; a lighter
# grey such as #8C8C8C is too close to reddish purple and bluish green for deuteranopes).
SECTOR_COLORS: dict[str, str] = {
    "government": "#0072B2",
    "united-nations": "#009E73",
    "multilateral": "#995544",  # not Okabe-Ito (its last free hues are yellow and black): the brown farthest from the others, CVD-checked
    "industry": "#E69F00",
    "nonprofit": "#CC79A7",
    "academia": "#56B4E9",
    "unknown": "#6A6A6A",
    "no speaker named": "#D55E00",
}
# Marks that show no sector (themes, countries, days, focus areas) use a neutral grey, so that no
# reader takes the government blue, or any other sector colour, to mean a sector where there is none.
NEUTRAL = "#7A7A7A"
NEUTRAL_FAINT = "rgba(122,122,122,0.35)"

# Sequential scale for counts (heatmaps): translucent blue, from faint to mid blue over the page
# (osweek-plotly.js blends it over the light or dark background). Its top stops at 0.65 opacity so
# that numbers on the cells, in the theme's text colour, keep >= 4.5:1 in both themes.
COUNT_SCALE = [[0.0, "rgba(0,114,178,0.04)"], [1.0, "rgba(0,114,178,0.65)"]]

# A compact, theme-neutral template (plotly's default template adds ~8 KB of
# JSON to *every* figure).  Backgrounds are transparent so the page colour
# shows through; font and grid colours are set by osweek-plotly.js from the
# theme's CSS variables, in light and dark mode alike.
OSWEEK_TEMPLATE = go.layout.Template(
    layout={
        "colorway": list(SECTOR_COLORS.values()),
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
        "title": {"x": 0, "xanchor": "left", "font": {"size": 16}},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"title": {"text": ""}},
        "xaxis": {"automargin": True, "showline": False, "ticks": ""},
        "yaxis": {"automargin": True, "showline": False, "ticks": ""},
        "colorscale": {"sequential": COUNT_SCALE},
    }
)

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class BookFigure:
    """Wrap a plotly figure for display in a notebook *and* the book.

    Parameters
    ----------
    fig:
        Any ``plotly.graph_objects.Figure`` (e.g. from ``plotly.express``).
        It is copied, never modified.
    name:
        Unique (per page) slug such as ``"visits-by-day"``; the element id is
        ``osweek-fig-<name>``.  Deterministic ids keep builds reproducible.
    height:
        Height in CSS pixels (also reserved on the page before plotly.js runs,
        so the layout does not jump).
    template:
        Replace the figure's template by the compact theme-neutral one
        (default).  Pass ``False`` to keep the figure's own template.
    """

    def __init__(self, fig: go.Figure, name: str, *, height: int = 420,
                 template: bool = True) -> None:
        if not _NAME_RE.match(name):
            raise ValueError(f"figure name must match {_NAME_RE.pattern!r}: {name!r}")
        fig = go.Figure(fig)  # copy
        if template:
            fig.update_layout(template=OSWEEK_TEMPLATE)
        fig.update_layout(height=height)
        self.fig = fig
        self.name = name
        self.height = height

    @property
    def div_id(self) -> str:
        return f"osweek-fig-{self.name}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible ``{data, layout, config}`` (plotly's mime format)."""
        # engine="json": same number formatting whether or not orjson is installed;
        # remove_uids: no random trace uids.
        text = pio.to_json(self.fig, validate=False, remove_uids=True, engine="json")
        fig_dict = json.loads(text)
        fig_dict["config"] = dict(PLOTLY_CONFIG)
        return fig_dict

    def to_html(self) -> str:
        """Placeholder div + figure JSON; rendered by osweek-plotly.js."""
        payload = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True,
                             ensure_ascii=False)
        # "<" only occurs inside JSON strings; escaping it makes "</script>" impossible.
        payload = payload.replace("<", "\\u003c")
        return (
            f'<div class="{FIGURE_CLASS}">'
            f'<div id="{self.div_id}" class="plotly-graph-div" '
            f'style="height:{self.height}px;width:100%"></div>'
            f'<script type="application/json" data-osweek-plotly="{self.div_id}">'
            f"{payload}</script></div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            "application/vnd.plotly.v1+json": self.to_dict(),
            "text/html": self.to_html(),
            "text/plain": f"<osweek figure {self.name!r}>",
        }
        # Output metadata marks the plotly half as "also available as text/html",
        # so the myst-nb plugin in osweek.build.mystnb can skip it without a warning
        # (a bare plotly figure, without this marker, still warns).
        metadata = {MARKER: {"name": self.name}}
        return data, metadata


TITLE_WIDTH = 68  # characters per line of a chart title
SOURCE_LINE = "Source: Dawn Foster, United Nations Open Source Week (2026), as coded in the osweek data package (CC BY 4.0)."


def label(text: object) -> str:
    """Escape a data value for use in plotly text: plotly.js reads a subset of HTML in labels."""
    return html.escape(str(text), quote=False)


# Downloads are files with their own address, beside the book's pages: charts/NAME.csv and charts/NAME.json for a
# chart, tables/NAME.csv for a table. The helper that draws a chart or a table writes their text into the page as a
# block (FILE_ATTR); the Sphinx extension (osweek.build.sphinxext) writes each block out as its file and removes it.
FILE_ATTR = "data-osweek-file"
BOOK_ROOT = "../"  # every page with a chart or a table is a chapter in notebooks/, one level below the book's root
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
CITATION = ("The osweek contributors (2026). Open source and digital sovereignty at UN Open Source Week 2026. "
            "Data package un-open-source-week-2026, CC BY 4.0.")


def file_block(path: str, text: str) -> str:
    """A block that asks the book build to publish *text* as the file *path* (relative to the book's root)."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f'<script type="application/octet-stream" {FILE_ATTR}="{html.escape(path)}">{payload}</script>'


def csv_text(data: pd.DataFrame) -> str:
    """*data* as the CSV a reader downloads (UTF-8, LF line ends, no index)."""
    return data.to_csv(index=False, lineterminator="\n")


def csv_link(data: pd.DataFrame, path: str) -> str:
    """A link to *data* published as the CSV file *path*, and the block that publishes it."""
    return f'<a class="osweek-download" href="{BOOK_ROOT}{html.escape(path)}">Download the data (CSV)</a>{file_block(path, csv_text(data))}'


FILTER_ABOVE = 25  # rows: a longer table gets a filter box and is shown a page at a time (osweek-tables.js)
EVIDENCE_PAGE = "07-evidence.html"  # the evidence index, a sibling of every chapter page


def data_table(data: pd.DataFrame, caption: str | None = None, evidence: str | None = None, name: str | None = None) -> str:
    """An escaped, accessible HTML table of *data*; with *evidence*, a 'paragraph' column links to the evidence index."""
    if evidence and "paragraph" in data:
        data = data.assign(paragraph=data["paragraph"].map(lambda n: f"\u00b6\u00a0{n}"))
    links: dict[str, tuple[str, str]] = {}
    if "evidence" in data and "evidence_url" in data:  # the evidence column links to its place (osweek.analysis.evidence_links)
        tokens = [f"osweeklink{n}x" for n in range(len(data))]
        links = {t: (str(text), str(url)) for t, text, url in zip(tokens, data["evidence"], data["evidence_url"], strict=True)}
        data = data.drop(columns="evidence_url").assign(evidence=tokens)
    data = data.astype(object).where(data.notna(), "")  # missing values show as empty cells, not <NA>
    # Readable headers (the CSV keeps the field names): underscores become spaces and the first letter a capital;
    # the rest is kept as it is, so that "Kenya OSPO" stays "Kenya OSPO".
    data = data.rename(columns=lambda c: (lambda t: t[:1].upper() + t[1:])(str(c).replace("_", " ")))
    table = data.to_html(index=False, escape=True, border=0, classes="osweek-table table", na_rep="", justify="left")
    table = table.replace("<th>", '<th scope="col">')
    if evidence:
        table = re.sub(r"<td>\u00b6\u00a0(\d+)</td>", lambda m: f'<td><a href="{evidence}#p{m[1]}">\u00b6\u00a0{m[1]}</a></td>', table)
    if links:
        table = re.sub(r"<td>(osweeklink\d+x)</td>", lambda m: '<td><a href="{1}">{0}</a></td>'.format(
            *(html.escape(v) for v in links[m[1]])), table)
    if caption:
        table = table.replace("<thead>", f"<caption>{html.escape(caption)}</caption><thead>", 1)
    # A scrolling region must be reachable by keyboard (tabindex) and named for screen readers.
    name = html.escape(name or caption or "Data table")
    return f'<div class="osweek-table-wrap" tabindex="0" role="region" aria-label="{name}">{table}</div>'


class Table:
    """A data table for the book: escaped, captioned, with evidence links and a CSV download."""

    def __init__(self, data: pd.DataFrame, name: str, caption: str, evidence: bool = True, filterable: bool | None = None) -> None:
        self.data, self.name, self.caption, self.evidence = data, name, caption, evidence
        self.filterable = len(data) > FILTER_ABOVE if filterable is None else filterable  # long tables get a filter box and pages

    def _repr_html_(self) -> str:
        link = csv_link(self.data, f"tables/{self.name}.csv")
        body = data_table(self.data, self.caption, EVIDENCE_PAGE if self.evidence else None)
        classes = "osweek-table-block osweek-filterable" if self.filterable else "osweek-table-block"
        return f'<div class="{classes}" id="table-{self.name}">{body}<p class="osweek-source">{link}</p></div>'

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.data.to_string(index=False)}"


class Chart(BookFigure):
    """A BookFigure with what every chart in the book carries: a title that states the finding,
    a caption, a text alternative, its data as CSV and its source.

    The title goes into the figure; caption, source, download link and a text description
    (sentence plus data table) go into a <figure> around it. All text is escaped.
    """

    def __init__(self, fig: go.Figure, name: str, *, title: str, caption: str, alt: str,
                 data: pd.DataFrame, height: int = 420, source: str = SOURCE_LINE,
                 evidence: list[dict[str, Any]] | None = None, computed: str | None = None) -> None:
        lines = textwrap.wrap(title, TITLE_WIDTH)  # plotly never wraps a title: break it, and make room above the plot
        super().__init__(fig, name, height=height)  # BookFigure copies the figure; the title goes on the copy
        self.fig.update_layout(title={"text": "<br>".join(map(label, lines))}, margin={"t": 40 + 24 * len(lines)})
        self.title, self.caption, self.alt, self.data, self.source = title, caption, alt, data, source
        self.evidence = evidence or []
        self.computed = computed or _computed_by()

    def metadata(self) -> dict[str, Any]:
        """What a reuser needs to know of the chart, as in its JSON file: title, finding, sources and their places, licence,
        citation, how it was computed, and the columns of its CSV."""
        return {
            "name": self.name,
            "title": self.title,
            "finding": self.title,
            "caption": self.caption,
            "description": self.alt,
            "data": {"path": f"{self.name}.csv", "columns": [str(c) for c in self.data.columns], "rows": len(self.data)},
            "sources": self.evidence,
            "source_line": self.source,
            "computed": self.computed,
            "licence": LICENCE,
            "citation": CITATION,
        }

    def to_html(self) -> str:
        """The figure with caption, source, CSV download and an accessible description."""
        e = html.escape
        plot = super().to_html().replace(
            f'<div id="{self.div_id}" class="plotly-graph-div"',
            f'<div id="{self.div_id}" class="plotly-graph-div" role="img" aria-label="{e(self.title)}. {e(self.alt)}"', 1)
        return (
            f'<figure class="osweek-figure" id="figure-{self.name}" aria-describedby="caption-{self.name}">{plot}'
            f'<figcaption id="caption-{self.name}"><p><strong>{e(self.title)}.</strong> {e(self.caption)}</p>'
            f'<p class="osweek-source">{e(self.source)} {csv_link(self.data, f"charts/{self.name}.csv")} '
            f'<a class="osweek-metadata" href="{BOOK_ROOT}charts/{e(self.name)}.json">About this chart (JSON)</a>'
            f'{file_block(f"charts/{self.name}.json", json.dumps(self.metadata(), indent=2, ensure_ascii=False, sort_keys=True) + chr(10))}'
            "</p></figcaption>"
            f'<details class="osweek-description"><summary>Text description and data</summary><p>{e(self.alt)}</p>'
            f"{data_table(self.data, name=f'Data of the chart: {self.title}')}</details></figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        data, metadata = super()._repr_mimebundle_(include, exclude)
        data["text/plain"] = f"{self.title}. {self.caption}\n{self.alt}"
        return data, metadata


def _computed_by() -> str:
    """How a chart was computed: the chart function of osweek.analysis.charts that made it, with its one-line docstring."""
    for frame in inspect.stack()[2:]:
        module = frame.frame.f_globals.get("__name__", "")
        function = frame.frame.f_globals.get(frame.function)
        if module == "osweek.analysis.charts" and callable(function) and not frame.function.startswith("_") and frame.function != "appearances_chart":
            doc = (inspect.getdoc(function) or "").split("\n")[0]
            ds = frame.frame.f_locals.get("ds")
            view = "osweek.load().restricted_to(osweek.FIRST_ACCOUNT)" if ds is not None and first_account_only(ds) else "osweek.load()"
            return f"osweek.analysis.charts.{frame.function}({view}): {doc}"
    return "not recorded"
