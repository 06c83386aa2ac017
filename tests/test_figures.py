"""Tests of the book's charts and tables (osweek.analysis.charts, osweek.analysis.figures) and of the Markdown helpers (osweek.analysis.prose).

The escaping tests load a copy of the data in which names, titles and summaries carry HTML and
Markdown, and check it reaches the reader as text: never as markup in the page, in plotly's labels
(plotly.js reads a subset of HTML in them), in captions, text alternatives, tables, CSV files or
the generated Markdown.
"""

from __future__ import annotations

import base64
import csv
import html
import inspect
import io
import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from htmltree import Node, parse
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

import osweek
from osweek import analysis
from osweek.analysis import charts
from osweek.analysis.figures import SECTOR_COLORS, Chart, Table
from osweek.analysis.prose import data_dictionary_markdown, md_escape

CHART_FUNCTIONS = {f.__name__: f for f in charts.CATALOGUE}  # every chart of the book (a test checks the list is whole)
LABEL_TO_SECTOR = {label: sector for sector, label in analysis.SECTOR_LABELS.items()}


@pytest.fixture(scope="module")
def ds() -> osweek.Dataset:
    return osweek.load().restricted_to(osweek.FIRST_ACCOUNT)  # the chapters draw the first account's view


@pytest.fixture(scope="module")
def built(ds) -> dict[str, Chart]:
    return {name: f(ds) for name, f in CHART_FUNCTIONS.items()}


def strings(value: object) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def figure_json(tree: Node) -> dict:
    blocks = tree.find_all("script", type="application/json")
    assert len(blocks) == 1
    return json.loads(blocks[0].raw_text)


def published(tree: Node) -> dict[str, str]:
    """The files a chart's or table's HTML asks the build to publish (osweek.analysis.figures.file_block): path -> text."""
    return {b.attrs["data-osweek-file"]: base64.b64decode(b.raw_text).decode("utf-8")
            for b in tree.find_all("script", type="application/octet-stream")}


def csv_rows(tree: Node) -> list[list[str]]:
    """The rows of the CSV file that the download link points to (published by the same HTML)."""
    href = tree.find_all("a", cls="osweek-download")[0].attrs["href"]
    path = href.removeprefix("../")
    return list(csv.reader(io.StringIO(published(tree)[path], newline="")))


def test_catalogue_holds_every_chart_function():
    """Every public one-argument function of osweek.analysis.charts that returns a Chart is in the catalogue the data page lists."""
    ds = osweek.load().restricted_to(osweek.FIRST_ACCOUNT)
    found = {name for name, f in inspect.getmembers(charts, inspect.isfunction)
             if f.__module__ == charts.__name__ and not name.startswith("_") and len(inspect.signature(f).parameters) == 1
             and name != "catalogue" and isinstance(f(ds), Chart)}
    assert found == set(CHART_FUNCTIONS)


def test_chart_publishes_its_csv_and_its_metadata(built):
    for name, chart in built.items():
        files = published(parse(chart.to_html()))
        assert set(files) == {f"charts/{chart.name}.csv", f"charts/{chart.name}.json"}, name
        assert files[f"charts/{chart.name}.csv"] == chart.data.to_csv(index=False, lineterminator="\n"), name
        meta = json.loads(files[f"charts/{chart.name}.json"])
        assert meta["title"] == meta["finding"] == chart.title and meta["caption"] == chart.caption, name
        assert meta["data"] == {"path": f"{chart.name}.csv", "columns": list(map(str, chart.data.columns)), "rows": len(chart.data)}, name
        assert meta["licence"]["name"] == "CC-BY-4.0" and "osweek" in meta["citation"], name
        assert meta["computed"].startswith(f"osweek.analysis.charts.{name}("), name
        accounts = [s for s in meta["sources"] if "places" in s]
        assert accounts and all(s["places"] and s["url"].startswith("https://") for s in accounts), f"{name}: sources without places"


# --- Every chart -------------------------------------------------------------------------------


def test_the_chart_functions_are_found():
    assert len(CHART_FUNCTIONS) >= 10


@pytest.mark.parametrize("name", sorted(CHART_FUNCTIONS))
def test_chart_has_title_caption_alt_and_data(built, name):
    chart = built[name]
    assert isinstance(chart, Chart)
    assert chart.title.strip() and chart.caption.strip() and chart.alt.strip()
    assert len(chart.alt) > 40, "the text alternative must describe the data, not just name the chart"
    assert isinstance(chart.data, pd.DataFrame) and len(chart.data) > 0 and len(chart.data.columns) > 1
    spec = chart.to_dict()
    assert spec["data"], "no traces"
    # The title, escaped for plotly; it may be broken into lines with <br>.
    assert spec["layout"]["title"]["text"].replace("<br>", " ") == html.escape(" ".join(chart.title.split()), quote=False)


