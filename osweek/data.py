"""Load the data package into typed, read-only pandas tables."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import data_dir as _data_dir

DESCRIPTOR = "datapackage.json"
FIRST_ACCOUNT = "foster2026"  # the attendee's account the book began from; its view is compared with the record


@dataclass(frozen=True)
class Problem:
    """One problem in one cell: file, row (the line in the CSV file), field, value, reason."""

    file: str
    row: int | str
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: field '{self.field}' = '{self.value}': {self.reason}"


class DataError(ValueError):
    """The data package cannot be read; the message names file, row, field and value."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_descriptor(folder: Path) -> dict:
    """Read and parse datapackage.json in *folder*, checking each resource names its file and fields."""
    path = folder / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem(DESCRIPTOR, "-", "-", "", f"not found in {folder}")) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(Problem(DESCRIPTOR, "-", "-", "", f"not valid JSON: {error}")) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for number, resource in enumerate(resources if isinstance(resources, list) else [None]):
        if not _resource_ok(resource):
            reason = "needs a name, a path and schema fields"
            raise DataError(Problem(DESCRIPTOR, "-", f"resources[{number}]", str(resource)[:60], reason))
    return descriptor


def _resource_ok(resource: object) -> bool:
    """Whether a descriptor's resource has the name, path and schema fields the loader needs."""
    return (
        isinstance(resource, dict)
        and isinstance(resource.get("name"), str)
        and isinstance(resource.get("path"), str)
        and isinstance(resource.get("schema"), dict)
        and isinstance(resource["schema"].get("fields"), list)
    )


def _bad_byte(name: str, data: bytes, position: int) -> Problem:
    """Describe the line, field and value holding a byte that is not UTF-8 (shown as a \\xNN escape)."""
    lines = data.decode("utf-8", errors="backslashreplace").split("\n")
    line, marker = data[:position].count(b"\n") + 1, f"\\x{data[position]:02x}"
    header, cells = (next(csv.reader([text]), []) for text in (lines[0], lines[line - 1]))
    column = next((i for i, cell in enumerate(cells) if marker in cell), None)
    reason = f"not UTF-8 (byte 0x{data[position]:02x})"
    if column is None:
        return Problem(name, line, "-", lines[line - 1].rstrip("\r")[:80], reason)
    field = header[column] if line > 1 and column < len(header) else "-"
    return Problem(name, line, field, cells[column][:80], reason)


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a UTF-8 CSV file into its header and rows of strings."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise DataError(Problem(path.name, "-", "-", "", f"file not found (declared in {DESCRIPTOR})")) from None
    except UnicodeDecodeError as error:
        raise DataError(_bad_byte(path.name, data, error.start)) from None
    lines, rows, start = text.split("\n"), [], 1
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as error:
        raise DataError(Problem(path.name, start, "-", lines[start - 1].rstrip("\r")[:80], f"malformed CSV: {error}")) from None
    if not rows:
        raise DataError(Problem(path.name, 1, "-", "", "empty file: no header"))
    return rows[0], rows[1:]


def _typed_column(values: pd.Series, field: dict, file: str) -> pd.Series:
    """Convert one column of strings to the type its Table Schema field declares."""
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    missing = values.eq("")
    if enum:
        bad = values[~missing & ~values.isin(enum)]
        converted = pd.Series(pd.Categorical(values.mask(missing), categories=enum), index=values.index)
    elif kind == "integer":
        whole = values.str.fullmatch(r"[+-]?[0-9]+").astype(bool)
        converted = pd.to_numeric(values.where(whole), errors="coerce").astype("Int64")
        bad = values[~missing & ~whole]
    elif kind == "date":
        converted = pd.to_datetime(values.mask(missing), format="%Y-%m-%d", errors="coerce")
        bad = values[~missing & converted.isna()]
    elif kind == "boolean":
        converted = values.map({"true": True, "false": False}).astype("boolean")
        bad = values[~missing & converted.isna()]
    else:
        return values.mask(missing).astype("string")
    if not bad.empty:
        row, value = bad.index[0], bad.iloc[0]
        raise DataError(Problem(file, row + 2, field["name"], value, f"not a valid {kind if not enum else 'choice'}"))
    return converted


def read_raw(folder: Path, resource: dict) -> pd.DataFrame:
    """Read one resource as strings, checking its header has the schema's columns and every row has its cells."""
    path = folder / resource["path"]
    header, rows = read_rows(path)
    names = [f["name"] for f in resource["schema"]["fields"]]
    if missing := next((n for n in names if n not in header), None):
        raise DataError(Problem(path.name, 1, missing, missing, "column missing from the header"))
    if extra := next((n for n in header if n not in names), None):
        raise DataError(Problem(path.name, 1, extra, extra, "column not in the schema"))
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            cells = row[len(header) :] if len(row) > len(header) else row
            reason = f"has {len(row)} cells, header has {len(header)}"
            raise DataError(Problem(path.name, number, "-", ",".join(cells)[:80], reason))
    return pd.DataFrame(rows, columns=header, dtype="string").fillna("")


