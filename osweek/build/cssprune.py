"""Drop the stylesheet rules that no page of the book can match.

The theme's stylesheet (Bootstrap, FontAwesome's icon classes, the theme's own) is about 400 KB, and every
page's first paint waits for it. Most of its rules name a class or id that no page uses. As PurgeCSS
does, a rule stays unless every selector in its list names a class or an id found nowhere in the built
book: the words of every HTML page and every script count as used (scripts add classes such as
``show`` or ``active`` at run time), and a script's ``"name-" +`` or ```name-${``` keeps every class
starting ``name-``. Selectors with escapes stay; classes inside ``:not()``, ``:is()``, ``:where()``
and ``:has()`` and attribute selectors are not counted, so the test only ever keeps more than it must.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

WORD = re.compile(r"[A-Za-z_][\w-]*")
SCRIPT_PREFIX = re.compile(r"""([A-Za-z_][\w-]*-)\$\{|["'`]([A-Za-z_][\w-]*-)["'`]\s*\+""")
FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any|host|host-context|nth-[a-z-]+)\((?:[^()]|\([^()]*\))*\)")
ATTRIBUTE_OR_STRING = re.compile(r"""\[[^\]]*\]|"[^"]*"|'[^']*'""")
NAME = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
BLOCK_AT_RULES = {"media", "supports", "layer", "container"}  # at-rules whose block holds rules to prune


def used_names(files: Iterable[Path]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Every word of the given HTML and script files, and the class prefixes their scripts build names from."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(WORD.findall(text))
        if path.suffix == ".js":
            prefixes.update(a or b for a, b in SCRIPT_PREFIX.findall(text))
    return frozenset(words), tuple(sorted(prefixes))


def book_files(outdir: Path) -> list[Path]:
    """The built book's HTML pages and scripts, in a stable order."""
    return sorted(p for p in outdir.rglob("*") if p.suffix in {".html", ".js"} and p.is_file())


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def can_match(selector: str, used: frozenset[str], prefixes: tuple[str, ...] = ()) -> bool:
    """False only if the selector requires a class or id that appears nowhere in the book."""
    if "\\" in selector:
        return True
    required = NAME.findall(ATTRIBUTE_OR_STRING.sub("", FUNCTIONAL.sub("", selector)))
    return all(name in used or name.startswith(prefixes) for name in required)


def _pruned_rules(rules: list, used: frozenset[str], prefixes: tuple[str, ...]) -> list:
    """The rules (and at-rule blocks, recursively) that can match; blocks left empty are dropped."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(can_match(s, used, prefixes) for s in split_selectors(tinycss2.serialize(rule.prelude))):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in BLOCK_AT_RULES and rule.content is not None:
            inner = _pruned_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used, prefixes)
            if inner:
                rule.content = [token for r in inner for token in (r, tinycss2.ast.WhitespaceToken(0, 0, "\n"))]
                kept.append(rule)
        elif rule.type == "error":
            raise ValueError(f"unparsable CSS at line {rule.source_line}, column {rule.source_column}: {rule.message}")
        else:  # @font-face, @keyframes, @charset, @import, ...: kept as they are
            kept.append(rule)
    return kept


def prune_css(text: str, used: frozenset[str], prefixes: tuple[str, ...] = ()) -> str:
    """The stylesheet without the rules no page can match (comments dropped, rules one per line)."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return "\n".join(tinycss2.serialize([rule]) for rule in _pruned_rules(rules, used, prefixes)) + "\n"
