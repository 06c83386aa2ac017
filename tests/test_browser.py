"""The built book in a real browser (headless Chromium, see browser_harness.py): every page
loads from this machine alone and without errors, every figure draws, hovering shows the data,
search finds chapters, and the figures stay legible in dark mode.

Needs a built book (`make book`, or $OSWEEK_BUILD_DIR) and /usr/bin/chromium (`make browser`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browser_harness import book_pages, figure_text_contrasts, page_background, page_params, visit, wait_for_figures
from htmltree import parse
from playwright.sync_api import expect

from osweek import analysis
from osweek.data import load

pytest_plugins = ("browser_harness",)

TEXT_CONTRAST = 4.5  # WCAG 2.2 SC 1.4.3, normal-size text
LIGHT_BACKGROUND = (255, 255, 255)
# sphinx-book-theme's dark --pst-color-background (#121212; pydata-sphinx-theme's own is #14181e);
# test_accessibility.py checks the sector colours against both.
DARK_BACKGROUND = (0x12, 0x12, 0x12)


@pytest.mark.parametrize("rel", page_params(book_pages()))
def test_page_is_self_contained_error_free_and_draws_its_figures(page, page_log, base_url, rel):
    """No request leaves the machine, nothing is logged as an error, every figure has drawn."""
    visit(page, base_url, rel)
    blocks = page.locator("script[data-osweek-plotly]").count()
    figures = wait_for_figures(page) if blocks else []
    page.wait_for_load_state("networkidle")  # late requests and errors show up too
    assert not page_log.problems(), page_log.problems()
    assert len(figures) == blocks, f"{blocks} figure JSON blocks but {len(figures)} figure containers"
    not_drawn = [f for f in figures if not (f["plotted"] and f["svgs"] and f["traces"] and f["drawn"])]
    assert not not_drawn, f"figures without a rendered SVG trace: {not_drawn}"


def test_chart_page_loads_plotly_only_when_a_figure_comes_into_view(new_page, page_log, base_url):
    """A phone reader who stays at the top of a chart page downloads no plotly.js; scrolling to a figure fetches it
    (once, from the book itself) and draws that figure."""
    page = new_page(viewport={"width": 412, "height": 823})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    visit(page, base_url, "notebooks/03-sovereignty-themes.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "plotly-cartesian" in u], "plotly.js loaded before any figure was in view"
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    page.locator(".osweek-plotly").first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.osweek-plotly .plotly-graph-div.js-plotly-plot') !== null")
    bundles = [u for u in requested if "plotly-cartesian" in u]
    assert len(bundles) == 1 and bundles[0].startswith(base_url), bundles
    assert not page_log.problems(), page_log.problems()


def test_hover_shows_sector_and_count(page, page_log, base_url):
    """Hovering each bar of the speakers-by-sector chart shows its sector and speaker count."""
    data = analysis.speakers_by_sector(load()).query("speakers > 0")  # the chapter draws it on the whole record
    expected = sorted(f"{row.sector_label}: {row.speakers} speakers" for row in data.itertuples())
    visit(page, base_url, "notebooks/04-who-spoke.html")
    wait_for_figures(page)
    figure = page.locator("#osweek-fig-speakers-by-sector")
    figure.scroll_into_view_if_needed()
    bars = figure.locator(".cartesianlayer g.trace.bars .point path")
    assert bars.count() == len(expected)
    label = figure.locator(".hoverlayer .hovertext")
    seen = []
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()  # plotly's drag layer lies on top: move the mouse, do not "hover" the bar
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        label.first.wait_for(state="visible")
        seen.append(label.first.text_content().strip())
        page.mouse.move(0, 0)  # leave the plot so the label goes before the next hover
        label.first.wait_for(state="detached")
    assert sorted(seen) == expected
    assert not page_log.problems(), page_log.problems()


def test_search_finds_a_chapter(page, page_log, base_url, book_html):
    """The search page (Sphinx's client-side index) finds 'sovereignty', in a chapter among others."""
    visit(page, base_url, "search.html?q=sovereignty")
    page.wait_for_function("() => /found/i.test(document.querySelector('#search-results')?.textContent || '')")
    page.wait_for_load_state("networkidle")
    links = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.getAttribute('href'))")
    targets = sorted({urlsplit(href).path for href in links})
    assert targets, "no search results for 'sovereignty'"
    assert any(re.fullmatch(r"notebooks/\d\d-[\w-]+\.html", t) for t in targets), targets
    missing = [t for t in targets if not (book_html / t).is_file()]
    assert not missing, f"search results point at pages that do not exist: {missing}"
    assert not page_log.problems(), page_log.problems()


