"""Tests for the data package, its loader and its validator.

Bad inputs are always made on a copy of data/ (the ``data_copy`` fixture). Row numbers are
line numbers in the CSV file, the header being line 1.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import osweek
import osweek.data
from osweek import DataError, load, validate
from osweek.ingest.sources import paragraphs
from osweek.paths import REPO_ROOT, sources_dir

DATA_DIR = REPO_ROOT / "data"
DESCRIPTOR = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}


# --- Editing CSV files ------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    """All lines of a CSV file as lists of cells, header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Write rows (header first) as a CSV file, the way the data package is written."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_row(folder: Path, file: str, match: dict[str, str], changes: dict[str, str]) -> int:
    """Change cells of the first row matching *match*; return its line number."""
    rows = read_csv(folder / file)
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            for field, value in changes.items():
                row[header.index(field)] = value
            write_csv(folder / file, rows)
            return line
    raise LookupError(f"no row of {file} matches {match}")


def edit_line(folder: Path, file: str, startswith: str, edit: Callable[[str], str]) -> int:
    """Rewrite the raw text of the first line starting with *startswith*; return its line number."""
    path = folder / file
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith(startswith))
    lines[line - 1] = edit(lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


def csv_counts(folder: Path) -> dict[str, int]:
    """Rows (lines after the header) in each table's CSV file, counted with the csv module."""
    return {name: len(read_csv(folder / r["path"])) - 1 for name, r in RESOURCES.items()}


# --- Bad inputs: each edits a copy of the package and says where the problem must be reported


@dataclass(frozen=True)
class Expect:
    """Where the problem is: file, row ('-' when no row applies), field (None when none applies), value."""

    file: str
    row: int | str
    field: str | None
    value: str


def missing_table(folder: Path) -> Expect:
    (folder / "themes.csv").unlink()
    return Expect("themes.csv", "-", None, "not found")


def missing_column(folder: Path) -> Expect:
    rows = read_csv(folder / "people.csv")
    drop = rows[0].index("sector")
    write_csv(folder / "people.csv", [row[:drop] + row[drop + 1 :] for row in rows])
    return Expect("people.csv", 1, "sector", "sector")


def unknown_person_in_appearances(folder: Path) -> Expect:
    line = edit_row(folder, "appearances.csv", {"person_id": "jim-zemlin"}, {"person_id": "nobody"})
    return Expect("appearances.csv", line, "person_id", "nobody")


def sector_outside_vocabulary(folder: Path) -> Expect:
    line = edit_row(folder, "organizations.csv", {"org_id": "sta"}, {"sector": "aliens"})
    return Expect("organizations.csv", line, "sector", "aliens")


def duplicate_person(folder: Path) -> Expect:
    rows = read_csv(folder / "people.csv")
    write_csv(folder / "people.csv", rows[:4] + [rows[3]] + rows[4:])
    return Expect("people.csv", 5, "person_id", rows[3][0])


def paragraph_out_of_range(folder: Path) -> Expect:
    line = edit_row(folder, "people.csv", {"person_id": "jim-zemlin"}, {"paragraph": "99"})
    return Expect("people.csv", line, "paragraph", "99")


def empty_summary(folder: Path) -> Expect:
    line = edit_row(folder, "statements.csv", {"statement_id": "st-010"}, {"summary": ""})
    return Expect("statements.csv", line, "summary", "")


def unclosed_quote(folder: Path) -> Expect:
    line = edit_line(folder, "statements.csv", "st-010,", lambda text: text.replace(",explicit,", ',explicit,"', 1))
    return Expect("statements.csv", line, None, 'st-010,ospos-keynotes,,amal-el-fallah-seghrouchni,explicit,"Morocco')


def unclosed_quote_at_end(folder: Path) -> Expect:
    with (folder / "themes.csv").open("a", encoding="utf-8") as handle:
        handle.write('late,"Late theme,never closed\n')
    return Expect("themes.csv", len(read_csv(DATA_DIR / "themes.csv")) + 1, None, 'late,"Late theme')


def extra_cells(folder: Path) -> Expect:
    line = edit_line(folder, "themes.csv", "ai,", lambda text: text + ",surplus")
    return Expect("themes.csv", line, None, "surplus")


def latin1_name(folder: Path) -> Expect:
    path = folder / "people.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Bastien Guerry", b"Bastien Gu\xe9rry"))
    line = data[: data.index(b"Bastien Guerry")].count(b"\n") + 1
    return Expect("people.csv", line, "name", r"Bastien Gu\xe9rry")


