"""The stylesheet pruner keeps every rule a page of the book could match and drops only the others."""

from __future__ import annotations

from pathlib import Path

import pytest
import tinycss2

from osweek.build.cssprune import Cache, book_files, can_match, prune_css, split_selectors, used_names


def selectors(css: str) -> list[str]:
    """Every selector list of a stylesheet's style rules, at any depth, as written."""
    found = []

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                found.append(tinycss2.serialize(rule.prelude).strip())
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in {"media", "supports"}:
                walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


USED = frozenset({"bd-header", "show", "fa-github", "nav", "active"})


def test_a_rule_whose_class_no_page_uses_is_dropped_and_a_used_one_kept():
    css = ".bd-header { color: red }\n.card-body { padding: 1rem }\n#main-content { margin: 0 }\n"
    assert selectors(prune_css(css, USED)) == [".bd-header"]


def test_a_selector_list_stays_whole_if_any_member_can_match():
    css = ".card-body, .nav.active > a { color: blue }\n"
    assert selectors(prune_css(css, USED)) == [".card-body, .nav.active > a"]


def test_a_compound_selector_needs_every_class_it_names():
    assert can_match(".nav.active", USED)
    assert not can_match(".nav.collapsing", USED)
    assert not can_match("html[data-theme=dark] .nav .navbar-brand", USED)


def test_elements_attributes_and_negations_do_not_count_as_required():
    assert can_match("table > tbody tr:nth-child(2n+1)", USED)
    assert can_match('a[href^="#"]:not(.headerlink)', USED)
    assert can_match(".nav:is(.never, .seen)", USED)
    assert can_match("input[type=search]::placeholder", USED)
    assert can_match(r".sm\:flex", USED)  # an escaped name is never dropped


def test_a_class_a_script_builds_from_a_prefix_is_kept():
    assert not can_match(".kind-title", USED)
    assert can_match(".kind-title", USED, ("kind-",))


def test_at_rule_blocks_are_pruned_inside_and_dropped_when_empty():
    css = (
        "@media (max-width: 960px) { .bd-header { display: none } .card-body { color: red } }\n"
        "@media print { .card-body { display: none } }\n"
        "@supports (display: grid) { .show { display: grid } }\n"
    )
    pruned = prune_css(css, USED)
    assert selectors(pruned) == [".bd-header", ".show"]
    assert "print" not in pruned
    assert "max-width: 960px" in pruned and "@supports" in pruned


def test_fonts_keyframes_and_custom_properties_are_kept_as_they_are():
    css = (
        '@charset "UTF-8";\n'
        '@font-face { font-family: "Font Awesome 6 Free"; src: url("../webfonts/fa-solid-900.woff2") format("woff2") }\n'
        "@keyframes spin { from { transform: rotate(0) } to { transform: rotate(1turn) } }\n"
        ":root { --pst-color-primary: #0a7d91 }\n"
        '.fa-github:before { content: "\\f09b" }\n'
    )
    pruned = prune_css(css, USED)
    assert pruned.startswith('@charset "UTF-8";')
    assert "@font-face" in pruned and "fa-solid-900.woff2" in pruned and "@keyframes spin" in pruned
    assert "--pst-color-primary: #0a7d91" in pruned
    rule = next(r for r in tinycss2.parse_stylesheet(pruned, skip_comments=True, skip_whitespace=True)
                if r.type == "qualified-rule" and ".fa-github" in tinycss2.serialize(r.prelude))
    content = next(t for t in tinycss2.parse_declaration_list(rule.content) if t.type == "declaration")
    assert [t.value for t in content.value if t.type == "string"] == ["\uf09b"]  # the icon's code point survives


def test_split_selectors_keeps_commas_inside_brackets_and_parentheses():
    assert split_selectors('a:is(.x, .y), b[title="a,b"] , c') == ["a:is(.x, .y)", 'b[title="a,b"]', "c"]


def test_unparsable_css_is_an_error_naming_line_and_column():
    with pytest.raises(ValueError, match=r"line 2, column \d+"):
        prune_css(".bd-header { color: red }\n.show\n", USED)  # a selector with no block before the end


def test_used_names_reads_every_word_of_pages_and_the_prefixes_scripts_build_classes_from(tmp_path: Path):
    (tmp_path / "page.html").write_text('<div class="bd-header card"><p id="intro">Sovereignty</p></div>')
    (tmp_path / "theme.js").write_text('el.classList.add("show"); item.classList.add(`kind-${kind}`); x.className = "pst-" + name;')
    words, prefixes = used_names(sorted(tmp_path.iterdir()))
    assert {"bd-header", "card", "intro", "Sovereignty", "show", "classList"} <= words
    assert prefixes == ("kind-", "pst-")


def test_book_files_are_the_pages_and_the_scripts_a_page_names(tmp_path: Path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text('<script src="_static/theme.js"></script><script data-bundle="plotly.min.js"></script>')
    for name in ("theme.js", "plotly.min.js", "fontawesome.js"):
        (tmp_path / "_static" / name).write_text("var fa_all_icons;")
    (tmp_path / "_static" / "webpack-macros.html").write_text("{# minus fontawesome.js #}")  # a template copy, not a page
    assert [p.relative_to(tmp_path).as_posix() for p in book_files(tmp_path)] == [
        "page.html", "_static/plotly.min.js", "_static/theme.js"]  # no page names fontawesome.js


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text('<div class="bd-header">')
    cache = Cache()
    assert "bd-header" in used_names([page], cache)[0]
    stamp = cache.words[str(page)][0]
    cache.words[str(page)] = (stamp, frozenset({"remembered"}), frozenset())  # what the cache holds is what is used
    assert used_names([page], cache)[0] == {"remembered"}
    page.write_text('<div class="bd-header navbar">')  # another size: read again
    assert {"bd-header", "navbar"} <= used_names([page], cache)[0]
    assert used_names([], cache) == (frozenset(), ()) and cache.words == {}  # a file that is gone is forgotten


def test_a_stylesheet_is_pruned_again_only_when_a_name_it_holds_changes_use(tmp_path: Path):
    css = ".bd-header { color: red }\n.card-body { padding: 0 }\n"
    cache = Cache()
    first = prune_css(css, USED, cache=cache)
    (key,) = cache.pruned
    cache.pruned[key] = "/* from the cache */\n"
    assert prune_css(css, USED | {"unrelated"}, cache=cache) == "/* from the cache */\n"  # no name of this sheet changed
    assert selectors(prune_css(css, USED | {"card-body"}, cache=cache)) == [".bd-header", ".card-body"]
    assert selectors(first) == [".bd-header"]


def test_the_cache_keeps_what_this_build_used_and_ignores_an_unreadable_file(tmp_path: Path):
    path = tmp_path / "cache.pickle"
    cache = Cache()
    prune_css(".show { color: red }\n", USED, cache=cache)
    cache.pruned["stale"] = "from an older build"
    cache.save(path)
    loaded = Cache.load(path)
    assert list(loaded.pruned.values()) == [".show { color: red }\n"] and not loaded.touched
    path.write_bytes(b"not a pickle")
    assert Cache.load(path).pruned == {} and Cache.load(tmp_path / "missing").words == {}
