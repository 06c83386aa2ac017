"""Static checks of the built HTML book (the ``book_html`` fixture: `make book` output, or $OSWEEK_BUILD_DIR).

What a reader relies on: every chapter is there with all its figures; each figure has its data, a caption,
a CSV download and a text description; the numbers in the prose are the ones the data gives; nothing is
fetched from another host; every link inside the book leads somewhere; the references are complete.
"""

from __future__ import annotations

import base64
import csv
import datetime
import io
import json
import re
from functools import cache
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import pytest
from htmltree import Node, parse
from plotly.offline import get_plotlyjs_version

import osweek
import osweek.analysis.prose
from osweek import analysis
from osweek.paths import REPO_ROOT, toc_docs

DOCS = toc_docs()
NOTEBOOKS = [d for d in DOCS if (REPO_ROOT / f"{d}.ipynb").is_file()]
EVIDENCE_DOC = next(d for d in DOCS if d.endswith("07-evidence"))
CARTESIAN = {"bar", "scatter", "scattergl", "heatmap", "histogram", "histogram2d", "box", "violin", "contour"}
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def notebook_cells(doc: str) -> list[dict]:
    return json.loads((REPO_ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))["cells"]


def cell_source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def expected_figures(doc: str) -> int:
    """Figures a page must show: the notebook's code cells that call a chart function (charts.<name>(...))."""
    if doc not in NOTEBOOKS:
        return 0
    return sum(1 for c in notebook_cells(doc) if c["cell_type"] == "code" and re.search(r"\bcharts\.(?!catalogue\b)\w+\(", cell_source(c)))


@cache
def page(path: Path) -> Node:
    return parse(path.read_text(encoding="utf-8"))


def html_path(book: Path, doc: str) -> Path:
    return book / f"{doc}.html"


def html_files(book: Path) -> list[Path]:
    """Every HTML page of the book (the theme's template copies under _static are not pages)."""
    return sorted(p for p in book.rglob("*.html") if "_static" not in p.relative_to(book).parts)


def figures_on(tree: Node) -> list[Node]:
    return tree.find_all("div", cls="osweek-plotly")


def normalize(text: str) -> str:
    """Collapse whitespace and undo Sphinx's smart quotes, so source text and page text compare."""
    text = text.replace("\u00a0", " ").translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"\s+", " ", text).strip()


def linked_csv(link: Node, page_path: Path) -> list[list[str]]:
    """The rows of the CSV file a download link points to: a file of its own beside the pages, not a data: URL."""
    href = link.attrs["href"]
    assert not href.startswith("data:"), f"CSV link is an embedded data: URL, not a file: {href[:60]}"
    target = (page_path.parent / urlsplit(href).path).resolve()
    assert target.is_file(), f"{page_path.name}: {href} is not a file of the book"
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))


def trace_values(trace: dict, key: str) -> int:
    """How many values a trace holds in x, y or z (plain lists or plotly's base64 typed arrays)."""
    value = trace.get(key)
    if isinstance(value, dict) and "bdata" in value:
        return len(base64.b64decode(value["bdata"]))
    return len(value) if isinstance(value, list) else 0


def axis_title(layout: dict, axis: str) -> str:
    title = (layout.get(axis) or {}).get("title")
    return (title.get("text") if isinstance(title, dict) else title) or ""


# --- Pages ------------------------------------------------------------------------------------


def test_toc_lists_the_chapters_and_reference_pages():
    assert len(NOTEBOOKS) == 9
    assert {"notebooks/08-sources", "notebooks/09-statements"} <= set(NOTEBOOKS)  # the sources chapter; every statement
    assert {"book/methods", "book/cite", "book/glossary", "book/references"} <= set(DOCS)


@pytest.mark.parametrize("doc", DOCS)
def test_every_toc_page_is_built(book_html, doc):
    path = html_path(book_html, doc)
    assert path.is_file(), f"{doc} is in _toc.yml but {path} was not built"
    title = page(path).find_all("h1")
    assert title and title[0].text, f"{path.name} has no heading"