def speaker_not_in_session(folder: Path) -> Expect:
    # Jim Zemlin is a real person (a keynote speaker) but not on this panel.
    line = edit_row(folder, "statements.csv", {"statement_id": "st-018"}, {"person_id": "jim-zemlin"})
    return Expect("statements.csv", line, "person_id", "jim-zemlin")


BAD_INPUTS = [
    missing_table,
    missing_column,
    unknown_person_in_appearances,
    sector_outside_vocabulary,
    duplicate_person,
    paragraph_out_of_range,
    empty_summary,
    unclosed_quote,
    unclosed_quote_at_end,
    extra_cells,
    latin1_name,
    speaker_not_in_session,
]

# The bad inputs the loader itself must refuse (the others are for the validator alone).
UNREADABLE = [missing_table, missing_column, sector_outside_vocabulary, unclosed_quote, unclosed_quote_at_end, extra_cells, latin1_name]


def problem_lines(stderr: str) -> list[str]:
    """The problem lines of the validator's error output (without its closing count)."""
    return [line for line in stderr.splitlines() if line and not line.startswith("invalid:")]


def assert_reported(message: str, expect: Expect) -> None:
    """The message names the expected file, row, field and value."""
    assert message.startswith(f"{expect.file}:{expect.row}: "), message
    if expect.field is None:
        assert expect.value in message, message
    else:
        assert f"field '{expect.field}' = '{expect.value}'" in message, message


# --- 1. The shipped data --------------------------------------------------------------------


def test_shipped_data_validates(osweek_cli):
    result = osweek_cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    for name, count in csv_counts(DATA_DIR).items():
        assert re.search(rf"\b{name} {count}\b", lines[0]), f"summary does not give {name} {count}: {lines[0]}"


def test_shipped_data_validates_in_process():
    assert validate() == []


# --- 2. Bad input: the command line says where, and exits 1 ---------------------------------


