"""Sphinx extension: serve plotly.js from the book's own ``_static/``.

* Copies a pinned plotly.js bundle into ``_build/html/_static/`` (by adding it
  to ``html_static_path``) - never a CDN, never inlined.  Preferred source is
  the npm package ``plotly.js-cartesian-dist-min`` installed by ``npm ci``
  (1.5 MB, bar/heatmap/scatter/... i.e. all cartesian traces); fallback is
  the full bundle shipped inside plotly.py (4.8 MB).
* Adds a ``<script defer>`` tag for ``osweek-plotly.js`` (and the small
  ``osweek-plotly.css``) only to pages whose body contains an osweek figure
  (see ``osweek.analysis.figures``). The loader fetches plotly.js when a figure first
  comes into view; other pages load no plotly.js at all.

Config values (``_config.yml`` -> ``sphinx: config:``):

``osweek_plotly_js``
    Path (relative to the book folder) of the plotly.js bundle.  Default:
    ``node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js``.
``osweek_drop_fontawesome_js`` (default ``True``)
    Drop the theme's 1.5 MB ``fontawesome.js`` from every page (see
    ``templates/static/webpack-macros.html``); icons still render from the
    FontAwesome webfont CSS that pydata-sphinx-theme.css already contains.
    The same template folder holds ``layout.html``, which loads Sphinx's search
    tools on the search page only.

Every page's script files are loaded with ``defer`` (``_defer_scripts``), so
that no script holds up the first paint, and its stylesheets come as one file
(``_bundle_css``; config value ``osweek_bundle_css``, default ``True``), without the rules that no
page of the book can match (``osweek.build.cssprune``; config value ``osweek_prune_css``, default ``True``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..analysis.figures import FIGURE_CLASS, FILE_ATTR, FILTER_ABOVE
from ..analysis.prose import SECTION_CLASS
from . import cssprune

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
LOADER_JS = "osweek-plotly.js"
LOADER_CSS = "osweek-plotly.css"
TABLES_JS = "osweek-tables.js"  # filter box and pages for long tables; only on pages that have one
SECTIONS_JS = "osweek-sections.js"  # tab stops of the tables in long generated pages; only on pages with such sections
FILTERABLE_CLASS = "osweek-filterable"
DEFAULT_BUNDLE = "node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js"


def _bundle_version(bundle: Path) -> str | None:
    """Version from the npm package.json next to the bundle, if any."""
    pkg = bundle.parent / "package.json"
    if pkg.is_file():
        return json.loads(pkg.read_text(encoding="utf-8")).get("version")
    return None


def _choose_bundle(app: Sphinx, config: Config) -> None:
    """config-inited: find the plotly.js bundle and register the static files."""
    import plotly
    from plotly.offline import get_plotlyjs_version

    bundle = Path(app.confdir, config.osweek_plotly_js)
    if bundle.is_file():
        version = _bundle_version(bundle)
        if version and version != get_plotlyjs_version():
            logger.warning(
                "osweek: %s is plotly.js %s but plotly.py %s expects %s",
                bundle, version, plotly.__version__, get_plotlyjs_version(),
            )
    else:
        fallback = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        # A warning, so the strict build fails: the full bundle would triple every chart page's weight unnoticed.
        logger.warning("osweek: %s not found (run `npm ci`); falling back to the full %s", bundle, fallback)
        bundle = fallback
    app.osweek_plotly_bundle = bundle.name  # type: ignore[attr-defined]
    # html_static_path accepts files as well as folders; both are copied to _static/.
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR), str(bundle)]


def _drop_fontawesome_js(app: Sphinx, config: Config) -> None:
    """config-inited: templates/static/webpack-macros.html shadows the theme's."""
    if config.osweek_drop_fontawesome_js:
        config.templates_path = [str(TEMPLATES_DIR), *config.templates_path]