def test_index_redirects_to_the_first_chapter(book_html):
    refresh = page(book_html / "index.html").find_all("meta", http_equiv="Refresh")
    assert refresh, "index.html does not redirect"
    target = refresh[0].attrs["content"].split("url=", 1)[1]
    assert (book_html / target).is_file()
    assert target == f"{DOCS[0]}.html"


# --- Figures ----------------------------------------------------------------------------------


def test_the_book_has_figures():
    assert sum(expected_figures(d) for d in NOTEBOOKS) >= 10


@pytest.mark.parametrize("doc", DOCS)
def test_page_shows_every_figure_of_its_notebook(book_html, doc):
    tree = page(html_path(book_html, doc))
    assert len(figures_on(tree)) == expected_figures(doc)
    assert len(tree.find_all("figure", cls="osweek-figure")) == expected_figures(doc)


def all_figures(book: Path) -> list[tuple[str, Node]]:
    return [(d, f) for d in NOTEBOOKS for f in figures_on(page(html_path(book, d)))]


def test_figure_json_has_data_title_and_axis_titles(book_html):
    ids, untitled = set(), []
    for doc, figure in all_figures(book_html):
        div = figure.find_all("div", cls="plotly-graph-div")
        assert len(div) == 1, f"{doc}: a figure needs exactly one plot div"
        div_id = div[0].attrs["id"]
        assert div_id not in ids, f"{doc}: duplicate figure id {div_id}"
        ids.add(div_id)
        blocks = figure.find_all("script", type="application/json")
        assert len(blocks) == 1 and blocks[0].attrs.get("data-osweek-plotly") == div_id, f"{doc}: no JSON for {div_id}"
        spec = json.loads(blocks[0].raw_text)
        where = f"{doc} {div_id}"
        traces, layout = spec["data"], spec["layout"]
        assert traces, f"{where}: no traces"
        assert any(trace_values(t, k) for t in traces for k in ("x", "y", "z")), f"{where}: traces hold no values"
        assert (layout.get("title") or {}).get("text"), f"{where}: no title"
        for axis in ("xaxis", "yaxis"):
            shown_axis = (layout.get(axis) or {}).get("visible") is not False
            if shown_axis and any(t.get("type", "scatter") in CARTESIAN for t in traces) and not axis_title(layout, axis):
                untitled.append(f"{where}: {axis}")
        assert spec["config"]["displaylogo"] is False
    assert not untitled, "visible axes without a title:\n" + "\n".join(untitled)


def test_figures_have_caption_csv_and_text_description(book_html):
    for doc, placeholder in all_figures(book_html):
        figure = next((a for a in placeholder.ancestors() if a.tag == "figure"), None)
        name = placeholder.find_all("div", cls="plotly-graph-div")[0].attrs["id"]
        assert figure is not None, f"{doc} {name}: not inside a <figure>"
        captions = figure.find_all("figcaption")
        assert len(captions) == 1 and len(captions[0].text) > 40, f"{doc} {name}: no figcaption"
        links = figure.find_all("a", cls="osweek-download")
        assert len(links) == 1, f"{doc} {name}: no CSV download"
        assert links[0].attrs.get("href", "").endswith(".csv")
        rows = linked_csv(links[0], html_path(book_html, doc))
        meta_links = figure.find_all("a", cls="osweek-metadata")
        assert len(meta_links) == 1, f"{doc} {name}: no metadata link"
        meta_file = (html_path(book_html, doc).parent / meta_links[0].attrs["href"]).resolve()
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        assert meta["data"]["path"] == Path(urlsplit(links[0].attrs["href"]).path).name and meta["data"]["rows"] == len(rows) - 1
        for key in ("title", "finding", "caption", "description", "sources", "licence", "citation", "computed"):
            assert meta.get(key), f"{doc} {name}: metadata without {key}"
        assert len(rows) >= 2, f"{doc} {name}: the CSV has no data rows"
        assert all(len(r) == len(rows[0]) for r in rows), f"{doc} {name}: ragged CSV"
        details = figure.find_all("details")
        assert len(details) == 1, f"{doc} {name}: no text description"
        assert details[0].find_all("summary") and len(details[0].find_all("p")[0].text) > 40
        body_rows = details[0].find_all("tbody")[0].find_all("tr")
        assert len(body_rows) == len(rows) - 1, f"{doc} {name}: description table and CSV disagree"
        header = [th.text.casefold() for th in details[0].find_all("th")]
        fields = [f.replace("_", " ").casefold() for f in rows[0]]
        assert header == fields, f"{doc} {name}: description table and CSV have different columns"
        plot = placeholder.find_all("div", cls="plotly-graph-div")[0]
        assert plot.attrs.get("role") == "img" and len(plot.attrs.get("aria-label", "")) > 40