def test_chart_names_are_unique(built):
    names = [c.name for c in built.values()]
    assert len(names) == len(set(names))


def test_same_sector_same_colour_in_every_chart(built):
    seen: dict[str, set[str]] = {}
    charts_with_sectors = 0
    for name, chart in built.items():
        found = False
        for trace in chart.to_dict()["data"]:
            sector = LABEL_TO_SECTOR.get(trace.get("name"))
            if sector is None:
                continue
            found = True
            colour = (trace.get("marker") or {}).get("color")
            assert colour == SECTOR_COLORS[sector], f"{name}: {trace['name']} is {colour}, not {SECTOR_COLORS[sector]}"
            seen.setdefault(sector, set()).add(colour)
        charts_with_sectors += found
    assert charts_with_sectors >= 4
    assert all(len(c) == 1 for c in seen.values())
    assert len(set(SECTOR_COLORS.values())) == len(SECTOR_COLORS)
    assert set(analysis.SECTOR_ORDER) | {analysis.NO_SPEAKER} <= set(SECTOR_COLORS)


def test_figures_reference_no_other_host(built):
    for name, chart in built.items():
        text = chart.to_html()
        assert "https://" not in text and "http://" not in text, name
        assert "https://" not in json.dumps(chart.to_dict()), name


def test_output_is_deterministic(ds, built):
    for name, f in CHART_FUNCTIONS.items():
        again = f(ds)
        assert again.to_html() == built[name].to_html(), f"{name}: two renderings differ"
        assert f'id="osweek-fig-{again.name}"' in again.to_html()


def test_description_table_and_csv_hold_the_chart_data(built):
    for name, chart in built.items():
        tree = parse(chart.to_html())
        rows = csv_rows(tree)
        assert rows[0] == list(chart.data.columns), name
        assert len(rows) - 1 == len(chart.data), name
        assert len(tree.find_all("details")[0].find_all("tbody")[0].find_all("tr")) == len(chart.data), name


# --- Escaping ------------------------------------------------------------------------------------

EVIL_NAME = "Eve <script>alert(\"x\")</script> O'Neil \"Q\""
EVIL_SUMMARY = "A claim with <b>bold</b> & <script> in it, [a link](javascript:alert(1)) and {ref}`p1`."
EVIL_THEME = "Sovereignty <i>and</i> control <script>alert(3)</script>"
EVIL_EVENT = "Panel <b>bold</b> & <script>alert(4)</script>"
EVIL_ORG = "Kenya <script>alert(5)</script> OSPO & co"
EVIL_DAY = "OSPOs <script>alert(6)</script> for Good"
RAW_MARKUP = ["<script", "<b>", "<i>", "</script"]
EVIL_TEXTS = [EVIL_NAME, EVIL_SUMMARY, EVIL_THEME, EVIL_EVENT, EVIL_ORG, EVIL_DAY]


