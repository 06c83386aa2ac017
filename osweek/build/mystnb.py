"""myst-nb mime-render plugin: silence the plotly half of a BookFigure.

myst-nb (Sphinx mode) renders *every* mime type of an output at parse time and
only picks one per builder later; a mime type it cannot render logs
``WARNING: skipping unknown output mime type: application/vnd.plotly.v1+json
[mystnb.unknown_mime_type]`` even when a text/html alternative exists and wins
the priority contest.  ``nb_mime_priority_overrides`` cannot prevent that.

This plugin returns "no nodes" for the plotly mime type *only* for outputs
marked by :class:`osweek.analysis.figures.BookFigure` (whose text/html half is then
used).  A bare plotly figure still warns, so ``-W`` catches the trap.

Registered as an entry point in pyproject.toml::

    [project.entry-points."myst_nb.mime_renderers"]
    osweek-plotly = "osweek.build.mystnb:BookFigureMimePlugin"
"""

from __future__ import annotations

from typing import Any

from ..analysis.figures import MARKER

PLOTLY_MIME = "application/vnd.plotly.v1+json"


class BookFigureMimePlugin:
    """myst_nb.core.render.MimeRenderPlugin protocol."""

    mime_priority_overrides: list[tuple[str, str, int | None]] = []

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list | None:
        if data.mime_type == PLOTLY_MIME and MARKER in (data.output_metadata or {}):
            return []  # handled: nothing to render, text/html is used instead
        return None  # not ours: let myst-nb decide (and warn)
