"""The notebook execution cache is dropped when what notebooks read (osweek, data) changes."""

from __future__ import annotations

from pathlib import Path

from osweek.build import execute


def test_cache_kept_while_inputs_are_unchanged(tmp_path: Path) -> None:
    cache = tmp_path / ".jupyter_cache"
    assert execute.drop_stale_cache(cache) is False  # first run: nothing to drop, stamp written
    (cache / "global.db").write_text("outputs")
    assert execute.drop_stale_cache(cache) is False
    assert (cache / "global.db").exists()


def test_cache_dropped_when_inputs_change(tmp_path: Path) -> None:
    cache = tmp_path / ".jupyter_cache"
    cache.mkdir()
    (cache / execute.STAMP).write_text("fingerprint of an older osweek or data package")
    (cache / "global.db").write_text("stale outputs")
    assert execute.drop_stale_cache(cache) is True
    assert not (cache / "global.db").exists()
    assert (cache / execute.STAMP).read_text() == execute.inputs_fingerprint()


def test_fingerprint_covers_code_and_data(tmp_path: Path, monkeypatch) -> None:
    for folder in ("osweek/build/static", "data", "notebooks"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "osweek" / "charts.py").write_text("COLOUR = 'blue'\n")
    (tmp_path / "osweek" / "build" / "static" / "book.css").write_text("a {}\n")
    (tmp_path / "data" / "people.csv").write_text("person_id\nada\n")
    monkeypatch.setattr(execute, "REPO_ROOT", tmp_path)
    monkeypatch.setenv("OSWEEK_DATA", str(tmp_path / "data"))  # the package the notebooks read
    original = execute.inputs_fingerprint()
    (tmp_path / "notebooks" / "note.md").write_text("not read by notebooks")
    assert execute.inputs_fingerprint() == original
    (tmp_path / "data" / "people.csv").write_text("person_id\nada\ngrace\n")
    after_data = execute.inputs_fingerprint()
    assert after_data != original
    (tmp_path / "osweek" / "charts.py").write_text("COLOUR = 'green'\n")
    assert execute.inputs_fingerprint() not in (original, after_data)


def test_a_notebook_counts_as_changed_when_its_code_does(tmp_path: Path, monkeypatch) -> None:
    """The execution step skips jupyter-cache only while every notebook's code is as last executed: a touched file or a
    Markdown edit changes nothing to run, a code cell or its tags does."""
    import json

    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01-chapter.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# A chapter\n"},
             {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": "x = 1\n", "outputs": [], "execution_count": None}]
    write = lambda: path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))  # noqa: E731
    write()
    monkeypatch.setattr(execute, "REPO_ROOT", tmp_path)
    original = execute.notebook_codes()
    cells[0]["source"] = "# A chapter, retitled\n"
    write()
    assert execute.notebook_codes() == original
    cells[1]["metadata"] = {"tags": ["hide-input"]}
    write()
    tagged = execute.notebook_codes()
    assert tagged != original
    cells[1]["source"] = "x = 2\n"
    write()
    assert execute.notebook_codes() not in (original, tagged)