def set_cell(folder, file: str, key: str, value: str, field: str, new: str) -> None:
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    (row,) = [r for r in table if r[key] == value]
    row[field] = new
    with (folder / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


@pytest.fixture
def evil(data_copy) -> osweek.Dataset:
    set_cell(data_copy, "people.csv", "person_id", "ruth-suehle", "name", EVIL_NAME)
    set_cell(data_copy, "people.csv", "person_id", "adriana-groh", "name", EVIL_NAME + " 2")
    set_cell(data_copy, "statements.csv", "statement_id", "st-001", "summary", EVIL_SUMMARY)
    set_cell(data_copy, "themes.csv", "theme_id", "sovereignty", "label", EVIL_THEME)
    set_cell(data_copy, "events.csv", "event_id", "panel-connected-world", "title", EVIL_EVENT)
    set_cell(data_copy, "organizations.csv", "org_id", "kenya-ospo", "name", EVIL_ORG)
    set_cell(data_copy, "organizations.csv", "org_id", "sta", "name", EVIL_ORG + " (STA)")
    set_cell(data_copy, "days.csv", "date", "2026-06-25", "official_theme", EVIL_DAY)
    return osweek.load(data_copy).restricted_to(osweek.FIRST_ACCOUNT)  # as the chapters load it


def assert_no_markup(text: str, where: str) -> None:
    found = [m for m in RAW_MARKUP if m in text]
    assert not found, f"{where}: raw {found} in {text[:200]!r}"


def test_chart_html_shows_data_as_text(evil):
    shown_somewhere, plotted = set(), set()
    for name, f in CHART_FUNCTIONS.items():
        chart = f(evil)
        page = chart.to_html()
        tree = parse(page)
        # The page: no markup from the data; the only script is the figure's JSON, which cannot close itself.
        assert "<script>alert" not in page and "<b>bold" not in page and "<i>and" not in page, name
        # The figure's JSON, then the blocks of its CSV and JSON files (base64, which cannot hold markup).
        assert [s.attrs.get("type") for s in tree.find_all("script")] == ["application/json", *["application/octet-stream"] * 2], name
        assert not tree.find_all("b") and not tree.find_all("i"), name
        assert "</" not in tree.find_all("script")[0].raw_text, name
        # Plotly labels: every string plotly.js will read is HTML-escaped.
        spec = figure_json(tree)
        labels = list(strings({"data": spec["data"], "layout": spec["layout"]}))
        for text in labels:
            assert_no_markup(text, f"{name} plotly label")
        plotted |= {e for e in EVIL_TEXTS if any(html.escape(e, quote=False) in t for t in labels)}
        # Caption, text alternative (aria-label and details), table and CSV carry the data as plain text.
        readable = " ".join([tree.find_all("figcaption")[0].text, tree.find_all("div", cls="plotly-graph-div")[0].attrs["aria-label"],
                             tree.find_all("details")[0].text])
        csv_text = "\n".join(",".join(r) for r in csv_rows(tree))
        for evil_text in EVIL_TEXTS:
            if evil_text in chart.title + chart.alt + chart.caption:
                shown_somewhere.add(evil_text)
                assert evil_text in readable, f"{name}: {evil_text!r} lost or mangled in the caption or description"
            if evil_text in chart.data.to_csv():
                shown_somewhere.add(evil_text)
                assert evil_text in csv_text, f"{name}: the CSV must hold {evil_text!r} exactly"
                assert evil_text in tree.find_all("details")[0].text, f"{name}: {evil_text!r} not in the data table"
    # The edited values do reach the charts (else this test would prove nothing); statements are not plotted.
    assert shown_somewhere >= set(EVIL_TEXTS) - {EVIL_SUMMARY}
    assert plotted >= {EVIL_NAME, EVIL_THEME, EVIL_EVENT, EVIL_ORG, EVIL_DAY}


def test_chart_labels_escape_for_plotly(evil):
    """The labels plotly.js reads are the data values, HTML-escaped (and nothing else)."""
    network = charts.people_sessions_network(evil).to_dict()
    names = [t for trace in network["data"] for t in (trace.get("text") or []) if isinstance(t, str)]
    assert html.escape(EVIL_NAME, quote=False) in names
    frequency = charts.theme_frequency(evil).to_dict()
    assert html.escape(EVIL_THEME, quote=False) in frequency["data"][0]["y"]
    assert frequency["layout"]["title"]["text"].startswith(html.escape(EVIL_THEME, quote=False))
    timeline = charts.week_timeline(evil).to_dict()
    assert html.escape(EVIL_EVENT, quote=False) in [y for t in timeline["data"] for y in t["y"]]


def test_tables_show_data_as_text(evil):
    statements = analysis.statement_table(evil)
    for table in (Table(statements, "statements", "Caption with <script>alert(7)</script>"),
                  Table(analysis.speaker_appearances(evil)[["event", "name", "organization", "paragraph"]], "speakers", "Speakers"),
                  Table(analysis.focus_areas(evil), "focus", "Focus", evidence=False)):
        page = table._repr_html_()
        tree = parse(page)
        assert "<script>alert" not in page and "<b>bold" not in page, table.name
        scripts = tree.find_all("script")
        assert all(s.attrs.get("type") == "application/octet-stream" for s in scripts) and not tree.find_all("b"), table.name
        cells = [td.text for td in tree.find_all("td")]
        rows = csv_rows(tree)
        for column in table.data.columns:
            for value in table.data[column].dropna().astype(str):
                if any(e in value for e in EVIL_TEXTS):
                    assert value in cells, f"{table.name}: {value!r} not shown as text"
                    assert any(value in r for r in rows), f"{table.name}: {value!r} not in the CSV as is"
    caption = parse(Table(statements, "s", "Caption with <script>alert(7)</script>")._repr_html_()).find_all("caption")
    assert caption[0].text == "Caption with <script>alert(7)</script>"


def test_evidence_links_in_tables_point_at_paragraphs(ds):
    tree = parse(Table(analysis.statement_table(ds), "statements", "Statements")._repr_html_())
    links = [a.attrs["href"] for a in tree.find_all("a") if "osweek-download" not in a.classes]
    assert len(links) == len(ds.statements)
    assert all(re.fullmatch(r"07-evidence\.html#p\d+", h) for h in links)


# --- Markdown: md_escape, evidence_markdown, data_dictionary_markdown -------------------------------

MYST = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "deflist", "substitution"}), RendererHTML)
MYST.enable("table")