def _open_in_mode(new_page, base_url: str, rel: str, how: str):
    """Open *rel* in light mode or in dark mode, the three ways a reader gets dark mode."""
    if how == "light":
        page = new_page(color_scheme="light")
        visit(page, base_url, rel)
    elif how == "dark (system preference)":  # mode "auto" (the default) follows prefers-color-scheme
        page = new_page(color_scheme="dark")
        visit(page, base_url, rel)
    elif how == "dark (stored choice)":  # pydata-sphinx-theme keeps the reader's choice in localStorage
        page = new_page(color_scheme="light")
        visit(page, base_url, rel)
        page.evaluate("() => localStorage.setItem('mode', 'dark')")
        page.reload(wait_until="load")
    else:  # "dark (switched on the page)": the theme button, after the figures have drawn in light mode
        page = new_page(color_scheme="light")
        visit(page, base_url, rel)
        wait_for_figures(page)
        button = page.locator(".theme-switch-button").first
        for _ in range(3):
            if page.evaluate("() => document.documentElement.dataset.theme") == "dark":
                break
            button.click()
    wait_for_figures(page)
    # osweek-plotly.js re-colours the figures after a theme switch: wait until it has.
    page.wait_for_function("""() => {
        const probe = document.createElement('span'); document.body.appendChild(probe);
        const css = c => { probe.style.color = ''; probe.style.color = c; return getComputedStyle(probe).color; };
        const want = css(getComputedStyle(document.documentElement).getPropertyValue('--pst-color-text-base').trim());
        const done = [...document.querySelectorAll('.osweek-plotly .js-plotly-plot')]
            .every(gd => css(gd._fullLayout.font.color) === want);
        probe.remove();
        return done;
    }""", timeout=10_000)
    return page


@pytest.mark.parametrize("how", ["light", "dark (system preference)", "dark (stored choice)", "dark (switched on the page)"])
def test_figure_text_is_legible_in_light_and_dark_mode(new_page, page_log, base_url, how):
    """Axis tick labels (and all other text of the figures: titles, legends, colour bars,
    numbers on heatmap cells) contrast >= 4.5:1 with what is behind them. The page has bar
    charts and heatmaps."""
    page = _open_in_mode(new_page, base_url, "notebooks/03-sovereignty-themes.html", how)
    dark = how != "light"
    assert page.evaluate("() => document.documentElement.dataset.theme") == ("dark" if dark else "light")
    assert page_background(page) == (DARK_BACKGROUND if dark else LIGHT_BACKGROUND)
    texts = figure_text_contrasts(page)
    ticks = [t for t in texts if t["kind"].endswith("tick label")]
    assert len(ticks) >= 10, f"too few tick labels found: {ticks}"
    low = [t for t in texts if t["contrast"] < TEXT_CONTRAST]
    assert not low, "figure text below 4.5:1:\n" + "\n".join(map(str, low))
    assert not page_log.problems(), page_log.problems()


