"""Browser harness for the built book: a local HTTP server, one headless Chromium per test
session, a fresh browser context per test, request interception, error capture and axe-core.

Activated by ``pytest_plugins = ("browser_harness",)`` in the browser test modules (pytest
registers a plugin once, so every module shares the same server and browser). The pages
come from the ``book_html`` fixture of ``tests/conftest.py`` ($OSWEEK_BUILD_DIR, else
<repo>/_build/html); nothing here builds the book.

Fixtures
    site_server (session)  serves ``book_html`` on http://127.0.0.1:<free port>/
    base_url    (session)  its URL, ending in "/"
    browser     (session)  Debian's Chromium (/usr/bin/chromium, or $OSWEEK_CHROMIUM);
                           fails (does not skip) when it is missing: run `make browser`
    page_log    (function) what the page did wrong (:class:`PageLog`)
    new_page    (function) ``new_page(**context_options)``: a page in a NEW browser
                           context (own storage; e.g. ``color_scheme="dark"``), with every
                           request routed: other hosts are recorded and aborted
    page        (function) ``new_page()`` with default options
Helpers
    book_pages(), page_params()   every page of the build, for parametrize
    visit(page, base_url, rel)    goto + HTTP status check
    wait_for_figures(page)        wait until every plotly figure has drawn; describe them
    run_axe(page), format_violations(...)
    figure_text_contrasts(page)   contrast of the SVG text of every figure against what is behind it

Adapted from the browser spike (see its FINDINGS.md for the timings and the gotchas noted
below: axe's CSSOM preload, Chromium's console line for every aborted request).

PYTEST_DONT_REWRITE: the test modules import this module before pytest registers it as a
plugin, so pytest could not rewrite its asserts anyway (and would warn that it cannot).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import socketserver
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from osweek.paths import REPO_ROOT

CHROMIUM_PATH = os.environ.get("OSWEEK_CHROMIUM", "/usr/bin/chromium")
# Playwright adds --headless and a fresh temporary --user-data-dir (deleted on close) itself.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
EXCLUDED_DIRS = ("_static", "_sources", "_images", "_downloads")
TIMEOUT_MS = 30_000


def build_dir() -> Path:
    """Where the ``book_html`` fixture looks, known at collection time (for parametrize)."""
    return Path(os.environ.get("OSWEEK_BUILD_DIR") or REPO_ROOT / "_build" / "html").resolve()


# -- pages of the build ---------------------------------------------------------------------

_META_REFRESH = re.compile(rb"<meta[^>]+http-equiv\s*=\s*[\"']?refresh", re.IGNORECASE)


def is_redirect_stub(path: Path) -> bool:
    """A bare ``<meta http-equiv="Refresh">`` page (Jupyter Book's root index.html)."""
    head = path.read_bytes()[:4096]
    return bool(_META_REFRESH.search(head)) and b"<body" not in head.lower()


def book_pages(root: Path | None = None) -> list[str]:
    """Every .html page of the build (POSIX paths relative to it), genindex and search included;
    files under _static/ (and the other asset folders) and redirect stubs left out."""
    root = root or build_dir()
    if not root.is_dir():
        return []
    pages = [p.relative_to(root) for p in root.rglob("*.html")]
    pages = [p for p in pages if not any(part in EXCLUDED_DIRS or part.startswith(".") for part in p.parts[:-1])]
    return sorted(p.as_posix() for p in pages if not is_redirect_stub(root / p))


def figure_pages(root: Path | None = None) -> list[str]:
    """The pages that contain an osweek figure."""
    root = root or build_dir()
    return [p for p in book_pages(root) if 'class="osweek-plotly"' in (root / p).read_text(encoding="utf-8")]


def page_params(pages: list[str]) -> list:
    """*pages* as pytest params. No build: one param that fails through ``book_html``'s message."""
    if not pages:
        return [pytest.param(None, id="no-build")]
    return [pytest.param(p, id=p) for p in pages]


# -- HTTP server -----------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser dropping a connection is not a failure


@dataclass
class SiteServer:
    httpd: _Server
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def start_server(root: Path) -> SiteServer:
    httpd = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return SiteServer(httpd, thread)


# -- what a page did ------------------------------------------------------------------------

def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class PageLog:
    """Everything a page did that a clean page does not do."""

    blocked_requests: list[str] = field(default_factory=list)  # other hosts (all aborted)
    console_errors: list[str] = field(default_factory=list)    # console.error and Chromium's own errors
    page_errors: list[str] = field(default_factory=list)       # uncaught exceptions, unhandled rejections
    bad_responses: list[str] = field(default_factory=list)     # local HTTP status >= 400
    # Chromium logs "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT" for each request we
    # aborted; kept apart so one blocked request does not also count as a console error.
    blocked_console: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        fields = ("blocked_requests", "console_errors", "page_errors", "bad_responses")
        return {name: getattr(self, name) for name in fields if getattr(self, name)}


def attach_recorder(context, page, log: PageLog) -> None:
    """Route every request of *context* (local ones go through, others are recorded and
    aborted) and record console errors, page errors and bad responses of *page*."""

    def route(route):
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            log.blocked_requests.append(url)
            route.abort("blockedbyclient")

    def console(msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        text = f"{msg.text} [{where}]" if where else msg.text
        if msg.text.startswith("Failed to load resource") and "ERR_BLOCKED_BY_CLIENT" in msg.text:
            log.blocked_console.append(text)
        else:
            log.console_errors.append(text)

    def response(resp):
        if resp.status >= 400 and is_local_url(resp.url):
            log.bad_responses.append(f"{resp.status} {resp.url}")

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda exc: log.page_errors.append(getattr(exc, "stack", None) or str(exc)))
    page.on("response", response)


def visit(page, base_url: str, rel: str, wait_until: str = "load"):
    """Open *rel* and check that it answered with HTTP < 400."""
    url = base_url + rel.lstrip("/")
    response = page.goto(url, wait_until=wait_until)
    assert response is not None and response.status < 400, f"{url}: HTTP {response and response.status}"
    return response


# -- plotly figures --------------------------------------------------------------------------

FIGURES_JS = """() => [...document.querySelectorAll('.osweek-plotly .plotly-graph-div')].map(gd => ({
    id: gd.id,
    plotted: gd.classList.contains('js-plotly-plot'),
    svgs: gd.querySelectorAll('svg.main-svg').length,
    traces: gd.querySelectorAll('svg.main-svg .cartesianlayer g.trace, svg.main-svg .cartesianlayer g.hm').length,
    drawn: gd.querySelectorAll('svg.main-svg .cartesianlayer g.trace .point, svg.main-svg .cartesianlayer g.hm image').length,
}))"""


def wait_for_figures(page, timeout_ms: int = 15_000) -> list[dict]:
    """Wait until every osweek figure of the page has been plotted; return one dict per figure
    (id, plotted, svgs, traces, drawn: marks such as bars, points, heatmap images)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # Figures are drawn when they come into view, as a reader scrolls to them.
    figures = page.locator(".osweek-plotly")
    for i in range(figures.count()):
        figures.nth(i).scroll_into_view_if_needed()
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.osweek-plotly .plotly-graph-div')].every(gd =>
                gd.classList.contains('js-plotly-plot')
                && gd.querySelector('svg.main-svg .cartesianlayer g.trace, svg.main-svg .cartesianlayer g.hm'))""",
            timeout=timeout_ms)
    except PlaywrightTimeout:
        pass  # the caller's assertions on the returned state say which figure did not draw
    return page.evaluate(FIGURES_JS)