NASTY = [
    EVIL_NAME, EVIL_SUMMARY, "{ref}`p1`", "{glue:text}`statements`", "[x](javascript:alert(1))", "*a* _b_ **c** `d`",
    "$x$ {{ substitution }}", "a | b", "&amp; &lt; &#60;", "back\\slash \\* \\\\", "(p1)=", "---", "<https://x.org>",
    "# not a heading", "1. not a list", "- not a list", "> not a quote", ":::{note}\nno directive\n:::", "Trinidad & Tobago",
    "line one\n\n    four spaces after a blank line", "two\nlines",
]


def rendered_text(markdown: str) -> tuple[Node, str]:
    tree = parse(MYST.render(markdown))
    return tree, tree.text


@pytest.mark.parametrize("text", NASTY)
def test_md_escape_shows_text_literally(text):
    escaped = md_escape(text)
    tree, shown = rendered_text(escaped)
    assert [n.tag for n in tree.iter() if n.tag != "#document"] == ["p"], f"{escaped!r} became markup: {MYST.render(escaped)!r}"
    assert shown == re.sub(r"\s+", " ", text).strip()
    assert "\n" not in escaped, "escaped text must stay inline (one line) wherever it is put"


def test_md_escape_accepts_non_strings():
    assert md_escape(12) == "12"
    assert md_escape(0.5) == "0\\.5"


def test_evidence_markdown_shows_data_as_text(evil):
    markdown = analysis.evidence_markdown(evil)
    tree, text = rendered_text(markdown)
    assert not tree.find_all("script") and not tree.find_all("b") and not tree.find_all("i")
    # The only links are the place targets, (pN)=, that chapters link to, and each source's public address.
    addresses = set(evil.sources["url"])
    assert all(any("myst-target" in a.classes for a in link.ancestors()) or link.attrs.get("href") in addresses for link in tree.find_all("a"))
    assert not [n for n in tree.find_all("code")], "a role or code span leaked from the data"
    for value in (EVIL_NAME, EVIL_SUMMARY, EVIL_EVENT, EVIL_ORG):
        assert value in text, f"{value!r} not shown literally in the evidence index"
    texts = evil.sources.query("pointer == 'paragraph'")
    assert len([h for h in tree.find_all("h4") if h.text.startswith("Paragraph")]) == int(texts["paragraph_count"].sum())
    assert len(tree.find_all("h3")) == len(evil.sources)  # one section per source


def test_data_dictionary_lists_every_table_and_field(ds):
    markdown = data_dictionary_markdown(ds.descriptor, ds.counts())
    tree, text = rendered_text(markdown)
    resources = ds.descriptor["resources"]
    assert len(tree.find_all("h3")) == len(resources) == len(tree.find_all("table"))
    for resource, table in zip(resources, tree.find_all("table"), strict=True):
        body = table.find_all("tbody")[0].find_all("tr")
        assert [r.find_all("td")[0].text for r in body] == [f["name"] for f in resource["schema"]["fields"]]
        assert all(len(r.find_all("td")) == 4 for r in body)
        assert f"{ds.counts()[resource['name']]} rows" in text
        assert f"<../data/{resource['path']}>" in markdown, f"no download link for {resource['path']}"
        assert (osweek.paths.REPO_ROOT / "data" / resource["path"]).is_file()


def test_data_dictionary_escapes_descriptions(ds):
    descriptor = json.loads(json.dumps(ds.descriptor))
    resource = descriptor["resources"][0]
    resource["title"] = "Title <script>alert(8)</script>"
    resource["description"] = "About *this* | that\n\nand more"
    resource["schema"]["fields"][0]["description"] = "A | pipe, <b>bold</b> and {ref}`p1`"
    tree, text = rendered_text(data_dictionary_markdown(descriptor, ds.counts()))
    assert not tree.find_all("script") and not tree.find_all("b") and not tree.find_all("em")
    assert tree.find_all("h3")[0].text == "Title <script>alert(8)</script>"
    assert "About *this* | that and more" in text
    first_row = tree.find_all("table")[0].find_all("tbody")[0].find_all("tr")[0].find_all("td")
    assert len(first_row) == 4 and first_row[3].text == "A | pipe, <b>bold</b> and {ref}`p1`"