def _add_scripts(app: Sphinx, pagename: str, templatename: str,
                 context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: plotly.js + loader only on pages with a figure; the table filter, the sections' tab stops only where needed."""
    if FILTERABLE_CLASS in context.get("body", ""):
        app.add_js_file(TABLES_JS, loading_method="defer")
    if f'class="{SECTION_CLASS}"' in context.get("body", ""):
        app.add_js_file(SECTIONS_JS, loading_method="defer")
    if f'class="{FIGURE_CLASS}"' not in context.get("body", ""):
        return
    # add_js_file() during html-page-context adds the file to this page only. The page loads only the small
    # loader; it fetches the plotly.js bundle (named here, a file beside it in _static/) when a figure comes into view.
    app.add_js_file(LOADER_JS, loading_method="defer", **{"data-plotly-bundle": app.osweek_plotly_bundle})  # type: ignore[attr-defined]
    app.add_css_file(LOADER_CSS)


# Scripts that inline snippets of the page rely on as soon as they run: they stay blocking (documentation_options.js
# is under 1 KB; the snippet DOCUMENTATION_OPTIONS.pagename = ... follows it).
BLOCKING_SCRIPTS = {"documentation_options.js"}


def _defer_scripts(app: Sphinx, pagename: str, templatename: str,
                   context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: load the theme's and extensions' script files with ``defer``.

    A plain ``<script src>`` in <head> stops the page from rendering until it has downloaded and run; on a
    phone that was most of the time to first paint. Deferred scripts still run in document order, after
    the page is parsed, which is when they act (copy buttons, toggles, tabs, the theme's navigation).
    """
    if pagename == "search":  # the search template loads searchtools.js synchronously, and it needs doctools.js at once
        return
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context.get("script_files", []):
        name = Path(str(getattr(script, "filename", "") or "")).name
        attributes = getattr(script, "attributes", None)
        if (not name or attributes is None or name in BLOCKING_SCRIPTS or {"defer", "async", "body"} & set(attributes)
                or str(script.filename).startswith(("http:", "https:"))):
            scripts.append(script)
        else:  # a new object: the registered ones are shared by every page, the search page included
            scripts.append(_JavaScript(script.filename, priority=script.priority, **{**attributes, "defer": "defer"}))
    context["script_files"] = scripts


# -- One stylesheet per page ------------------------------------------------------------------------
# Sphinx, the theme and the extensions link about ten stylesheets from every page, and the first paint
# waits for all of them; on a phone's network each costs a round trip. The book links one file instead:
# the same stylesheets concatenated in the same order (so the cascade is unchanged), with @import inlined
# and url() paths rewritten for the bundle's place. The bundle's name is a hash of what it holds.

THEME_CSS = ["_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css"]  # the theme's head_pre_assets()
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']([^"']+)["']\s*\)?\s*;""")


def _css_bundle_name(files: list[str]) -> str:
    """The bundle's file name, from the list of stylesheets it holds."""
    return "osweek-" + hashlib.sha256("\n".join(files).encode()).hexdigest()[:12] + ".css"


def _bundle_css(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: replace the page's stylesheet links with one bundle (media-specific ones stay apart)."""
    context["osweek_bundle_css"] = app.config.osweek_bundle_css  # read by templates/static/webpack-macros.html
    if not app.config.osweek_bundle_css:
        return
    css_files = context.get("css_files", [])
    plain = [c for c in css_files if getattr(c, "filename", None) and set(c.attributes) <= {"rel", "type"}
             and c.attributes.get("rel", "stylesheet") == "stylesheet" and not str(c.filename).startswith(("http:", "https:"))]
    files = THEME_CSS + [str(c.filename).split("?")[0] for c in plain]
    name = _css_bundle_name(files)
    app.osweek_css_bundles[name] = files  # type: ignore[attr-defined]
    from sphinx.builders.html._assets import _CascadingStyleSheet

    context["css_files"] = [_CascadingStyleSheet("_static/" + name, priority=0)] + [c for c in css_files if c not in plain]


def _css_text(path: Path, bundle_dir: Path, seen: set[Path]) -> str:
    """A stylesheet's text with its @imports inlined and its url()s made relative to *bundle_dir*."""
    if path in seen:
        return ""
    seen.add(path)
    text = path.read_text(encoding="utf-8").replace('@charset "UTF-8";', "")
    imported: list[str] = []  # inlined after this file's own url()s are rebased, so theirs are not rebased twice

    def inline(m: re.Match) -> str:
        imported.append(_css_text((path.parent / m.group(1)).resolve(), bundle_dir, seen))
        return f"\0{len(imported) - 1}\0"

    text = _IMPORT.sub(inline, text)

    def rebase(m: re.Match) -> str:
        url = next(g for g in m.groups() if g is not None)
        if not url or url.startswith(("data:", "http:", "https:", "/", "#")):
            return m.group(0)
        base, _, rest = url.partition("?")
        base, hash_, fragment = base.partition("#")
        target = os.path.relpath((path.parent / base).resolve(), bundle_dir)
        return 'url("' + Path(target).as_posix() + ("?" + rest if rest else "") + (hash_ + fragment) + '")'

    return re.sub(r"\0(\d+)\0", lambda m: imported[int(m.group(1))], _URL.sub(rebase, text))


def _write_css_bundles(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: write each bundle from the stylesheets Sphinx copied into _static/, minus the rules no page can match."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    prune = app.config.osweek_prune_css
    cache_file = Path(app.doctreedir) / "osweek-cssprune.pickle"
    cache = cssprune.Cache.load(cache_file) if prune else None
    used = cssprune.used_names(cssprune.book_files(Path(app.outdir)), cache) if prune and app.osweek_css_bundles else None  # type: ignore[attr-defined]
    stamps: dict[str, str] = {}  # bundle name -> hash of what it holds
    for name, files in sorted(app.osweek_css_bundles.items()):  # type: ignore[attr-defined]
        missing = [f for f in files if not (Path(app.outdir) / f).is_file()]
        if missing:
            logger.warning("osweek: stylesheets to bundle are missing from the build: %s", ", ".join(missing))
            continue
        seen: set[Path] = set()
        parts = []
        for f in files:  # each stylesheet pruned on its own: the theme's, in every bundle, once per build
            part = _css_text((Path(app.outdir) / f).resolve(), static.resolve(), seen)
            if used is not None:
                try:
                    part = cssprune.prune_css(part, *used, cache=cache)
                except ValueError as error:  # a warning, so the strict build fails; this part stays whole
                    logger.warning("osweek: cannot prune %s in %s: %s", f, static / name, error)
            parts.append(f"/* {f} */\n" + part)
        text = '@charset "UTF-8";\n' + "\n".join(parts)
        (static / name).write_text(text, encoding="utf-8")
        stamps[name] = hashlib.sha256(text.encode()).hexdigest()[:8]
    if cache is not None and used is not None:
        cache.save(cache_file)
    _stamp_css_links(Path(app.outdir), stamps)


_CSS_LINK = re.compile(r'(_static/(osweek-[0-9a-f]{12}\.css))(?:\?v=[0-9a-f]+)?"')


def _stamp_css_links(outdir: Path, stamps: dict[str, str]) -> None:
    """Link each bundle as NAME?v=HASH of what it now holds, on every page.

    Sphinx stamps a stylesheet link with the checksum of the file it finds in _static/ when it writes the page,
    which for a bundle is the previous build's (or none in a fresh build); the bundle's content depends on every
    page, so the stamp is set here, once all are written. A rebuild then links what a fresh build links, and a
    browser's cached bundle is used only while it is the same."""
    if not stamps:
        return
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        stamped = _CSS_LINK.sub(lambda m: f'{m.group(1)}?v={stamps[m.group(2)]}"' if m.group(2) in stamps else m.group(0), text)
        if stamped != text:
            page.write_text(stamped, encoding="utf-8")


# -- Downloads as files ----------------------------------------------------------------------------
_FILE_BLOCK = re.compile(r'<script type="application/octet-stream" ' + FILE_ATTR + r'="((?:charts|tables)/[a-z0-9-]+\.(?:csv|json))">'
                         r"([A-Za-z0-9+/=]*)</script>")


def _publish_files(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: write each chart's and table's data block (osweek.analysis.figures.file_block) out as its own file
    (charts/NAME.csv, charts/NAME.json, tables/NAME.csv beside the pages) and drop the block from the page."""
    body = context.get("body", "")
    if FILE_ATTR not in body:
        return
    published = app.osweek_published  # type: ignore[attr-defined]

    def write(m: re.Match) -> str:
        path, content = m.group(1), base64.b64decode(m.group(2))
        if published.get(path, (pagename, content)) != (pagename, content):
            logger.warning("osweek: %s is published by %s and, differently, by %s", path, published[path][0], pagename)
        published[path] = (pagename, content)
        target = Path(app.outdir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return ""

    context["body"] = _FILE_BLOCK.sub(write, body)
    if FILE_ATTR in context["body"]:
        logger.warning("osweek: %s has a data block that is not a chart or table file", pagename)


# -- Long lists: the first page in the page, every row in a file beside it ---------------------------
# A list of thousands of rows in the HTML page is slow to load and lay out on a phone. The HTML book keeps the
# first FILTER_ABOVE rows of each long table in the page and publishes all of its rows as tables/NAME.rows.js
# (a script, so that the filter and pager work from a folder opened from disk too, where a browser refuses to
# fetch files); osweek-tables.js loads it when the reader first filters or turns a page. The single-page build
# (the PDF) keeps every row, as do the CSV files.
_LONG_TABLE = re.compile(r'(<div class="osweek-table-block ' + FILTERABLE_CLASS + r'" id="table-([a-z0-9-]+)")'
                         r"(>.*?<tbody>)(.*?)(</tbody>\s*</table>\s*</div>)", re.S)
_ROW = re.compile(r"<tr>.*?</tr>", re.S)
_TAG = re.compile(r"<[^>]+>")


def row_text(row: str) -> str:
    """What the filter matches a row against: its cells' text, lower case, on one line."""
    import html as html_lib

    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    return " ".join(" ".join(html_lib.unescape(_TAG.sub("", c)).split()) for c in cells).lower()


def rows_script(name: str, rows: list[str]) -> str:
    """The file that hands a long table's rows (HTML, and the text the filter reads) to osweek-tables.js."""
    payload = json.dumps({"rows": rows, "texts": [row_text(r) for r in rows]}, ensure_ascii=False, separators=(",", ":"))
    return f"osweekTableRows({json.dumps(name)},{payload});\n"


def _page_long_tables(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context (HTML builder only): keep each long table's first page of rows, publish all its rows as a file."""
    body = context.get("body", "")
    if app.builder.name != "html" or FILTERABLE_CLASS not in body:
        return
    root = "../" * pagename.count("/")

    def split(m: re.Match) -> str:
        start, name, middle, tbody, end = m.groups()
        rows = _ROW.findall(tbody)
        if len(rows) <= FILTER_ABOVE:
            return m.group(0)
        path = f"tables/{name}.rows.js"
        target = Path(app.outdir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rows_script(name, rows), encoding="utf-8")
        return (f'{start} data-rows="{root}{path}" data-total="{len(rows)}"{middle}' + "\n".join(rows[:FILTER_ABOVE]) + end
                + f'<p class="osweek-table-more">This page shows the first {FILTER_ABOVE} of {len(rows):,} rows; '
                f'the CSV file below and the <a href="{root}osweek-book.pdf">PDF edition</a> have every row.</p>')

    context["body"] = _LONG_TABLE.sub(split, body)


def _fix_citation_roles(app: Sphinx, pagename: str, templatename: str,
                        context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: accessibility fixes in the page body. Citations as ``role="listitem"`` of docutils'
    ``<div role="list">``; code toggles named by their visible text.

    docutils 0.21 marks each citation ``role="doc-biblioentry"``, a role that DPUB-ARIA 1.1
    deprecates in favour of ``listitem``; axe-core reports the list as having no items
    (aria-required-children, critical) and the role as deprecated.
    """
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # myst-nb names every "Show code cell source" toggle "Toggle hidden content": a spoken name that does not
    # contain the visible text (WCAG 2.5.3, label in name). Without the aria-label the name is the text shown.
    if '<summary aria-label="Toggle hidden content">' in body:
        context["body"] = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def _substitute_counts(app: Sphinx, config: Any) -> None:
    """The Markdown pages' counts ({{ recordings }}) come from the data, like the chapters' glued numbers."""
    from types import SimpleNamespace

    from ..analysis.prose import page_substitutions
    from ..data import read_descriptor, read_table
    from ..paths import data_dir

    folder = data_dir()
    sources = next(r for r in read_descriptor(folder)["resources"] if r["name"] == "sources")
    package = SimpleNamespace(sources=read_table(folder, sources))  # the one table the counts need, not the whole package
    config.myst_substitutions = {**page_substitutions(package), **(config.myst_substitutions or {})}


def _not_searched(app: Sphinx, doctree: Any) -> None:
    """doctree-read: the long generated lists (osweek_nosearch) stay out of the full-text search index, which is
    built on every rebuild and grows with the data; they have their own filter box, and the chapters are searched."""
    if app.env.docname in app.config.osweek_nosearch:
        app.env.metadata[app.env.docname]["nosearch"] = True


def setup(app: Sphinx) -> dict[str, Any]:
    # The myst-nb plugin (osweek.build.mystnb) is registered by the package's entry point (pyproject.toml).
    app.add_config_value("osweek_plotly_js", DEFAULT_BUNDLE, "html")
    app.add_config_value("osweek_drop_fontawesome_js", True, "html")
    app.add_config_value("osweek_bundle_css", True, "html")
    app.add_config_value("osweek_prune_css", True, "html")  # drop the bundle's rules no page can match (osweek.build.cssprune)
    app.add_config_value("osweek_nosearch", [], "env")
    app.osweek_css_bundles = {}  # type: ignore[attr-defined]
    app.osweek_published = {}  # type: ignore[attr-defined]
    app.connect("config-inited", _choose_bundle)
    app.connect("config-inited", _drop_fontawesome_js)
    app.connect("config-inited", _substitute_counts)
    app.connect("html-page-context", _add_scripts)
    app.connect("html-page-context", _fix_citation_roles)
    app.connect("html-page-context", _publish_files)
    app.connect("html-page-context", _page_long_tables)
    app.connect("doctree-read", _not_searched)
    app.connect("html-page-context", _defer_scripts)
    app.connect("html-page-context", _bundle_css, priority=900)  # after every extension has added its stylesheets
    app.connect("build-finished", _write_css_bundles, priority=900)  # after the theme rewrites pygments.css for dark mode
    app.add_css_file("osweek-book.css")  # every page: layout of the book's own tables
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
