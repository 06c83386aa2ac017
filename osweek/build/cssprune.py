"""Drop the stylesheet rules that no page of the book can match.

The theme's stylesheet (Bootstrap, FontAwesome's icon classes, the theme's own) is about 400 KB, and every
page's first paint waits for it. Most of its rules name a class or id that no page uses. As PurgeCSS
does, a rule stays unless every selector in its list names a class or an id found nowhere in the built
book: the words of every HTML page and of every script a page names (by path or file name) count as
used (scripts add classes such as ``show`` or ``active`` at run time), and a script's ``"name-" +`` or
```name-${``` keeps every class starting ``name-``. A script no page loads (the theme's
``fontawesome.js``, which the book drops) keeps nothing. Selectors with escapes stay; classes inside
``:not()``, ``:is()``, ``:where()`` and ``:has()`` and attribute selectors are not counted, so the test
only ever keeps more than it must.

A build reads again only the files whose size or time changed since the last build, and prunes a stylesheet
again only if its text or the set of its names that are used changed (``Cache``, kept in the doctree folder).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2

WORD = re.compile(r"[A-Za-z_][\w-]*")
SCRIPT_PREFIX = re.compile(r"""([A-Za-z_][\w-]*-)\$\{|["'`]([A-Za-z_][\w-]*-)["'`]\s*\+""")
FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any|host|host-context|nth-[a-z-]+)\((?:[^()]|\([^()]*\))*\)")
ATTRIBUTE_OR_STRING = re.compile(r"""\[[^\]]*\]|"[^"]*"|'[^']*'""")
NAME = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
BLOCK_AT_RULES = {"media", "supports", "layer", "container"}  # at-rules whose block holds rules to prune
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a change to this module empties the cache


def _file_names(text: str, is_script: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The words of one file, and the class prefixes it builds names from if it is a script."""
    prefixes = frozenset(a or b for a, b in SCRIPT_PREFIX.findall(text)) if is_script else frozenset()
    return frozenset(WORD.findall(text)), prefixes


@dataclass
class Cache:
    """What the last build read and pruned: words per file (by size and time), pruned text per stylesheet and used names."""

    words: dict[str, tuple[tuple[int, int], frozenset[str], frozenset[str]]] = field(default_factory=dict)
    pruned: dict[str, str] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # the pruned texts this build used: the only ones saved

    @classmethod
    def load(cls, path: Path) -> Cache:
        """The cache at *path*, or an empty one if it is missing, unreadable or from another version of this module."""
        try:
            saved = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cls()
        if not isinstance(saved, dict) or saved.get("version") != _VERSION:
            return cls()
        return cls(dict(saved["words"]), dict(saved["pruned"]))

    def save(self, path: Path) -> None:
        """Write the cache, keeping the pruned texts this build used (to a temporary file first: a stopped build leaves the old one)."""
        saved = {"version": _VERSION, "words": self.words, "pruned": {k: v for k, v in self.pruned.items() if k in self.touched}}
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(saved))
        tmp.replace(path)


def used_names(files: Iterable[Path], cache: Cache | None = None) -> tuple[frozenset[str], tuple[str, ...]]:
    """Every word of the given HTML and script files, and the class prefixes their scripts build names from."""
    words: set[str] = set()
    prefixes: set[str] = set()
    seen = {}
    for path in files:
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        known = cache.words.get(str(path)) if cache is not None else None
        if known is not None and known[0] == stamp:
            file_words, file_prefixes = known[1], known[2]
        else:
            file_words, file_prefixes = _file_names(path.read_text(encoding="utf-8", errors="replace"), path.suffix == ".js")
        seen[str(path)] = (stamp, file_words, file_prefixes)
        words |= file_words
        prefixes |= file_prefixes
    if cache is not None:
        cache.words = seen  # forget the files that are gone
    return frozenset(words), tuple(sorted(prefixes))


def book_files(outdir: Path) -> list[Path]:
    """The built book's HTML pages, and the scripts a page names (by path or file name), in a stable order."""
    pages = sorted(p for p in outdir.rglob("*.html") if p.is_file() and "_static" not in p.relative_to(outdir).parts)  # not the theme's templates
    scripts = sorted(p for p in outdir.rglob("*.js") if p.is_file())
    named: set[Path] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        named.update(s for s in scripts if s not in named and s.name in text)
    return pages + sorted(named)


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


def prune_css(text: str, used: frozenset[str], prefixes: tuple[str, ...] = (), cache: Cache | None = None) -> str:
    """The stylesheet without the rules no page can match (comments dropped, rules one per line)."""
    key = None
    if cache is not None:  # the result depends only on the text and on which of its names are used
        relevant = sorted(n for n in set(NAME.findall(text)) if n in used or n.startswith(prefixes))
        key = hashlib.sha256("\0".join([text, *prefixes, "", *relevant]).encode()).hexdigest()
        cache.touched.add(key)
        if key in cache.pruned:
            return cache.pruned[key]
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    pruned = "\n".join(tinycss2.serialize([rule]) for rule in _pruned_rules(rules, used, prefixes)) + "\n"
    if cache is not None and key is not None:  # key is set whenever cache is
        cache.pruned[key] = pruned
    return pruned