def test_long_lists_filter_and_page_without_other_hosts(page, page_log, base_url):
    """The statements page shows a long list a page at a time; typed words keep the rows that contain them all, and
    the pager and its status follow. The page holds the first page of rows; the rest come from the book's own
    rows file, loaded on the first filter or page turn, never from another host."""
    ds = load()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    visit(page, base_url, "notebooks/09-statements.html")
    block = page.locator("#table-all-statements")
    visible = "rows => rows.filter(r => getComputedStyle(r).display !== 'none').map(r => r.innerText)"
    shown = lambda: block.locator("tbody tr").evaluate_all(visible)  # noqa: E731  (the rows a reader sees)
    assert len(shown()) == 25
    assert block.locator(".osweek-table-status").inner_text() == f"Rows 1\u201325 of {len(ds.statements)}"
    assert not [u for u in requested if u.endswith(".rows.js")], "the rows file is loaded before the reader asks for it"
    block.get_by_role("button", name="Next").click()
    expect(block.locator(".osweek-table-status")).to_have_text(re.compile("^Rows 26\u201350 of"))
    assert len(shown()) == 25
    assert block.get_by_role("button", name="Previous").is_enabled()
    assert [u for u in requested if u.endswith("tables/all-statements.rows.js")]
    # a speaker and a theme, in any case and order: exactly the statements that name both
    table = analysis.statement_table(ds)
    expected = table[table["speaker"].str.contains("Kairuki") & table["themes"].fillna("").str.contains("Sovereignty")]
    block.get_by_label("Filter rows").fill("sovereignty KAIRUKI")
    assert len(shown()) == min(len(expected), 25) > 0
    assert block.locator(".osweek-table-status").inner_text() == f"Rows 1\u2013{min(len(expected), 25)} of {len(expected)} (filtered from {len(ds.statements)})"
    assert all("Kairuki" in text for text in shown())
    block.get_by_label("Filter rows").fill("no statement says this xyzzy")
    assert block.locator(".osweek-table-status").inner_text() == "No row matches"
    assert all(u.startswith(base_url) for u in requested), [u for u in requested if not u.startswith(base_url)]
    assert not page_log.problems(), page_log.problems()


def test_a_long_list_page_says_where_every_row_is_in_print(page, base_url, book_html):
    """The HTML page holds the first page of a long list: printed, it says so and points to the CSV and the PDF,
    whose single-page build holds every row (checked here in that build's page)."""
    ds = load()
    visit(page, base_url, "notebooks/09-statements.html")
    block = page.locator("#table-all-statements")
    page.emulate_media(media="print")
    note = block.locator(".osweek-table-more")
    expect(note).to_be_visible()
    assert f"first 25 of {len(ds.statements):,} rows" in note.inner_text()
    assert note.get_by_role("link", name="PDF edition").get_attribute("href") == "../osweek-book.pdf"
    single = (book_html.parent / "singlehtml").glob("*.html")
    whole = next(p for p in single if 'id="table-all-statements"' in p.read_text(encoding="utf-8"))
    (listed,) = parse(whole.read_text(encoding="utf-8")).find_all("div", id="table-all-statements")
    assert len(listed.find_all("tbody")[0].find_all("tr")) == len(ds.statements)
    assert block.locator(".osweek-table-tools").evaluate("e => getComputedStyle(e).display") == "none"


BOXES_JS = """() => [...document.querySelectorAll('.osweek-section .osweek-scroll-box')].map(box => {
    const r = box.getBoundingClientRect();
    return {near: r.bottom > -200 && r.top < innerHeight + 200, tab: box.tabIndex, overflow: getComputedStyle(box).overflowX,
            scrolls: box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_long_pages_give_table_scroll_boxes_tab_stops_where_they_scroll(new_page, page_log, base_url, width):
    """On the data dictionary (one table per content-visibility section) the theme's load-time scan of scroll boxes
    would lay out every section at once; the book's script takes those boxes over: each scrolls sideways, is
    reachable by keyboard until measured, and near the screen has a tab stop exactly when its table overflows."""
    page = new_page(viewport={"width": width, "height": 844})
    visit(page, base_url, "notebooks/06-data.html")
    page.wait_for_load_state("networkidle")
    tables = len(load().descriptor["resources"])
    assert page.locator(".osweek-section .pst-scrollable-table-container").count() == 0
    boxes = page.evaluate(BOXES_JS)
    assert len(boxes) == tables and all(b["overflow"] == "auto" for b in boxes)
    assert all(b["tab"] == 0 for b in boxes if not b["near"]), boxes  # not measured yet: reachable by keyboard
    for which in ("first", "last"):
        getattr(page.locator(".osweek-section .osweek-scroll-box"), which).scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # the observer reports after the next frame
        near = [b for b in page.evaluate(BOXES_JS) if b["near"]]
        assert near, f"no table near the screen at the {which}"
        assert all(b["tab"] == (0 if b["scrolls"] else -1) for b in near), (which, near)
    if width == 1280:  # the check can tell: on a wide screen some tables fit
        assert any(b["tab"] == -1 for b in page.evaluate(BOXES_JS))
    assert not page_log.problems(), page_log.problems()