@pytest.mark.parametrize("make_bad", BAD_INPUTS, ids=[f.__name__ for f in BAD_INPUTS])
def test_cli_reports_bad_input(make_bad, data_copy, osweek_cli):
    expect = make_bad(data_copy)
    result = osweek_cli("validate", data_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    problems = problem_lines(result.stderr)
    assert problems, result.stderr
    matching = [p for p in problems if p.startswith(f"{expect.file}:{expect.row}: ")]
    assert matching, f"nothing reported at {expect.file}:{expect.row}:\n{result.stderr}"
    assert_reported(matching[0], expect)
    assert all(p.startswith(f"{expect.file}:") for p in problems), f"other files blamed:\n{result.stderr}"
    assert result.stderr.splitlines()[-1] == f"invalid: {len(problems)} problem(s)"


@pytest.mark.parametrize("make_bad", BAD_INPUTS, ids=[f.__name__ for f in BAD_INPUTS])
def test_validate_returns_problem_for_bad_input(make_bad, data_copy):
    expect = make_bad(data_copy)
    problems = validate(data_copy)
    assert any(
        (p.file, p.row, p.field if expect.field else None) == (expect.file, expect.row, expect.field)
        for p in problems
    ), problems


def broken_descriptor(kind: str, folder: Path) -> None:
    """Break datapackage.json in *folder* in one of three ways."""
    path = folder / "datapackage.json"
    if kind == "missing":
        path.unlink()
    elif kind == "not JSON":
        path.write_text(path.read_text(encoding="utf-8")[:-10], encoding="utf-8")
    else:  # a resource without a path
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        del descriptor["resources"][0]["path"]
        path.write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.mark.parametrize("kind", ["missing", "not JSON", "resource without path"])
def test_broken_descriptor_is_reported_not_raised(kind, data_copy):
    broken_descriptor(kind, data_copy)
    problems = validate(data_copy)
    assert [p.file for p in problems] == ["datapackage.json"]
    with pytest.raises(DataError, match="^datapackage.json:"):
        load(data_copy)


def test_cli_on_a_folder_without_a_package(tmp_path, osweek_cli):
    result = osweek_cli("validate", tmp_path / "nowhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("datapackage.json:")


# --- 3. Rules a schema cannot say ------------------------------------------------------------


def only_problem(folder: Path) -> tuple:
    """The single problem validate() finds, as (file, row, field, value)."""
    problems = validate(folder)
    assert len(problems) == 1, "\n".join(map(str, problems))
    p = problems[0]
    return p.file, p.row, p.field, p.value


def test_second_moderator_in_an_event_is_rejected(data_copy):
    match = {"person_id": "adriana-groh", "event_id": "panel-connected-world"}
    line = edit_row(data_copy, "appearances.csv", match, {"role": "moderator"})
    assert only_problem(data_copy) == ("appearances.csv", line, "role", "moderator")


def test_person_without_organization_cannot_be_government(data_copy):
    line = edit_row(data_copy, "people.csv", {"person_id": "ruth-suehle"}, {"sector": "government"})
    assert only_problem(data_copy) == ("people.csv", line, "sector", "government")


def test_person_sector_must_match_their_organization(data_copy):
    line = edit_row(data_copy, "people.csv", {"person_id": "jim-zemlin"}, {"sector": "industry"})
    assert only_problem(data_copy) == ("people.csv", line, "sector", "industry")


def test_person_with_organization_cannot_have_unknown_basis(data_copy):
    line = edit_row(data_copy, "people.csv", {"person_id": "jim-zemlin"}, {"affiliation_basis": "unknown"})
    assert only_problem(data_copy) == ("people.csv", line, "affiliation_basis", "unknown")


def test_event_after_its_account_cannot_be_reported(data_copy):
    line = edit_row(data_copy, "events.csv", {"event_id": "community-day"}, {"status": "reported"})
    assert only_problem(data_copy) == ("events.csv", line, "status", "reported")


def test_event_before_its_account_cannot_be_anticipated(data_copy):
    line = edit_row(data_copy, "events.csv", {"event_id": "chaoss-breakfast"}, {"status": "anticipated"})
    assert only_problem(data_copy) == ("events.csv", line, "status", "anticipated")


def test_only_outside_events_are_referenced(data_copy):
    line = edit_row(data_copy, "events.csv", {"event_id": "maintainathon"}, {"status": "referenced"})
    assert only_problem(data_copy) == ("events.csv", line, "status", "referenced")


def test_cli_names_file_row_field_and_value_for_a_bad_status(data_copy, osweek_cli):
    line = edit_row(data_copy, "events.csv", {"event_id": "community-day"}, {"status": "reported"})
    result = osweek_cli("validate", str(data_copy))
    assert result.returncode == 1
    assert f"events.csv:{line}: field 'status' = 'reported'" in result.stderr


def test_external_basis_needs_its_reference(data_copy):
    line = edit_row(data_copy, "organizations.csv", {"org_id": "linux-foundation"}, {"sector_ref": ""})
    assert only_problem(data_copy) == ("organizations.csv", line, "sector_ref", "")


# --- 4. Provenance: names, titles and summaries against the source text ------------------------


def normalise(text: str) -> str:
    """Typographic apostrophes become straight ones."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


@pytest.fixture(scope="module")
def cited() -> Callable[[str, int], str]:
    """Look up paragraph n (the n-th non-blank line) of a source's text, apostrophes normalised."""
    return paragraph_reader()


def paragraph_reader() -> Callable[[str, int], str]:
    """paragraph(source_id, n): the n-th non-blank line of a source's text; skips the test when the sources are absent."""
    folder = sources_dir()
    if folder is None:
        pytest.skip("the shared sources folder (../shared/sources or $OSWEEK_SOURCES) is absent, so provenance cannot be checked")
    texts = {source.source_id: [normalise(line) for line in paragraphs(folder / source.file)] for source in load().sources.itertuples()}
    return lambda source_id, paragraph: texts[source_id][paragraph - 1]


def rows_not_found(table: pd.DataFrame, columns: list[str], cited) -> list[str]:
    """Rows none of whose *columns* appear (verbatim) in their cited paragraph."""
    missing = []
    for index, row in table[table["paragraph"].notna()].iterrows():  # texts; a card or a recording is checked by the validator
        names = [normalise(row[c]) for c in columns if pd.notna(row[c])]
        if not any(name in cited(row["source_id"], row["paragraph"]) for name in names):
            missing.append(f"line {index + 2}: {names} not in paragraph {row['paragraph']}")
    return missing


def test_people_names_appear_in_cited_paragraph(cited):
    assert rows_not_found(load().people, ["name"], cited) == []


def test_organization_names_appear_in_cited_paragraph(cited):
    assert rows_not_found(load().organizations, ["name", "short_name"], cited) == []


def test_people_and_organizations_are_named_in_their_further_citations(cited):
    ds = load()
    if "citations" not in ds:
        pytest.skip("this version of the package has no citations table")
    names = {
        "people": ds.people.assign(variants=ds.people["name_variants"].str.split(";")).set_index("person_id")[["name", "variants"]],
        "organizations": ds.organizations.set_index("org_id")[["name", "short_name"]],
    }
    missing = []
    for index, row in ds.citations[ds.citations["paragraph"].notna()].iterrows():
        if row["table"] in names:
            record = names[row["table"]].loc[row["record_id"]].dropna()
            spellings = [n for value in record for n in (value if isinstance(value, list) else [value])]
            if not any(normalise(name) in cited(row["source_id"], row["paragraph"]) for name in spellings):
                missing.append(f"citations.csv line {index + 2}: {list(record)} not in paragraph {row['paragraph']}")
    assert missing == []


def test_stated_event_titles_appear_in_cited_paragraph(cited):
    events = load().events
    stated = events[events["title_basis"] == "stated"]
    assert len(stated) > 0
    assert rows_not_found(stated, ["title"], cited) == []


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and apostrophes stripped."""
    return re.findall(r"[a-z0-9]+", normalise(text).lower().replace("'", ""))


def runs(text: str, n: int) -> set[tuple[str, ...]]:
    """Every run of n consecutive words in text."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def test_runs_catch_a_copied_sentence():
    paragraph = "Open source is strategic and critical in today’s geopolitical environment, but adoption lags."
    assert runs("Open source is strategic and critical in todays geopolitical situation.", 8) & runs(paragraph, 8)
    assert not runs("Given today's geopolitics, open source is both strategic and critical.", 8) & runs(paragraph, 8)


def facts_as_written() -> set[tuple[str, ...]]:
    """Runs of 8 words that belong to names and titles, which are facts kept as written."""
    ds = load()
    texts = [*ds.events["title"], *ds.people["title"].dropna(), *ds.organizations["name"], *ds.sources["title"],
             *ds.affiliations["title"].dropna(), *ds.programme_sessions["title"]]
    return set().union(*(runs(t, 8) for t in texts))


def account_runs(cited) -> set[tuple[str, ...]]:
    """Every run of 8 words in the accounts' texts, names and titles left out."""
    ds = load()
    every = set()
    for source in ds.sources[ds.sources["pointer"] == "paragraph"].itertuples():
        for paragraph in range(1, source.paragraph_count + 1):
            every |= runs(cited(source.source_id, paragraph), 8)
    return every - facts_as_written()


@pytest.mark.parametrize(("table", "columns"), [
    ("ospo_case_studies", ["host", "funding", "sustainability_model", "remit", "strategic_alignment", "partnerships", "purpose"]),
    ("events", ["notes"]), ("people", ["notes"]), ("organizations", ["notes"]), ("days", ["theme_description", "notes"]),
])
def test_descriptions_and_notes_are_paraphrased(cited, table, columns):
    copied = account_runs(cited)
    found = [(getattr(row, columns[0]), column) for row in load()[table].itertuples() for column in columns
             if isinstance(getattr(row, column), str) and runs(getattr(row, column), 8) & copied]
    assert found == [], f"{table}: text that repeats 8 or more consecutive words of an account: {found}"


@pytest.mark.parametrize(("table", "key"), [("statements", "statement_id"), ("ospo_focus_areas", "focus_id")])
def test_summaries_are_paraphrased(cited, table, key):
    copied = []
    for row in load()[table].itertuples():
        if pd.isna(row.paragraph):  # a recording's statement: see test_recorded_statements_are_paraphrased
            continue
        shared = runs(row.summary, 8) & runs(cited(row.source_id, row.paragraph), 8)
        if shared:
            copied.append(f"{getattr(row, key)}: copies {' '.join(sorted(shared)[0])!r}")
    assert copied == []


def test_recorded_statements_are_paraphrased():
    """No statement from a recording repeats 6 words in a row of what was said in the two minutes around its time."""
    from osweek.ingest import sources as src

    folder = sources_dir()
    if folder is None:
        pytest.skip("the shared sources folder is absent")
    ds = load()
    files = ds.sources.set_index("source_id")["file"]
    timed = ds.statements[ds.statements["time"].notna()]
    assert len(timed) > 200
    copied = []
    for row in timed.itertuples():
        said = src.heard_near(folder / files[row.source_id], row.time, 120)
        shared = runs(row.summary, 6) & runs(said, 6) - facts_as_written()
        if shared:
            copied.append(f"{row.statement_id}: copies {' '.join(sorted(shared)[0])!r}")
    assert copied == []


# --- 5. The loader ---------------------------------------------------------------------------


def expected_dtype_ok(series: pd.Series, field: dict) -> bool:
    """Whether a loaded column has the dtype documented for its Table Schema field."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return isinstance(series.dtype, pd.CategoricalDtype) and list(series.cat.categories) == enum
    kind = field.get("type", "string")
    if kind == "integer":
        return series.dtype == "Int64"
    if kind == "date":
        return pd.api.types.is_datetime64_dtype(series.dtype)
    if kind == "boolean":
        return series.dtype == "boolean"
    return isinstance(series.dtype, pd.StringDtype)


@pytest.mark.parametrize("name", list(RESOURCES))
def test_loaded_columns_have_documented_dtypes(name):
    table = load()[name]
    fields = RESOURCES[name]["schema"]["fields"]
    assert list(table.columns) == [f["name"] for f in fields]
    wrong = {f["name"]: str(table[f["name"]].dtype) for f in fields if not expected_dtype_ok(table[f["name"]], f)}
    assert wrong == {}


def test_loaded_values_keep_their_text():
    people = load().people.set_index("person_id")
    assert people.loc["jim-zemlin", "name"] == "Jim Zemlin"
    assert people.loc["jim-zemlin", "paragraph"] == 12
    assert pd.isna(people.loc["brian-behlendorf", "organization_id"])  # no source names an organization for him
    assert people.loc["ruth-suehle", "organization_id"] == "asf"  # the card and the recording do; the first account does not
    assert load().days["date"].min() == pd.Timestamp("2026-06-22")


def test_loaded_counts_match_csv_rows():
    ds = load()
    assert ds.counts() == csv_counts(DATA_DIR)
    assert {name: len(ds[name]) for name in ds} == csv_counts(DATA_DIR)


def test_tables_by_attribute_and_by_name():
    ds = load()
    assert set(ds) == set(RESOURCES)
    pd.testing.assert_frame_equal(ds.people, ds["people"])
    with pytest.raises(AttributeError):
        ds.no_such_table  # noqa: B018
    with pytest.raises(KeyError):
        ds["no_such_table"]


def test_changing_a_returned_table_does_not_change_the_dataset():
    ds = load()
    before = ds.people.copy(deep=True)  # a snapshot, whatever ds.people returns
    people = ds.people
    people.loc[people.index[0], "name"] = "Changed"
    people["paragraph"] += 100
    people["sector"] = people["sector"].cat.rename_categories(lambda c: c.upper())
    people.drop(index=people.index[-1], inplace=True)
    for again in (ds.people, ds["people"], load().people):
        pd.testing.assert_frame_equal(again, before)
    assert ds.people.loc[0, "name"] == read_csv(DATA_DIR / "people.csv")[1][1]


def test_dataset_cannot_be_reassigned():
    ds = load()
    with pytest.raises(TypeError):
        ds["people"] = ds.people  # type: ignore[index]
    with pytest.raises(AttributeError):
        ds.people = ds.people  # type: ignore[misc]


def test_load_sees_an_edited_copy(data_copy):
    assert load(data_copy).people.set_index("person_id").loc["jim-zemlin", "name"] == "Jim Zemlin"
    edit_row(data_copy, "people.csv", {"person_id": "jim-zemlin"}, {"name": "James Zemlin"})
    assert load(data_copy).people.set_index("person_id").loc["jim-zemlin", "name"] == "James Zemlin"


@pytest.mark.parametrize("where", ["repo root", "notebooks or elsewhere"])
def test_load_from_another_working_directory(where, tmp_path, monkeypatch):
    notebooks = REPO_ROOT / "notebooks"
    cwd = REPO_ROOT if where == "repo root" else notebooks if notebooks.is_dir() else tmp_path
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("OSWEEK_DATA", raising=False)
    osweek.data._load.cache_clear()  # load afresh from this directory, not from an earlier call's cache
    ds = load()
    assert ds.folder == DATA_DIR
    assert ds.counts() == csv_counts(DATA_DIR)


def test_load_in_a_fresh_interpreter_from_another_directory(tmp_path):
    code = "import json, osweek; ds = osweek.load(); print(json.dumps([str(ds.folder), ds.counts()]))"
    env = {"PATH": "/usr/bin:/bin"}  # no $OSWEEK_DATA, no $PYTHONPATH: the installed package finds its data
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    folder, counts = json.loads(result.stdout)
    assert Path(folder) == DATA_DIR
    assert counts == csv_counts(DATA_DIR)


@pytest.mark.parametrize("make_bad", UNREADABLE, ids=[f.__name__ for f in UNREADABLE])
def test_load_refuses_unreadable_copy(make_bad, data_copy):
    expect = make_bad(data_copy)
    with pytest.raises(DataError) as raised:
        load(data_copy)
    assert_reported(str(raised.value), expect)
    assert raised.value.problem.file == expect.file


def test_load_refuses_a_non_integer_paragraph(data_copy):
    line = edit_row(data_copy, "people.csv", {"person_id": "jim-zemlin"}, {"paragraph": "12.5"})
    with pytest.raises(DataError, match=rf"^people\.csv:{line}: field 'paragraph' = '12\.5'"):
        load(data_copy)


def test_load_of_a_folder_without_a_package(tmp_path):
    with pytest.raises(DataError, match="datapackage.json"):
        load(tmp_path)


# --- 6. Sources, references and bases ------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, r in RESOURCES.items() if any(f["name"] == "paragraph" for f in r["schema"]["fields"])])
def test_every_cited_paragraph_names_its_source(name):
    table = load()[name]
    assert "source_id" in table
    assert table["source_id"].notna().all()
    pointers = [c for c in ("paragraph", "entry", "time") if c in table]
    assert (table[pointers].notna().sum(axis=1) == 1).all(), f"{name}: a row without exactly one pointer"
    assert set(table["source_id"]) <= set(load().sources["source_id"])


def test_every_reference_column_resolves_to_a_reference_or_a_source(data_copy):
    """An X_ref may name an outside reference or one of the sources; the validator checks each such column."""
    ds = load()
    known = set(ds.references["reference_id"]) | set(ds.sources["source_id"])
    checked = []
    for name, resource in RESOURCES.items():
        for field in resource["schema"]["fields"]:
            column = field["name"]
            if column.endswith("_ref") or (column == "reference_id" and name != "references"):
                checked.append((name, column))
                assert set(ds[name][column].dropna()) <= known, (name, column)
    assert ("events", "date_ref") in checked and ("days", "reference_id") in checked
    line = edit_row(data_copy, "events.csv", {"event_id": "maintainathon"}, {"date_ref": "nowhere"})
    assert only_problem(data_copy) == ("events.csv", line, "date_ref", "nowhere")


def test_every_foreign_key_resolves():
    ds = load()
    dangling = []
    for name, resource in RESOURCES.items():
        for fk in resource["schema"].get("foreignKeys", []):
            values = ds[name][fk["fields"]].dropna()
            targets = set(ds[fk["reference"]["resource"]][fk["reference"]["fields"]])
            dangling += [f"{name}.{fk['fields']} = {v!r}" for v in values if v not in targets]
    assert dangling == []


def test_unknown_affiliation_means_no_organization_and_unknown_sector():
    people = load().people
    unknown = people[people["affiliation_basis"] == "unknown"]
    assert len(unknown) > 0
    assert unknown["organization_id"].isna().all()
    assert (unknown["sector"] == "unknown").all()
    assert (people[people["organization_id"].isna()]["affiliation_basis"] == "unknown").all()


def test_evidence_index_does_not_copy_the_account():
    """Summaries listed one after another on the evidence page must not rebuild a run of 8 words of the account."""
    from osweek import analysis

    copied = account_runs(paragraph_reader())
    # a source's public address and the HTML around the items are not sentences: leave them out of the words compared
    prose = lambda line: re.sub(r"<[^>]+>", " ", re.sub(r"https?://\S+?(?=[\"<\s]|$)", " ", line)).replace("\\", "")  # noqa: E731
    lines = [line for line in analysis.evidence_markdown(load()).splitlines() if runs(prose(line), 8) & copied]
    assert lines == [], lines


@pytest.mark.parametrize("target, expected", [
    ("st-k12-012", "is by 'bernardo-mariano-junior', not by 'angellah-kairuki'"),  # another speaker of the same keynotes
    ("st-009", "is from the same source"),                                         # the account's own statement
    ("st-k13-001", "is in 'sess-2026-063', not in 'sess-2026-066'"),               # her keynote of another day
])
def test_the_same_claim_must_be_by_the_same_speaker_in_the_same_session_from_another_source(data_copy, target, expected):
    line = edit_row(data_copy, "statements.csv", {"statement_id": "st-011"}, {"same_claim_as": target})
    problems = [str(p) for p in validate(data_copy)]
    assert any(f"statements.csv:{line}: field 'same_claim_as' = '{target}'" in p and expected in p for p in problems), problems
