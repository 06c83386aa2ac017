"""Helpers for the chapters: glue computed values into the prose."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# CommonMark lets a backslash escape any ASCII punctuation: data text can never become markup.
_MARKUP = re.compile(r"([!-/:-@\[-`{-~])")
# A line break in a value could end the paragraph or table row it sits in, or indent a code block.
_BREAK = re.compile(r"\s*[\r\n]\s*")


def md_escape(text: object) -> str:
    """Escape *text* for MyST Markdown so that it shows literally (no roles, links, HTML or emphasis), on one line."""
    return _MARKUP.sub(r"\\\1", _BREAK.sub(" ", str(text)).strip())


def glue_values(values: Mapping[str, object]) -> None:
    """Glue each value for the prose: numbers as numbers ({glue:text}), strings as Markdown ({glue:md}), escaped."""
    from IPython.display import Markdown
    from myst_nb import glue

    for key, value in values.items():
        glue(key, Markdown(md_escape(value)) if isinstance(value, str) else value, display=False)


def _constraints(field: dict) -> str:
    """A short reading of a Table Schema field's constraints."""
    c = field.get("constraints", {})
    parts = ["required" if c.get("required") else "optional"]
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`".replace("|", "\\|"))  # a bare | would end the table cell
    if "minimum" in c:
        parts.append(f"at least {c['minimum']}")
    return "; ".join(parts)


SECTION_CLASS = "osweek-section"  # a part of a long generated page; the stylesheet lays out only those near the screen


def data_dictionary_markdown(descriptor: dict, counts: Mapping[str, int], data_path: str = "../data") -> str:
    """The data dictionary as MyST Markdown, generated from datapackage.json, with a download link per table."""
    lines = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        keys = ", ".join(f"`{k}`" for k in schema.get("primaryKey", []))
        key_text = f"primary key {keys}" if keys else "no primary key (the validator rejects a repeated row)"
        lines += [
            f'<div class="{SECTION_CLASS}">',  # each table's part in an element of its own, opened and closed by HTML blocks
            "",
            f"### {md_escape(resource.get('title', resource['name']))}",
            "",
            f"{md_escape(resource.get('description', ''))} {plural(counts.get(resource['name'], 0), 'row')}; {key_text}. "
            f"{{download}}`Download {resource['path']} <{data_path}/{resource['path']}>`",
            "",
            "| field | type | constraints | description |",
            "| --- | --- | --- | --- |",
        ]
        for field in schema["fields"]:
            lines.append(f"| `{field['name']}` | {field.get('type', 'string')} | {_constraints(field)} | {md_escape(field.get('description', ''))} |")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            lines.append("")
            lines.append(f"- `{fk['fields']}` refers to `{ref['resource']}.{ref['fields']}`")
        lines += ["", "</div>", ""]
    return "\n".join(lines)


# -- Guarded sentences ------------------------------------------------------------------------
# Numbers in the prose are glued. Words that rest on the data (most, only, all, ties, plurals) are
# guarded: the cell that glues a chapter's values also states, keyed by the words of the sentence
# that rely on it, each condition the prose needs. tests/test_notebooks.py checks that every key
# is found in the chapter's Markdown and that every sentence with a comparative carries a guard.


class UnsupportedClaim(AssertionError):
    """The data no longer supports a sentence of the book."""


def check_claims(claims: Mapping[str, object]) -> None:
    """Raise UnsupportedClaim naming every sentence (key) whose condition (value) is false."""
    failed = [sentence for sentence, holds in claims.items() if not bool(holds)]
    if failed:
        raise UnsupportedClaim(
            "The data no longer supports these words of the chapter; rewrite them or fix the data: "
            + "; ".join(repr(s) for s in failed)
        )


def sole_leader(values: Iterable[float]) -> bool:
    """True if the largest value occurs once (so 'the most' names one thing, not a tie)."""
    ordered = sorted(values, reverse=True)
    return len(ordered) == 1 or (len(ordered) > 1 and ordered[0] > ordered[1])


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 session' / '3 sessions': the noun agrees with the count (pass the plural for irregular nouns)."""
    return f"{n} {singular if n == 1 else plural_form or singular + 's'}"


def lower_first(label: str) -> str:
    """A label to use inside a sentence: 'Public goods' -> 'public goods', but 'OSPOs as institutions' keeps its acronym."""
    first = label.split(" ", 1)[0]
    return label if sum(c.isupper() for c in first) > 1 else label[:1].lower() + label[1:]


NUMBER_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def number_word(n: int) -> str:
    """The word for n up to twelve (house style for small counts in running text), else its digits."""
    return NUMBER_NAMES[n] if 0 <= n < len(NUMBER_NAMES) else str(n)


def page_substitutions(ds: object) -> dict[str, str]:
    """Counts the Markdown pages state, from the data and the rules: {{ recordings }} (recordings in the sources table) and
    {{ long_session }} (the hours above which a session is not counted as parallel), in words."""
    from .programme import LONG_SESSION

    kinds = ds.sources["kind"].astype("string").value_counts()
    return {"recordings": number_word(int(kinds.get("transcript", 0))),
            "long_session": number_word(int(LONG_SESSION.total_seconds() // 3600))}  # the parallel rule's cut-off


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def chart_list_html(catalogue: object) -> str:
    """The book's charts as an HTML table: title, chapter, view (whole record or first account), and links to its CSV and JSON files."""
    import html

    rows = []
    for r in catalogue.itertuples():  # type: ignore[attr-defined]
        e = html.escape
        rows.append(
            f'<tr><td><a href="{e(r.chapter)}.html#figure-{e(r.chart)}">{e(r.title)}</a></td><td>{e(r.chapter)}</td>'
            f'<td>{e(getattr(r, "view", ""))}</td>'
            f'<td><a href="../{e(r.csv)}">{e(r.csv)}</a></td><td><a href="../{e(r.json)}">{e(r.json)}</a></td></tr>'
        )
    return (
        '<div class="osweek-table-wrap" tabindex="0" role="region" aria-label="Every chart of the book and its data files">'
        '<table class="osweek-table table"><caption>Every chart of the book and its data files</caption>'
        '<thead><tr><th scope="col">Chart (its finding)</th><th scope="col">Chapter</th><th scope="col">View</th><th scope="col">Data (CSV)</th>'
        '<th scope="col">About the chart (JSON)</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )
