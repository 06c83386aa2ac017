"""Sphinx extension: serve plotly.js from the book's own ``_static/``.

* Copies a pinned plotly.js bundle into ``_build/html/_static/`` (by adding it
  to ``html_static_path``) - never a CDN, never inlined.  Preferred source is
  the npm package ``plotly.js-cartesian-dist-min`` installed by ``npm ci``
  (1.5 MB, bar/heatmap/scatter/... i.e. all cartesian traces); fallback is
  the full bundle shipped inside plotly.py (4.8 MB).
* Adds ``<script defer>`` tags for plotly.js and ``osweek-plotly.js`` (and the
  small ``osweek-plotly.css``) only to
  pages whose body contains an osweek figure (see ``osweek.figures``); other
  pages load no plotly.js at all.

Config values (``_config.yml`` -> ``sphinx: config:``):

``osweek_plotly_js``
    Path (relative to the book folder) of the plotly.js bundle.  Default:
    ``node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js``.
``osweek_drop_fontawesome_js`` (default ``True``)
    Drop the theme's 1.5 MB ``fontawesome.js`` from every page (see
    ``templates/static/webpack-macros.html``); icons still render from the
    FontAwesome webfont CSS that pydata-sphinx-theme.css already contains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .figures import FIGURE_CLASS

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
LOADER_JS = "osweek-plotly.js"
LOADER_CSS = "osweek-plotly.css"
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
    """html-page-context: plotly.js + loader only on pages with a figure."""
    if f'class="{FIGURE_CLASS}"' not in context.get("body", ""):
        return
    # add_js_file() during html-page-context adds the file to this page only.
    # Deferred scripts run in document order: plotly.js first, then the loader.
    app.add_js_file(app.osweek_plotly_bundle, loading_method="defer")  # type: ignore[attr-defined]
    app.add_js_file(LOADER_JS, loading_method="defer")
    app.add_css_file(LOADER_CSS)


def _fix_citation_roles(app: Sphinx, pagename: str, templatename: str,
                        context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: citations as ``role="listitem"`` of docutils' ``<div role="list">``.

    docutils 0.21 marks each citation ``role="doc-biblioentry"``, a role that DPUB-ARIA 1.1
    deprecates in favour of ``listitem``; axe-core reports the list as having no items
    (aria-required-children, critical) and the role as deprecated.
    """
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    # The myst-nb plugin (osweek.mystnb) is registered by the package's entry point (pyproject.toml).
    app.add_config_value("osweek_plotly_js", DEFAULT_BUNDLE, "html")
    app.add_config_value("osweek_drop_fontawesome_js", True, "html")
    app.connect("config-inited", _choose_bundle)
    app.connect("config-inited", _drop_fontawesome_js)
    app.connect("html-page-context", _add_scripts)
    app.connect("html-page-context", _fix_citation_roles)
    app.add_css_file("osweek-book.css")  # every page: layout of the book's own tables
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
