"""Guarded sentences: the helpers that let a chapter state what its words rest on, and a chapter
failing, naming its sentence, when the data stops supporting it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from osweek.analysis.prose import UnsupportedClaim, check_claims, join_words, lower_first, plural, sole_leader
from osweek.paths import REPO_ROOT


def test_check_claims_passes_when_every_condition_holds():
    check_claims({"the most frequent": True, "ties": 3 > 2})


def test_check_claims_names_every_failing_sentence_and_only_those():
    with pytest.raises(UnsupportedClaim) as error:
        check_claims({"comes up most": False, "holds": True, "pairs tie": 0})
    message = str(error.value)
    assert "'comes up most'" in message and "'pairs tie'" in message and "holds" not in message


def test_unsupported_claim_fails_like_an_assertion():
    assert issubclass(UnsupportedClaim, AssertionError)


@pytest.mark.parametrize("values, expected", [([3, 2, 1], True), ([3, 3, 1], False), ([5], True), ([], False), ([0, 0], False)])
def test_sole_leader(values, expected):
    assert sole_leader(values) is expected


def test_plural_agrees_with_the_count():
    assert plural(1, "session") == "1 session"
    assert plural(0, "session") == "0 sessions"
    assert plural(2, "country", "countries") == "2 countries"


@pytest.mark.parametrize("items, expected", [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")])
def test_join_words(items, expected):
    assert join_words(items) == expected


def _append_row(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(line + "\n")


def test_chapter_fails_naming_its_sentence_when_the_leading_theme_loses_its_lead(data_copy: Path, monkeypatch):
    """Take the leading theme off enough claims that it no longer leads: the themes chapter says it is 'the theme coded
    most often in the record', so it must fail, naming those words."""
    import csv

    import osweek
    from osweek import analysis

    ds = osweek.load(data_copy)
    counts = analysis.theme_counts(ds)
    top, gap = counts.iloc[0]["theme_id"], int(counts.iloc[0]["statements"] - counts.iloc[1]["statements"])
    coded = analysis.counted(ds).statement_themes
    several = coded.groupby("statement_id")["theme_id"].transform("size") > 1  # each statement keeps a theme: still valid data
    dropped = set(coded[several & (coded["theme_id"] == top)]["statement_id"].head(gap))
    path = data_copy / "statement_themes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if not (r["theme_id"] == top and r["statement_id"] in dropped))
    assert not osweek.validate(data_copy)
    monkeypatch.setenv("OSWEEK_DATA", str(data_copy))
    path = REPO_ROOT / "notebooks" / "03-sovereignty-themes.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="osweek", resources={"metadata": {"path": str(path.parent)}})
    with pytest.raises(CellExecutionError) as error:
        client.execute()
    assert "UnsupportedClaim" in str(error.value)
    assert "'is the theme coded most often in the record'" in str(error.value)


@pytest.mark.parametrize("label, expected", [("Public goods", "public goods"), ("OSPOs as institutions", "OSPOs as institutions"),
                                              ("AI and representation", "AI and representation"), ("Sovereignty and control", "sovereignty and control")])
def test_lower_first_keeps_acronyms(label, expected):
    assert lower_first(label) == expected


def test_the_pages_count_recordings_from_the_data(data_copy):
    """Methods' '{{ recordings }}' follows the sources table: a recording more, and the word changes."""
    import csv

    import osweek
    from osweek.analysis.prose import page_substitutions

    assert page_substitutions(osweek.load(data_copy))["recordings"] == "six"
    path = data_copy / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    table.append({**next(r for r in table if r["kind"] == "transcript"), "source_id": "unwebtv-extra"})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    assert page_substitutions(osweek.load(data_copy))["recordings"] == "seven"