# Colour of every SVG text of every figure, and what lies behind it:
# * heatmap cell text: the cell's colour, interpolated from the trace's (already opaque) colour
#   scale at the cell's value (the text shows the value: texttemplate "%{text}", text = z);
# * any other text: the first non-transparent background of the figure's ancestors, with the
#   figure's own paper_bgcolor laid over it.
# Translucent colours are blended over what is behind them.
CONTRAST_JS = r"""() => {
  const parse = s => { const m = (s || '').match(/[\d.]+/g) || []; return m.length < 3 ? null : [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const probe = document.createElement('span'); document.body.appendChild(probe);
  const css = s => { probe.style.color = ''; probe.style.color = s; return parse(getComputedStyle(probe).color); };
  const pageBackground = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const out = [];
  for (const gd of document.querySelectorAll('.osweek-plotly .plotly-graph-div.js-plotly-plot')) {
    let back = pageBackground(gd);
    const paper = css(gd._fullLayout.paper_bgcolor);
    if (paper) back = over(paper, back);
    for (const t of gd.querySelectorAll('svg.main-svg text')) {
      if (!t.textContent.trim() || t.closest('.hoverlayer')) continue;
      const style = getComputedStyle(t);
      if (style.display === 'none' || style.visibility === 'hidden' || +style.opacity === 0) continue;
      let behind = back, kind = 'text';
      const hm = t.closest('g.hm');
      if (hm) {
        kind = 'heatmap cell';
        const index = [...hm.parentNode.querySelectorAll(':scope > g.hm')].indexOf(hm);
        const trace = gd._fullData.filter(d => d.type === 'heatmap' && d.visible === true)[index];
        const z = parseFloat(t.getAttribute('data-unformatted'));
        const f = (z - trace.zmin) / ((trace.zmax - trace.zmin) || 1);
        const stops = trace.colorscale;
        let k = 1; while (k < stops.length - 1 && stops[k][0] < f) k++;
        const [p0, c0] = stops[k - 1], [p1, c1] = stops[k];
        const a = css(c0), b = css(c1), u = Math.min(1, Math.max(0, (f - p0) / ((p1 - p0) || 1)));
        behind = over([0, 1, 2, 3].map(i => a[i] + (b[i] - a[i]) * u), back);
      } else if (t.closest('.xtick')) kind = 'x tick label';
      else if (t.closest('.ytick')) kind = 'y tick label';
      let fill = parse(style.fill) || [0, 0, 0, 1];
      fill = over([fill[0], fill[1], fill[2], fill[3] * (+style.fillOpacity || 1)], behind);
      out.push({figure: gd.id, kind, text: t.textContent.trim().slice(0, 40),
                fill: fill.slice(0, 3).map(Math.round), behind: behind.slice(0, 3).map(Math.round)});
    }
  }
  probe.remove();
  return out;
}"""


def figure_text_contrasts(page) -> list[dict]:
    """Every visible SVG text of every figure with its WCAG contrast ratio against what is behind it."""
    from osweek.analysis.colour import contrast_ratio

    items = page.evaluate(CONTRAST_JS)
    for item in items:
        item["contrast"] = round(contrast_ratio(item["fill"], item["behind"]), 2)
    return items


def page_background(page) -> tuple[int, int, int]:
    """The computed background colour of <body>."""
    text = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", text)[:3])
    return r, g, b


# -- axe-core --------------------------------------------------------------------------------

AXE_PACKAGE = REPO_ROOT / "node_modules" / "axe-core"


def _axe_js() -> Path:
    """axe.min.js of the axe-core release pinned in package.json (installed by `npm ci`)."""
    path = AXE_PACKAGE / "axe.min.js"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: run `make install` (npm ci installs the pinned axe-core)")
    return path


AXE_JS = _axe_js()
# preload False: axe would re-fetch the stylesheets and resolve the theme's relative
# `@import "../basic.css"` against the document, request /basic.css, get a 404 and make
# Chromium log a console error. Only the css-orientation-lock rule needs that CSSOM.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
BLOCKING_IMPACTS = None  # every impact: critical, serious, moderate and minor violations all fail


def axe_version() -> str:
    head = AXE_JS.read_text(encoding="utf-8")[:64]
    return head.split("axe v", 1)[1].split()[0] if "axe v" in head else "unknown"


def run_axe(page, impacts=BLOCKING_IMPACTS, options: dict | None = None) -> list[dict]:
    """Inject axe-core (inline, from disk: no request) and run it on the whole document;
    return the violations whose impact is in *impacts* (all of them for ``None``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("opts => axe.run(document, opts)", options or AXE_OPTIONS)
    return [v for v in results["violations"] if impacts is None or v.get("impact") in impacts]


def format_violations(violations: list[dict], max_nodes: int = 5) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s)) {v.get('helpUrl', '')}")
        for node in v["nodes"][:max_nodes]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}  {summary}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    ... {len(v['nodes']) - max_nodes} more")
    return "\n".join(lines)


# -- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_server(book_html):
    server = start_server(book_html)
    yield server
    server.close()


@pytest.fixture(scope="session")
def base_url(site_server) -> str:
    return site_server.base_url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not Path(CHROMIUM_PATH).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: the browser tests need it. "
                    "Install it with `make browser` (Debian package chromium), or set OSWEEK_CHROMIUM.", pytrace=False)
    from playwright.sync_api import sync_playwright  # imported here: other tests never need playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def new_page(browser, page_log):
    """Factory: ``new_page(**context_options)`` opens a page in a fresh browser context."""
    contexts = []

    def make(**options):
        options.setdefault("service_workers", "block")  # so no request can bypass the routing
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        attach_recorder(context, page, page_log)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
