"""Load the data package into typed, read-only pandas tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import data_dir as _data_dir

DESCRIPTOR = "datapackage.json"


class DataError(ValueError):
    """The data package cannot be read; the message names file, row, field and value."""


def read_descriptor(folder: Path) -> dict:
    """Read and parse datapackage.json in *folder*."""
    path = folder / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{DESCRIPTOR}: not found in {folder}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(f"{DESCRIPTOR}: not valid JSON: {error}") from None


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a UTF-8 CSV file into its header and rows of strings."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle, strict=True))
    except FileNotFoundError:
        raise DataError(f"{path.name}: file not found") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path.name}: not UTF-8 (byte {error.start}: {error.reason})") from None
    except (csv.Error, ValueError) as error:
        raise DataError(f"{path.name}: malformed CSV: {error}") from None
    return header, rows


def _typed_column(values: pd.Series, field: dict, file: str) -> pd.Series:
    """Convert one column of strings to the type its Table Schema field declares."""
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    missing = values.eq("")
    if enum:
        bad = values[~missing & ~values.isin(enum)]
        converted = pd.Series(pd.Categorical(values.mask(missing), categories=enum), index=values.index)
    elif kind == "integer":
        converted = pd.to_numeric(values.mask(missing), errors="coerce").astype("Int64")
        bad = values[~missing & converted.isna()]
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
        raise DataError(f"{file}:{row + 2}: field '{field['name']}' = '{value}': not a valid {kind if not enum else 'choice'}")
    return converted


def read_table(folder: Path, resource: dict) -> pd.DataFrame:
    """Read one resource of the package as a typed DataFrame."""
    path = folder / resource["path"]
    header, rows = read_rows(path)
    fields = resource["schema"]["fields"]
    missing = [f["name"] for f in fields if f["name"] not in header]
    if missing:
        raise DataError(f"{path.name}:1: field '{missing[0]}' = '': column missing from the header")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise DataError(f"{path.name}:{number}: field '-' = '{','.join(row)[:60]}': has {len(row)} cells, header has {len(header)}")
    raw = pd.DataFrame(rows, columns=header, dtype="string").fillna("")
    return pd.DataFrame({f["name"]: _typed_column(raw[f["name"]], f, path.name) for f in fields}, index=raw.index)


@dataclass(frozen=True)
class Dataset(Mapping):
    """A read-only view of the data package: one typed DataFrame per table.

    Tables are reached as ``ds["people"]`` or ``ds.people``. Each access returns a
    fresh copy (the tables are small), so changing it never changes the dataset.
    """

    folder: Path
    descriptor: dict
    _tables: Mapping[str, pd.DataFrame]

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
        resource = next(r for r in self.descriptor["resources"] if r["name"] == name)
        return self.folder / resource["path"]

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        return {name: len(table) for name, table in self._tables.items()}


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
