"""Accessibility: axe-core on every page of the built book (light and dark mode), an accessible
name and a text alternative for every figure, and a sector palette that colour-blind readers
can tell apart (osweek.analysis.colour) and that stands out from both page backgrounds.

The browser tests need a built book (`make book`, or $OSWEEK_BUILD_DIR) and /usr/bin/chromium
(`make browser`); the colour tests need neither.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from browser_harness import (
    book_pages,
    figure_pages,
    figure_text_contrasts,
    format_violations,
    page_params,
    run_axe,
    visit,
    wait_for_figures,
)

from osweek.analysis import colour as cvd
from osweek.analysis.figures import SECTOR_COLORS
from osweek.paths import REPO_ROOT

pytest_plugins = ("browser_harness",)

TEXT_CONTRAST = 4.5  # WCAG 2.2 SC 1.4.3, normal-size text

# -- axe-core on every page ------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", page_params(book_pages()))
def test_no_accessibility_violation(new_page, page_log, base_url, rel, scheme):
    """axe-core (the current release, pinned in package.json) finds no violation of any impact, minor to
    critical (every rule axe runs by default: WCAG 2.x A/AA and best practices), with every <details>
    opened so the figures' data tables and other folded content are checked too. Figure text must also contrast >= TEXT_CONTRAST with what is
    behind it: axe does not check text inside SVG."""
    page = new_page(color_scheme=scheme)
    visit(page, base_url, rel)
    assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
    if page.locator("script[data-osweek-plotly]").count():
        wait_for_figures(page)
    # Open every <details> and finish the fade-in animations (mid-fade text is paler).
    page.evaluate("""() => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        document.getAnimations().forEach(a => a.finish());
    }""")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    low = [t for t in figure_text_contrasts(page) if t["contrast"] < TEXT_CONTRAST]
    assert not low, "figure text below 4.5:1:\n" + "\n".join(map(str, low))
    assert not page_log.problems(), page_log.problems()


@pytest.mark.parametrize("rel", page_params(figure_pages()))
def test_every_figure_has_a_name_and_a_text_alternative(page, page_log, base_url, rel):
    """Each chart is a <figure> named by its caption, holding the plot as role="img" named by
    its title and description, and a <details> with the text description and the data table.
    Names are the browser's own accessible names (Playwright's role queries)."""
    visit(page, base_url, rel)
    wait_for_figures(page)
    graphs = page.locator(".osweek-plotly .plotly-graph-div")
    assert graphs.count() > 0
    for i in range(graphs.count()):
        graph = graphs.nth(i)
        gid = graph.get_attribute("id")
        figure = page.locator("figure.osweek-figure", has=page.locator(f"#{gid}"))
        assert figure.count() == 1, f"{gid}: not inside exactly one <figure class='osweek-figure'>"
        title = figure.locator("figcaption strong").first.text_content().strip().rstrip(".")
        assert title, f"{gid}: caption has no title"
        # The figure's accessible name comes from its <figcaption>, the plot's from aria-label.
        assert page.get_by_role("figure", name=title).count() == 1, f"{gid}: no figure named {title!r}"
        plot = figure.get_by_role("img", name=title)
        assert plot.count() == 1 and plot.get_attribute("id") == gid, f"{gid}: no role=img named {title!r}"
        # Text alternative: the description sentence and the data table, in a <details>.
        details = figure.locator("details.osweek-description")
        assert details.count() == 1, f"{gid}: no <details> text description"
        assert details.locator("summary").text_content().strip(), f"{gid}: <summary> is empty"
        sentence = details.locator("p").first.text_content().strip()
        assert len(sentence) > 20, f"{gid}: description too short: {sentence!r}"
        assert sentence in graph.get_attribute("aria-label"), f"{gid}: aria-label does not carry the description"
        table = details.locator("table")
        assert table.count() == 1 and table.locator("tbody tr").count() > 0, f"{gid}: description has no data rows"
        assert table.locator("th[scope=col]").count() > 0, f"{gid}: data table has no column headers"
    assert not page_log.problems(), page_log.problems()


# -- colours ---------------------------------------------------------------------------------

# Minimum CIEDE2000 difference between any two sector colours, as seen with normal vision and
# with each simulated dichromacy (Machado et al. 2009, severity 1: the most severe form).
# 1 unit is about a just-noticeable difference for large patches side by side; chart marks are
# small and are matched against a legend at a distance, which takes much more (Stone, Szafir &
# Setlur 2014: the difference needed grows as marks get smaller). 10 is what the Okabe-Ito
# palette, designed for colour-blind readers, itself reaches (its closest pair is just above 10
# under tritanopia), so it is as strict as a proven colour-blind-safe palette allows.
MIN_DELTA_E = 10.0

# WCAG 2.2 SC 1.4.11: graphical objects needed to understand content contrast >= 3:1 with
# adjacent colours, here the page background in light and in dark mode: white, and
# sphinx-book-theme's dark background (test_browser.py checks both against the real pages),
# plus pydata-sphinx-theme's own dark background, which is a little lighter.
MIN_CONTRAST = 3.0
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#121212", "pydata dark": "#14181E"}

# Okabe-Ito's orange and sky blue are lighter than 3:1 on white. They stay, outlined in dark grey
# (test_light_sector_marks_are_outlined checks that edge reaches 3:1); in every chart the
# sector is also written out (axis labels or legend, hover label, and the data table in the
# figure's text description), so the colour is not needed to understand the chart, which is
# the condition of SC 1.4.11; and darkening them makes them collide with vermillion and blue
# for colour-blind readers. The test fails if this list is no longer exactly the exceptions.
LIGHT_ON_WHITE = {"industry", "academia"}


@pytest.mark.parametrize("condition", cvd.CONDITIONS)
def test_sector_colours_stay_distinct_for_colour_blind_readers(condition):
    pair = cvd.min_distances(list(SECTOR_COLORS.values()), [condition])[condition]
    names = {color: name for name, color in SECTOR_COLORS.items()}
    print(f"{pair}  [{names[pair.color_a]} vs {names[pair.color_b]}]")
    assert pair.delta_e >= MIN_DELTA_E, f"{names[pair.color_a]} and {names[pair.color_b]} too close: {pair}"


def test_sector_colours_stand_out_from_both_page_backgrounds():
    report, too_faint = [], set()
    for name, color in SECTOR_COLORS.items():
        ratios = {mode: cvd.contrast_ratio(color, bg) for mode, bg in BACKGROUNDS.items()}
        report.append(f"{name:17s} {color}  " + "  ".join(f"{m} {r:.2f}:1" for m, r in ratios.items()))
        too_faint |= {f"{name} on {mode}" for mode, r in ratios.items() if mode != "light" and r < MIN_CONTRAST}
        if ratios["light"] < MIN_CONTRAST and name not in LIGHT_ON_WHITE:
            too_faint.add(f"{name} on white")
        if ratios["light"] >= MIN_CONTRAST and name in LIGHT_ON_WHITE:
            too_faint.add(f"{name} now passes on white: remove it from LIGHT_ON_WHITE")
    print("\n".join(report))
    assert not too_faint, f"contrast below {MIN_CONTRAST}:1: {sorted(too_faint)}\n" + "\n".join(report)


def test_methods_page_states_the_thresholds_the_tests_use():
    """book/methods.md ('How we checked colours') describes these checks: keep its thresholds in step."""
    text = " ".join((REPO_ROOT / "book" / "methods.md").read_text(encoding="utf-8").split())
    section = text.split("## How we checked colours", 1)[-1]
    for phrase in (f"at least {MIN_DELTA_E:g},", f"contrast ratio of {MIN_CONTRAST:g}:1", f"reach {TEXT_CONTRAST:g}:1"):
        assert phrase in section, f"methods.md no longer says {phrase!r}"
    for condition in cvd.MACHADO_2009:
        assert condition in section


def test_ciede2000_reproduces_sharma_test_data():
    for lab1, lab2, expected in cvd.SHARMA_TEST_PAIRS:
        assert cvd.delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
        assert cvd.delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_cvd_simulation_keeps_greys_and_confuses_red_and_green():
    greys = ["#000000", "#6A6A6A", "#FFFFFF"]
    for condition in cvd.MACHADO_2009:
        assert cvd.simulate(greys, condition) == greys  # rows of each matrix sum to 1
        assert np.allclose(cvd.MACHADO_2009[condition].sum(axis=1), 1, atol=2e-3)
    # The defining confusion of red-green deficiencies: pure red and green become far closer.
    normal = cvd.pairwise_distances(["#FF0000", "#00FF00"])[("#FF0000", "#00FF00")]
    for condition in ("protanopia", "deuteranopia"):
        assert cvd.pairwise_distances(["#FF0000", "#00FF00"], condition)[("#FF0000", "#00FF00")] < normal / 2


def test_contrast_ratio_matches_wcag_examples():
    assert cvd.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert cvd.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near-miss grey
    for a, b in itertools.permutations(["#0072B2", "#14181E"]):
        assert cvd.contrast_ratio(a, b) == pytest.approx(cvd.contrast_ratio(b, a))


def test_light_sector_marks_are_outlined():
    """Marks filled with a colour too light for white carry an outline that reaches 3:1 on white."""
    import osweek
    from osweek.analysis import charts

    ds = osweek.load().restricted_to(osweek.FIRST_ACCOUNT)  # the chapters draw the first account's view
    light = {SECTOR_COLORS[name] for name in LIGHT_ON_WHITE}
    unoutlined = []
    for build in (charts.speakers_by_sector_chart, charts.roles_by_sector, charts.kinds_by_sector, charts.people_sessions_network):
        for trace in build(ds).fig.data:
            if trace.marker.color in light:
                edge = trace.marker.line.color
                if edge is None or cvd.contrast_ratio(edge, BACKGROUNDS["light"]) < MIN_CONTRAST:
                    unoutlined.append(f"{build.__name__}: {trace.name}")
    assert not unoutlined, unoutlined