def test_tables_have_csv_matching_their_rows(book_html):
    tables = [(d, t) for d in NOTEBOOKS for t in page(html_path(book_html, d)).find_all("div", cls="osweek-table-block")]
    assert len(tables) >= 8
    for doc, block in tables:
        rows = linked_csv(block.find_all("a", cls="osweek-download")[0], html_path(book_html, doc))
        body_rows = block.find_all("tbody")[0].find_all("tr")
        if "data-rows" in block.attrs:  # a long table: the page holds its first rows, its rows file all of them
            body_rows = _rows_file((html_path(book_html, doc).parent / block.attrs["data-rows"]).resolve())["rows"]
        assert len(rows) >= 2 and len(body_rows) == len(rows) - 1, f"{doc} {block.attrs['id']}: table and CSV disagree"
        assert block.find_all("caption") and block.find_all("caption")[0].text


# --- Glued values -----------------------------------------------------------------------------

GLUE_ROLE = re.compile(r"\{glue(?::(text|md))?\}`([A-Za-z_][A-Za-z0-9_]*)(?::([^`]*))?`")


@cache
def glue_values(doc: str) -> dict[str, object]:
    """Run the notebook's hidden set-up cells with glue_values captured: the values the page must show."""
    captured: dict[str, object] = {}
    with mock.patch.object(osweek.analysis.prose, "glue_values", side_effect=lambda values: captured.update(values)):
        namespace: dict[str, object] = {}
        for cell in notebook_cells(doc):
            if cell["cell_type"] == "code" and "remove-cell" in cell.get("metadata", {}).get("tags", []):
                exec(compile(cell_source(cell), f"{doc}.ipynb", "exec"), namespace)  # noqa: S102
    return captured


def glue_uses(doc: str) -> list[tuple[str, str, str, str, str]]:
    """(key, format, role, words before, words after) for each glue role in the notebook's Markdown."""
    uses = []
    for cell in notebook_cells(doc):
        if cell["cell_type"] != "markdown":
            continue
        # Words around a role are taken from its own block: paragraph, heading or list item.
        for block in re.split(r"\n\s*\n|\n(?=\s*(?:#|[-*] |\d+\. ))", cell_source(cell)):
            source = re.sub(r"\s+", " ", block).strip()
            for match in GLUE_ROLE.finditer(source):
                before = re.search(r"(?<![\w`'-])((?:[A-Za-z][\w'-]* ){1,3})$", source[: match.start()])
                after = re.match(r"((?: [A-Za-z][\w'-]*){1,3})(?![\w`-])", source[match.end():])
                uses.append((match[2], match[3] or "", match[1] or "text", before[1] if before else "", after[1] if after else ""))
    return uses


def shown(value: object, fmt: str) -> str:
    return format(value, fmt) if fmt else str(value)


GLUED = [d for d in NOTEBOOKS if glue_uses(d)]


def test_chapters_use_glue():
    assert len(GLUED) >= 5


@pytest.mark.parametrize("doc", GLUED)
def test_glued_values_appear_in_their_sentences(book_html, doc):
    text = normalize(page(html_path(book_html, doc)).text)
    assert "{glue" not in text and "glue:" not in text, f"{doc}: unresolved glue on the page"
    values = glue_values(doc)
    for key, fmt, _role, before, after in glue_uses(doc):
        assert key in values, f"{doc}: Markdown uses glue key {key!r} that no cell glues"
        value = normalize(shown(values[key], fmt))
        expected = f"{before}{value}" if before else f"{value}{after}"
        assert expected in text, f"{doc}: expected {expected!r} (glue {key!r}) on the page"


