"""The print edition: one PDF of the whole book, made offline from the same pages as the HTML book.

Jupyter Book 1's ``pdfhtml`` builder downloads its own browser (pyppeteer) and cannot work offline. Instead:
Sphinx's ``singlehtml`` builder puts every page of the book into one HTML file (same notebooks, same
execution cache, same extension), and Debian's Chromium, driven by Playwright, prints it: every figure is
drawn first (as vector SVG), the book's table of contents at the start links to each chapter, each page
carries its number, and the PDF has an outline (bookmarks) of the chapters and sections.

Usage: ``python -m osweek.build.pdf [OUTPUT_DIR]`` (``make pdf``). OUTPUT_DIR is the book build's ``--path-output``
(default: the repository); the PDF is written to OUTPUT_DIR/_build/html/osweek-book.pdf, beside the HTML book
that links to it, and the single-page HTML to OUTPUT_DIR/_build/singlehtml.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..paths import REPO_ROOT

PDF_NAME = "osweek-book.pdf"
PRINT_PAGE = "osweek-book.html"
PRINT_WIDTH_PX = 670  # 210 mm less 2 x 16 mm of margin, at 96 CSS pixels to the inch
CHROMIUM = os.environ.get("OSWEEK_CHROMIUM", "/usr/bin/chromium")
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444">'
          'Open source and digital sovereignty at UN Open Source Week 2026 · <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


def build_singlehtml(output_dir: Path) -> Path:
    """The whole book as one HTML page, with the strict build's settings; return its folder."""
    from jupyter_book.sphinx import build_sphinx

    out = output_dir / "_build" / "singlehtml"
    result = build_sphinx(
        REPO_ROOT, out, noconfig=True, path_config=str(REPO_ROOT / "_config.yml"), builder="singlehtml",
        # Its own doctrees: sharing the HTML build's would make the next `make book` re-read every page.
        doctreedir=output_dir / "_build" / ".doctrees-singlehtml",
        confoverrides={"external_toc_path": str(REPO_ROOT / "_toc.yml"), "latex_individualpages": False, "nitpicky": True},
        warningiserror=True, keep_going=True, quiet=True,
    )
    if result:
        raise SystemExit(f"osweek.build.pdf: the single-page build failed ({result})")
    return out


def single_page(html_dir: Path) -> str:
    """The page that holds the whole book: the root document, where jupyter-book's index.html redirects."""
    index = (html_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(r'url=([^"\s]+)"', index)
    return match.group(1) if match else "index.html"


def print_pdf(html_dir: Path, target: Path) -> Path:
    """Print the single page of *html_dir* to *target* with Chromium, after every figure has been drawn."""
    from playwright.sync_api import sync_playwright

    from .bench import serve

    # Sphinx's singlehtml builder writes the root document (notebooks/01-introduction) in its folder but makes its
    # links relative to the output root: a copy at the root is the page as it was meant to be read.
    (html_dir / PRINT_PAGE).write_bytes((html_dir / single_page(html_dir)).read_bytes())
    server, base = serve(html_dir)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            # The viewport is the printed text width (A4 less the margins, in CSS pixels), and print media apply
            # before the figures are drawn: plotly sizes each figure to the column it will be printed in.
            page = browser.new_page(color_scheme="light", viewport={"width": PRINT_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print", color_scheme="light")
            page.goto(f"{base}/{PRINT_PAGE}", wait_until="load")
            page.evaluate("() => localStorage.setItem('mode', 'light')")
            page.reload(wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = false; })")
            if page.evaluate("() => typeof window.osweekRenderAll === 'function'"):
                page.evaluate("() => window.osweekRenderAll()")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(target), format="A4", print_background=False, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                     margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
            browser.close()
    finally:
        server.shutdown()
    return target


def main(output_dir: Path = REPO_ROOT) -> int:
    """Build the single-page book and print it to the PDF edition."""
    html_dir = build_singlehtml(output_dir)
    target = print_pdf(html_dir, output_dir / "_build" / "html" / PDF_NAME)
    print(f"osweek.build.pdf: wrote {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO_ROOT))
