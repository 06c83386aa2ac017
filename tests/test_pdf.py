"""The print edition: `make pdf` prints the whole book to one PDF, offline, with Debian's Chromium.

Checked as a reader would use it: every chapter and every chart's title is in it, its pages are numbered,
it has an outline (bookmarks) and a table of contents whose entries link inside the document, its figures
are drawn (vector text from the SVG, not screenshots), and the HTML book links to it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from htmltree import parse

import osweek
from osweek.analysis import charts
from osweek.build.pdf import PDF_NAME
from osweek.paths import toc_docs


@pytest.fixture(scope="module")
def pdf(book_html: Path):
    import pypdf

    path = book_html / PDF_NAME
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test builds it)", pytrace=False)
    return pypdf.PdfReader(str(path))


@cache
def _text(path: str) -> str:
    import pypdf

    reader = pypdf.PdfReader(path)
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def flat(text: str) -> str:
    """Whitespace collapsed, ligatures (ﬃ) and typographic apostrophes undone, as text comes out of a PDF."""
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u2019", "'").split())


def test_every_chapter_title_is_in_the_pdf(pdf, book_html):
    text = flat(_text(str(book_html / PDF_NAME)))
    for doc in toc_docs():
        h1 = parse((book_html / f"{doc}.html").read_text(encoding="utf-8")).find_all("h1")[0].text
        title = flat(h1.replace("#", ""))
        assert title in text, f"{doc}: chapter title {title!r} not in the PDF"


def test_every_chart_title_is_in_the_pdf(pdf, book_html):
    text = flat(_text(str(book_html / PDF_NAME)))
    for row in charts.catalogue(osweek.load()).itertuples():  # every chart, each on its own view
        assert flat(row.title) in text, f"chart {row.chart}: title {row.title!r} not in the PDF"


def test_charts_are_drawn_as_vector_text(pdf, book_html):
    """A drawn plotly chart leaves its axis titles in the PDF's text layer (a blank figure or a bitmap would not)."""
    text = flat(_text(str(book_html / PDF_NAME)))
    for axis in ("Statements coded with the theme", "Distinct speakers", "Category of focus area"):
        assert axis in text, f"axis title {axis!r} missing: a figure was not drawn"


def test_pages_are_numbered(pdf):
    total = len(pdf.pages)
    assert total > 20
    for number in (1, total // 2, total):
        assert re.search(rf"\b{number} / {total}\b", pdf.pages[number - 1].extract_text() or ""), f"page {number} has no number"


def test_outline_and_internal_links(pdf):
    titles = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "Digital sovereignty themes" in " ".join(titles) or len(pdf.outline) >= 1
    internal = 0
    for page in pdf.pages[:3]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or (annot.get("/A") or {}).get("/S") == "/GoTo"):
                internal += 1
    assert internal >= 10, f"the table of contents has {internal} internal links"


def test_the_book_links_to_the_pdf(book_html):
    intro = book_html / "notebooks" / "01-introduction.html"
    links = [a.attrs.get("href", "") for a in parse(intro.read_text(encoding="utf-8")).find_all("a")]
    target = next((h for h in links if h.endswith(PDF_NAME)), None)
    assert target, "the introduction does not link to the PDF edition"
    assert (intro.parent / target).resolve() == (book_html / PDF_NAME).resolve()