def test_statement_count_on_themes_page(book_html):
    ds = osweek.load()  # the whole record
    text = normalize(page(html_path(book_html, "notebooks/03-sovereignty-themes")).text)
    recorded = ds.statements["source_id"].isin(ds.sources.query("kind == 'transcript'")["source_id"])
    assert f"The record holds {len(ds.statements)} statements" in text
    assert f"{int(recorded.sum())} come from the recordings" in text


def test_speaker_count_on_who_spoke_page(book_html):
    ds, first = osweek.load(), osweek.load().restricted_to(osweek.FIRST_ACCOUNT)
    text = normalize(page(html_path(book_html, "notebooks/04-who-spoke")).text)
    assert f"Across the recordings and the accounts, {len(analysis.speakers(ds))} people spoke" in text
    assert f"The first account names {len(analysis.speakers(first))} people speaking" in text


def test_introduction_gives_the_paragraph_count(book_html):
    first = osweek.load().restricted_to(osweek.FIRST_ACCOUNT)
    text = normalize(page(html_path(book_html, DOCS[0])).text)
    assert f"the first account has {int(first.sources['paragraph_count'].sum())} paragraphs" in text


# --- Nothing from another host; every internal link resolves ----------------------------------


def test_no_resource_is_fetched_from_another_host(book_html):
    offenders = []
    for path in html_files(book_html):
        for node in page(path).iter():
            if node.tag in ("script", "link", "img", "iframe", "source", "embed", "video", "audio"):
                for attr in ("src", "href", "srcset", "poster"):
                    if EXTERNAL.match(node.attrs.get(attr, "").strip()):
                        offenders.append(f"{path.relative_to(book_html)}: <{node.tag} {attr}={node.attrs[attr]}>")
    assert not offenders, "\n".join(offenders)


def test_stylesheets_import_nothing_from_another_host(book_html):
    remote = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])(?:[a-z]+:)?//", re.IGNORECASE)
    offenders = [str(p.relative_to(book_html)) for p in (book_html / "_static").rglob("*.css") if remote.search(p.read_text(errors="replace"))]
    assert not offenders


BUNDLE = re.compile(r"_static/(osweek-[0-9a-f]{12}\.css)(?:\?v=([0-9a-f]+))?$")


def bundle_links(book_html: Path) -> dict[Path, list[tuple[str, str | None]]]:
    """Each page's links to stylesheet bundles: (bundle file name, its ?v= stamp)."""
    links = {}
    for path in html_files(book_html):
        hrefs = [n.attrs.get("href", "") for n in page(path).find_all("link") if n.attrs.get("rel") == "stylesheet"]
        links[path] = [m.groups() for m in map(BUNDLE.search, hrefs) if m]
    return links


def test_every_page_links_one_stylesheet_bundle_stamped_with_what_it_holds(book_html):
    """The stamp is the hash of the bundle as written, so a browser reuses its cached copy only while it is the same."""
    import hashlib

    for path, links in bundle_links(book_html).items():
        if path.name == "index.html" and path.parent == book_html:
            continue  # the redirect to the first chapter has no stylesheet
        assert len(links) == 1, f"{path.relative_to(book_html)}: {links}"
        ((name, stamp),) = links
        assert stamp == hashlib.sha256((book_html / "_static" / name).read_bytes()).hexdigest()[:8], path