def read_table(folder: Path, resource: dict) -> pd.DataFrame:
    """Read one resource of the package as a typed DataFrame."""
    raw, file, fields = read_raw(folder, resource), Path(resource["path"]).name, resource["schema"]["fields"]
    return pd.DataFrame({f["name"]: _typed_column(raw[f["name"]], f, file) for f in fields}, index=raw.index)


@dataclass(frozen=True)
class Dataset(Mapping):
    """A read-only view of the data package: one typed DataFrame per table.

    Tables are reached as ``ds["people"]`` or ``ds.people``. Each access returns a
    fresh copy (the tables are small), so changing it never changes the dataset.
    """

    folder: Path
    _descriptor: dict
    _tables: Mapping[str, pd.DataFrame]

    @property
    def descriptor(self) -> dict:
        """The package descriptor (datapackage.json), as a fresh copy."""
        return copy.deepcopy(self._descriptor)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._tables[name].copy(deep=True)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self._tables:
            raise AttributeError(name)
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def path(self, name: str) -> Path:
        """Return the CSV file behind table *name*."""
        resource = next(r for r in self._descriptor["resources"] if r["name"] == name)
        return self.folder / resource["path"]

    def descriptor_schema(self, name: str) -> dict:
        """Return the Table Schema of table *name*."""
        return copy.deepcopy(next(r for r in self._descriptor["resources"] if r["name"] == name)["schema"])

    def restricted_to(self, *source_ids: str) -> Dataset:
        """The dataset as these sources alone record it: their rows of every cited table, the rest unchanged.

        A row belongs to the source it cites (``source_id``); statement themes follow their statements.
        Tables that cite no source (the programme's, the codebook, references) are kept whole.
        """
        unknown = set(source_ids) - set(self._tables["sources"]["source_id"])
        if unknown:
            raise KeyError(f"no such source: {', '.join(sorted(unknown))}")
        kept = {name: (table[table["source_id"].isin(source_ids)].reset_index(drop=True) if "source_id" in table else table)
                for name, table in self._tables.items()}
        if "affiliations" in self._tables and "people" in kept:
            kept["people"] = _affiliated_as(kept["people"], self._tables["affiliations"], self._tables["organizations"], source_ids)
        if "statement_themes" in kept and "statements" in kept:
            themes = kept["statement_themes"]
            kept["statement_themes"] = themes[themes["statement_id"].isin(kept["statements"]["statement_id"])].reset_index(drop=True)
        return Dataset(self.folder, self._descriptor, kept)

    def with_tables(self, **tables: pd.DataFrame) -> Dataset:
        """The dataset with the named tables replaced (for a view that keeps some rows of a table and every other table)."""
        unknown = set(tables) - set(self._tables)
        if unknown:
            raise KeyError(f"no such table: {', '.join(sorted(unknown))}")
        return Dataset(self.folder, self._descriptor, {**self._tables, **tables})

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        return {name: len(table) for name, table in self._tables.items()}


def _affiliated_as(people: pd.DataFrame, affiliations: pd.DataFrame, organizations: pd.DataFrame, source_ids: tuple[str, ...]) -> pd.DataFrame:
    """People with the organization, title and sector that the given sources state (the first source listed wins), else unknown."""
    versions = (affiliations[affiliations["source_id"].isin(source_ids)]
                .assign(rank=lambda d: d["source_id"].map({s: i for i, s in enumerate(source_ids)}))
                .sort_values("rank", kind="stable").drop_duplicates("person_id").set_index("person_id"))
    sectors = organizations.set_index("org_id")["sector"]
    organization = people["person_id"].map(versions["organization_id"])
    has = organization.notna()
    return people.assign(
        organization_id=organization.astype(people["organization_id"].dtype),
        title=people["person_id"].map(versions["title"]).astype(people["title"].dtype),
        affiliation_source=people["person_id"].map(versions["source_id"]).where(people["person_id"].isin(versions.index)).astype(people["affiliation_source"].dtype),
        sector=organization.map(sectors).where(has, "unknown").astype(people["sector"].dtype),
        affiliation_basis=people["affiliation_basis"].where(has, "unknown").mask(has & (people["affiliation_basis"] == "unknown"), "stated"),
    )


@lru_cache(maxsize=8)
def _load(folder: Path, _stamp: tuple) -> Dataset:
    descriptor = read_descriptor(folder)
    tables = {r["name"]: read_table(folder, r) for r in descriptor["resources"]}
    return Dataset(folder, descriptor, tables)


def load(data_dir: str | Path | None = None) -> Dataset:
    """Load the data package (default: the repository's data/, from any working directory)."""
    folder = _data_dir(data_dir)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*")) if p.is_file())
    return _load(folder, stamp)