def test_the_pruned_stylesheet_keeps_the_rules_of_every_class_the_pages_use(book_html):
    """Rules no page can match are dropped from the bundle (less than half of the theme's stylesheets remains), but a
    class that a page uses and a stylesheet styles on its own (``.navbar``, ``.admonition:hover``) keeps its rule."""
    import tinycss2

    def selectors(css: str) -> set[str]:
        found: set[str] = set()

        def walk(rules):
            for rule in rules:
                if rule.type == "qualified-rule":
                    found.update(s.strip() for s in tinycss2.serialize(rule.prelude).split(","))
                elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in {"media", "supports", "layer"}:
                    walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

        walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        return found

    static = book_html / "_static"
    sources = [p for p in static.rglob("*.css") if not BUNDLE.search("_static/" + p.name)]
    bundles = sorted({name for links in bundle_links(book_html).values() for name, _ in links})
    used = {c for path in html_files(book_html) for n in page(path).iter() for c in n.classes}
    alone = re.compile(r"^\.(-?[A-Za-z_][\w-]*)(?::{1,2}[a-z-]+)*$")  # one class, perhaps with :hover or ::before
    styled = {m.group(1) for p in sources for s in selectors(p.read_text(encoding="utf-8")) if (m := alone.match(s))}
    expected = sorted(styled & used)
    assert len(expected) > 50, expected  # the check has something to check
    for name in bundles:
        kept = " ".join(selectors((static / name).read_text(encoding="utf-8")))
        lost = [c for c in expected if not re.search(r"\." + re.escape(c) + r"(?![\w-])", kept)]
        assert not lost, f"{name} lost every rule of classes the pages use: {lost}"
        assert (static / name).stat().st_size < 0.5 * sum(p.stat().st_size for p in sources)


@cache
def ids_in(path: Path) -> frozenset[str]:
    tree = page(path)
    return frozenset(n.attrs["id"] for n in tree.iter() if "id" in n.attrs) | frozenset(
        n.attrs["name"] for n in tree.find_all("a") if "name" in n.attrs)


def test_every_internal_link_resolves(book_html):
    broken, checked = [], 0
    for path in html_files(book_html):
        for link in page(path).find_all("a"):
            href = link.attrs.get("href", "")
            parts = urlsplit(href)
            if not href or parts.scheme or href.startswith("//") or href == "#":
                continue
            if parts.path and not parts.path.endswith(".html"):
                target = (path.parent / unquote(parts.path)).resolve()
                if not target.exists():
                    broken.append(f"{path.relative_to(book_html)}: {href} (no such file)")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            checked += 1
            if not target.is_file():
                broken.append(f"{path.relative_to(book_html)}: {href} (no such page)")
            elif parts.fragment and unquote(parts.fragment) not in ids_in(target):
                broken.append(f"{path.relative_to(book_html)}: {href} (no such anchor)")
    assert checked > 100
    assert not broken, "\n".join(broken)


def test_evidence_links_point_at_paragraphs_of_the_evidence_page(book_html):
    ds = osweek.load().restricted_to(osweek.FIRST_ACCOUNT)  # the chapters' view
    evidence = html_path(book_html, EVIDENCE_DOC)
    first = ds.sources.iloc[0]
    anchors = {f"p{n}" for n in range(1, int(first["paragraph_count"]) + 1)}
    assert anchors <= ids_in(evidence), f"missing: {sorted(anchors - ids_in(evidence))}"
    links = 0
    for path in html_files(book_html):
        for link in page(path).find_all("a"):
            parts = urlsplit(link.attrs.get("href", ""))
            if re.fullmatch(r"p\d+", parts.fragment):
                links += 1
                assert (path.parent / parts.path).resolve() == evidence.resolve(), f"{path.name}: {link.attrs['href']}"
                assert parts.fragment in anchors, f"{path.name}: {link.attrs['href']} is not a paragraph of the account"
    assert links >= 30


# --- plotly.js: local, the cartesian bundle of the right version, only where needed -----------


def script_sources(tree: Node) -> list[str]:
    return [n.attrs["src"] for n in tree.find_all("script") if "src" in n.attrs]


def test_pages_without_figures_load_no_plotly(book_html):
    for path in html_files(book_html):
        tree = page(path)
        if figures_on(tree):
            continue
        assets = script_sources(tree) + [n.attrs.get("href", "") for n in tree.find_all("link")]
        assert not [a for a in assets if "plotly" in a.lower()], f"{path.relative_to(book_html)} loads plotly without a figure"
        assert not tree.find_all("script", type="application/json")


def test_pages_with_figures_load_the_local_cartesian_bundle(book_html):
    version = get_plotlyjs_version()
    pages_with_figures = [html_path(book_html, d) for d in NOTEBOOKS if expected_figures(d)]
    assert pages_with_figures
    for path in pages_with_figures:
        # The page loads only the small loader; it names the bundle it fetches when a figure comes into view.
        loaders = [s for s in page(path).find_all("script") if "osweek-plotly.js" in s.attrs.get("src", "")]
        assert len(loaders) == 1, f"{path.name}: {len(loaders)} figure loaders"
        assert not [s for s in script_sources(page(path)) if "plotly" in s.lower() and "osweek-plotly" not in s], \
            f"{path.name}: plotly.js must not load with the page"
        bundle = loaders[0].attrs.get("data-plotly-bundle", "")
        loader = (path.parent / urlsplit(loaders[0].attrs["src"]).path).resolve()
        target = loader.parent / bundle
        assert target.parent == (book_html / "_static").resolve() and target.name == "plotly-cartesian.min.js"
        head = target.read_text(encoding="utf-8", errors="replace")[:300]
        assert re.search(rf"plotly\.js \(cartesian[^)]*\) v{re.escape(version)}\b", head), head


# --- References -------------------------------------------------------------------------------


def bib_entries() -> dict[str, dict[str, str]]:
    """Key -> fields of each entry in book/references.bib (a small reader: braces balanced, no string macros)."""
    text = (REPO_ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entries = {}
    for match in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        fields, position = {}, match.end()
        while True:
            field = re.compile(r"\s*(\w+)\s*=\s*").match(text, position)
            if not field:
                break
            if text[field.end()] != "{":  # a bare value such as a number or a month macro
                bare = re.compile(r"[^,}\s]+").match(text, field.end())
                fields[field[1].lower()], end = bare[0], bare.end()
            else:
                depth, end = 1, field.end() + 1
                while depth:
                    depth += {"{": 1, "}": -1}.get(text[end], 0)
                    end += 1
                fields[field[1].lower()] = text[field.end() + 1: end - 1]
            position = re.compile(r"\s*,?").match(text, end).end()
        entries[match[2]] = fields
    return entries


def fold(text: str) -> str:
    return normalize(re.sub(r"[{}]", "", text).replace("\\%", "%").replace("\\&", "&")).casefold()  # braces and the escaped % are BibTeX markup


def test_bib_has_an_entry_for_every_reference_and_source():
    ds = osweek.load()
    entries = bib_entries()
    wanted = set(ds.references["reference_id"]) | set(ds.sources["source_id"])
    assert wanted == set(entries), f"missing from the .bib: {sorted(wanted - set(entries))}; not in the data: {sorted(set(entries) - wanted)}"
    for table, key in (("references", "reference_id"), ("sources", "source_id")):
        for row in ds[table].itertuples():
            bib_title = fold(entries[getattr(row, key)]["title"])
            assert bib_title.startswith(fold(row.title)), f"{getattr(row, key)}: .bib title {bib_title!r} is not {row.title!r}"
            if isinstance(row.url, str) and row.url:
                bib = entries[getattr(row, key)]
                assert row.url in (bib.get("url"), "https://doi.org/" + bib.get("doi", "")), f"{getattr(row, key)}: address differs"


def test_references_page_lists_every_reference_and_source(book_html):
    ds = osweek.load()
    text = fold(page(html_path(book_html, "book/references")).text)
    titles = list(ds.references["title"]) + list(ds.sources["title"])
    missing = [t for t in titles if fold(t) not in text]
    assert not missing, f"not on the references page: {missing}"
    entries = page(html_path(book_html, "book/references")).find_all("div", cls="citation")
    assert len(entries) == len(bib_entries())


@pytest.mark.parametrize("doc", DOCS)
def test_pages_carry_no_build_date(book_html, doc):
    """A page's bytes must not depend on the day it was built (reproducible builds, honest dates)."""
    text = html_path(book_html, doc).read_text(encoding="utf-8")
    today = datetime.date.today()
    stamps = ["Last updated", today.isoformat(), today.strftime("%b %d, %Y"), today.strftime("%d %B %Y")]
    assert not [s for s in stamps if s in text], f"{doc} carries a build date"


# --- Chart data as files ----------------------------------------------------------------------


def test_no_download_is_an_embedded_data_url(book_html):
    """Downloads are files a reader can share and a script can fetch, never data: URLs; and no file block is left over."""
    for path in html_files(book_html):
        text = path.read_text(encoding="utf-8")
        assert 'href="data:' not in text, f"{path.name}: an embedded data: link"
        assert "data-osweek-file" not in text, f"{path.name}: a data block the build did not publish"


def test_data_page_lists_every_chart_with_its_files(book_html):
    from osweek.analysis import charts

    catalogue = charts.catalogue(osweek.load())  # the whole package; each chart on its view
    data_page = html_path(book_html, "notebooks/06-data")
    tree = page(data_page)
    hrefs = {a.attrs.get("href", "") for a in tree.find_all("a")}
    for row in catalogue.itertuples():
        for path in (row.csv, row.json):
            assert f"../{path}" in hrefs, f"the data page does not link {path}"
            assert (book_html / path).is_file(), f"{path} was not published"
        assert f"{row.chapter}.html#figure-{row.chart}" in hrefs, f"the data page does not link the chart {row.chart}"
        assert tree.find_all("figure", id=f"figure-{row.chart}") == [], "the data page lists charts, it does not draw them"
        chapter = page(html_path(book_html, f"notebooks/{row.chapter}"))
        assert chapter.find_all("figure", id=f"figure-{row.chart}"), f"{row.chart} is not on {row.chapter}"
    assert len(list((book_html / "charts").glob("*.json"))) == len(catalogue)


def _rows_file(path: Path) -> dict:
    """The rows a long table's file (tables/NAME.rows.js) hands to the pager: {"rows": [...], "texts": [...]}."""
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r'osweekTableRows\("([a-z0-9-]+)",(.*)\);\n', text, re.S)
    assert match and match[1] == path.name.removesuffix(".rows.js"), f"{path.name} is not a rows file"
    return json.loads(match[2])


def test_long_lists_hold_their_first_page_and_publish_every_row(book_html):
    """A long table in the HTML book shows its first page and says how many rows it has; its rows file has every row,
    the filter's text of each; every statement's summary is in the statements file."""
    from osweek.analysis.figures import FILTER_ABOVE

    ds = osweek.load()
    blocks = [(page, block) for page in sorted((book_html / "notebooks").glob("*.html"))
              for block in parse(page.read_text(encoding="utf-8")).find_all("div", cls="osweek-filterable")]
    paged = [(page, block) for page, block in blocks if "data-rows" in block.attrs]
    assert {block.attrs["id"] for _, block in paged} >= {"table-all-statements", "table-all-appearances", "table-programme-sessions"}
    for page, block in paged:
        total = int(block.attrs["data-total"])
        assert len(block.find_all("tbody")[0].find_all("tr")) == FILTER_ABOVE < total
        data = _rows_file((page.parent / block.attrs["data-rows"]).resolve())
        assert len(data["rows"]) == len(data["texts"]) == total
        assert all(r.startswith("<tr>") and r.endswith("</tr>") for r in data["rows"])
        assert f"{total:,} rows" in block.find_all("p", cls="osweek-table-more")[0].text
    for page, block in blocks:
        if "data-rows" not in block.attrs:
            assert len(block.find_all("tbody")[0].find_all("tr")) <= FILTER_ABOVE, f"{page.name}: a long table kept whole"
    statements = _rows_file(book_html / "tables" / "all-statements.rows.js")
    assert len(statements["rows"]) == len(ds.statements)
    texts = "\n".join(statements["texts"])
    assert all(s.lower() in texts for s in ds.statements["summary"])
