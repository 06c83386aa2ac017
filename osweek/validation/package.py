"""Validate the data package: Frictionless first, then the rules a schema cannot say."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from ..data import DESCRIPTOR, DataError, Dataset, Problem, read_descriptor, read_raw, read_table
from ..paths import data_dir as _data_dir
from ..paths import sources_dir
from . import pointers
from .rows import rows_where as _rows

__all__ = ["Problem", "summary", "validate"]


def _structure_problems(folder: Path, descriptor: dict) -> list[Problem]:
    """Each CSV file exists, is well-formed UTF-8 CSV, has the schema's columns and a full row of cells on every line."""
    problems = []
    for resource in descriptor["resources"]:
        try:
            read_raw(folder, resource)
        except DataError as error:
            problems.append(error.problem)
    return problems


def _frictionless_problems(folder: Path) -> list[Problem]:
    """Check schema, types, keys and foreign keys with the frictionless library."""
    from frictionless import FrictionlessException, Package  # imported here: slow to import, only needed here

    try:
        report = Package(str(folder / DESCRIPTOR)).validate()
    except FrictionlessException as error:
        return [Problem(DESCRIPTOR, "-", "-", "", str(error))]
    problems = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for error in task.errors:
            row = getattr(error, "row_number", None) or ("1" if hasattr(error, "field_name") else "-")
            problems.append(Problem(file, row, *_field_and_value(error), f"{error.title}: {error.note}"))
    for error in report.errors:
        problems.append(Problem(DESCRIPTOR, "-", "-", "", f"{error.title}: {error.note}"))
    return problems


def _field_and_value(error: object) -> tuple[str, str]:
    """The field and value a frictionless error points at: its cell, its foreign key's cells, or else its whole row."""
    if names := getattr(error, "field_names", None):
        return ",".join(names), ",".join(getattr(error, "field_cells", []))
    field = getattr(error, "field_name", None) or getattr(error, "label", None) or "-"
    value = getattr(error, "cell", None)
    if value is None:
        value = ",".join(str(cell) for cell in getattr(error, "cells", None) or [] if cell is not None)
    return str(field), str(value)[:80]


def _people_problems(ds: Dataset) -> Iterator[Problem]:
    """A person's sector is their organization's; no organization means unknown, never a guess."""
    people, orgs = ds.people, ds.organizations.set_index("org_id")
    org_sector = people["organization_id"].map(orgs["sector"]).astype("string")
    has_org = people["organization_id"].notna()
    for line, row in _rows(people, has_org & (people["sector"].astype("string") != org_sector)):
        yield Problem("people.csv", line, "sector", row["sector"],
                      f"organization '{row['organization_id']}' has sector '{org_sector[line - 2]}'")
    for line, row in _rows(people, ~has_org & (people["affiliation_basis"] != "unknown")):
        yield Problem("people.csv", line, "affiliation_basis", row["affiliation_basis"],
                      "no organization is given, so the basis must be 'unknown'")
    for line, row in _rows(people, ~has_org & (people["sector"] != "unknown")):
        yield Problem("people.csv", line, "sector", row["sector"], "no organization is given, so the sector must be 'unknown'")
    for line, _row in _rows(people, has_org & (people["affiliation_basis"] == "unknown")):
        yield Problem("people.csv", line, "affiliation_basis", "unknown", "an organization is given, so say where it comes from")


def _where(table: pd.DataFrame) -> pd.Series:
    """Where a row happened: its event, else its session, else (a recording's stretch between sessions) its recording."""
    return table["event_id"].fillna(table["session_id"]).fillna(table["source_id"] + " between sessions")


def _appearance_problems(ds: Dataset) -> Iterator[Problem]:
    """An appearance is in an account's event or a programme session; at most one moderator per event, per source."""
    appearances = ds.appearances
    for line, _row in _rows(appearances, appearances["event_id"].isna() & appearances["session_id"].isna() & appearances["time"].isna()):
        yield Problem("appearances.csv", line, "event_id", "", "give the event (events.csv) or the session (programme_sessions.csv)")
    where = _where(appearances)
    extra_moderator = (appearances["role"] == "moderator") & appearances.assign(where=where).duplicated(["where", "role", "source_id"], keep="first")
    for line, row in _rows(appearances, extra_moderator):
        yield Problem("appearances.csv", line, "role", "moderator", f"'{where[line - 2]}' already has a moderator in '{row['source_id']}'")
    for line, row in _rows(appearances, appearances.duplicated(["person_id", "event_id", "session_id", "role", "source_id"])):
        yield Problem("appearances.csv", line, "person_id", row["person_id"], "the same appearance twice from the same source")


def _statement_problems(ds: Dataset) -> Iterator[Problem]:
    """A statement's speaker appears in its event; attribution agrees with the speaker; every statement has a theme."""
    statements, appearances = ds.statements, ds.appearances
    for line, _row in _rows(statements, statements["event_id"].isna() & statements["session_id"].isna() & statements["time"].isna()):
        yield Problem("statements.csv", line, "event_id", "", "give the event (events.csv) or the session (programme_sessions.csv)")
    where = _where
    pairs = set(zip(appearances["person_id"], where(appearances), strict=True))
    has_person = statements["person_id"].notna()
    speakers = zip(statements["person_id"], where(statements), strict=True)
    absent = pd.Series([pair not in pairs for pair in speakers], index=statements.index)
    for line, row in _rows(statements, has_person & absent):
        yield Problem("statements.csv", line, "person_id", row["person_id"],
                      f"this person does not appear in '{where(statements)[line - 2]}' (appearances.csv)")
    named = statements["attribution"].isin(["introduced", "explicit", "position"])
    for line, row in _rows(statements, named & ~has_person):
        yield Problem("statements.csv", line, "person_id", "", f"attribution '{row['attribution']}' needs a speaker")
    for line, row in _rows(statements, ~named & has_person):
        yield Problem("statements.csv", line, "attribution", row["attribution"],
                      "a statement with a speaker is 'introduced', 'explicit' or 'position'")
    coded = set(ds.statement_themes["statement_id"])
    for line, row in _rows(statements, ~statements["statement_id"].isin(coded)):
        yield Problem("statements.csv", line, "statement_id", row["statement_id"], "has no theme in statement_themes.csv")
    if "same_claim_as" in statements:  # the same claim from another source: same speaker, same session, counted once
        session = statements["session_id"].fillna(statements["event_id"].map(ds.events.set_index("event_id")["session_id"]))
        session = session.fillna(where(statements))  # a programme session, also for an account's event mapped to one
        by_id = statements.assign(where=session).set_index("statement_id")
        for line, row in _rows(statements, statements["same_claim_as"].notna() & statements["same_claim_as"].isin(by_id.index)):
            other = by_id.loc[row["same_claim_as"]]
            if other["source_id"] == row["source_id"]:
                reason = "is from the same source: one source's claims are each a statement of their own"
            elif other["person_id"] != row["person_id"]:
                reason = f"is by '{other['person_id']}', not by '{row['person_id']}'"
            elif other["where"] != session[line - 2]:
                reason = f"is in '{other['where']}', not in '{session[line - 2]}'"
            elif pd.notna(other.get("same_claim_as")):
                reason = "itself points to another statement: point to the one it names"
            else:
                continue
            yield Problem("statements.csv", line, "same_claim_as", row["same_claim_as"], f"the statement it names {reason}")


def _event_problems(ds: Dataset) -> Iterator[Problem]:
    """Events of the week have dates inside it, inside their parent's, and a parent that is not themselves."""
    events = ds.events
    week = ds.days["date"]
    in_week = events["scope"] == "week"
    for line, _row in _rows(events, in_week & events["date"].isna()):
        yield Problem("events.csv", line, "date", "", "an event of the week needs a date")
    outside = in_week & events["date"].notna() & ~events["date"].between(week.min(), week.max())
    for line, row in _rows(events, outside):
        yield Problem("events.csv", line, "date", str(row["date"].date()),
                      f"outside the week ({week.min().date()} to {week.max().date()})")
    parents = events.set_index("event_id")
    start = events["parent_id"].map(parents["date"])
    end = events["parent_id"].map(parents["end_date"])
    beyond = events["date"].notna() & start.notna() & ((events["date"] < start) | (events["date"] > end))
    for line, row in _rows(events, beyond):
        yield Problem("events.csv", line, "date", str(row["date"].date()), f"outside its parent event '{row['parent_id']}'")
    for line, row in _rows(events, events["end_date"] < events["date"]):
        yield Problem("events.csv", line, "end_date", str(row["end_date"].date()), "before the start date")
    for line, row in _rows(events, events["parent_id"] == events["event_id"]):
        yield Problem("events.csv", line, "parent_id", row["parent_id"], "an event cannot be its own parent")
    # An account can report only what happened by the day it was published, and anticipates only what came after.
    published = events["source_id"].map(ds.sources.set_index("source_id")["published"])
    for line, row in _rows(events, (events["status"] == "reported") & (events["date"] > published)):
        yield Problem("events.csv", line, "status", "reported", f"dated {row['date'].date()}, after its account was published; use 'anticipated'")
    for line, row in _rows(events, (events["status"] == "anticipated") & (events["date"] <= published)):
        yield Problem("events.csv", line, "status", "anticipated", f"dated {row['date'].date()}, not after its account was published; use 'reported'")
    session_date = events["session_id"].map(ds.programme_sessions.set_index("session_id")["date"])
    for line, row in _rows(events, session_date.notna() & (events["date"] != session_date)):
        yield Problem("events.csv", line, "session_id", row["session_id"],
                      f"that session is on {session_date[line - 2].date()}, the event on {row['date'].date()}")
    for line, row in _rows(events, (events["status"] == "referenced") != (events["scope"] == "referenced")):
        yield Problem("events.csv", line, "status", row["status"], "'referenced' is the status of exactly the outside events (scope 'referenced')")


def _organization_problems(ds: Dataset) -> Iterator[Problem]:
    """The parent chain of an organization never loops back on itself."""
    orgs = ds.organizations
    parent = dict(zip(orgs["org_id"], orgs["parent_id"], strict=True))
    for line, row in _rows(orgs, pd.Series(True, index=orgs.index)):
        seen, current = {row["org_id"]}, parent.get(row["org_id"])
        while isinstance(current, str):
            if current in seen:
                yield Problem("organizations.csv", line, "parent_id", row["parent_id"], "the parent chain loops back")
                break
            seen.add(current)
            current = parent.get(current)


def _citation_problems(ds: Dataset) -> Iterator[Problem]:
    """A further citation points to a record that exists in the table it names."""
    if "citations" not in ds:
        return
    citations = ds.citations
    for line, row in _rows(citations, citations.duplicated(["table", "record_id", "source_id", "paragraph", "entry", "time"])):
        yield Problem("citations.csv", line, "record_id", row["record_id"], "the same citation twice")
    for line, row in _rows(citations, pd.Series(True, index=citations.index)):
        table = row["table"]
        key = ds.descriptor_schema(table)["primaryKey"][0]
        if row["record_id"] not in set(ds[table][key]):
            yield Problem("citations.csv", line, "record_id", row["record_id"], f"no record with {key} '{row['record_id']}' in {table}.csv")


def _disagreement_problems(ds: Dataset) -> Iterator[Problem]:
    """A disagreement has versions from two sources or more; one is used unless none is preferred; its subject exists."""
    if "disagreements" not in ds:
        return
    disagreements, versions = ds.disagreements, ds.disagreement_versions
    sources = versions.groupby("disagreement_id")["source_id"].nunique()
    used = versions[versions["used"] == "yes"].groupby("disagreement_id").size()
    for line, row in _rows(disagreements, pd.Series(True, index=disagreements.index)):
        did = row["disagreement_id"]
        if sources.get(did, 0) < 2:
            yield Problem("disagreements.csv", line, "disagreement_id", did, f"needs versions from two sources or more (has {sources.get(did, 0)})")
        wanted = 0 if row["rule"] == "none-preferred" else 1
        if used.get(did, 0) != wanted:
            yield Problem("disagreements.csv", line, "rule", row["rule"], f"{used.get(did, 0)} version(s) marked used; this rule needs {wanted}")
        table = row["subject_table"]
        if table != "other" and row["subject_id"] not in set(ds[table][ds.descriptor_schema(table)["primaryKey"][0]].astype(str)):
            yield Problem("disagreements.csv", line, "subject_id", row["subject_id"], f"no such record in {table}.csv")


def _basis_problems(ds: Dataset) -> Iterator[Problem]:
    """A fact with basis 'external' names its outside reference (the X_ref column beside X_basis)."""
    for name in ds:
        table = ds[name]
        for basis in [c for c in table.columns if c.endswith("_basis") and c[: -len("_basis")] + "_ref" in table.columns]:
            ref = basis[: -len("_basis")] + "_ref"
            for line, _row in _rows(table, (table[basis] == "external") & table[ref].isna()):
                yield Problem(ds.path(name).name, line, ref, "", f"{basis} is 'external': name the reference (references.reference_id or sources.source_id)")


RULES = (
    pointers.pointer_problems, pointers.reference_problems, pointers.recording_problems, _citation_problems, _people_problems,
    _appearance_problems, _statement_problems, _event_problems,
    _organization_problems, _basis_problems, _disagreement_problems,
)


def validate(data_dir: str | Path | None = None) -> list[Problem]:
    """Return every problem in the data package (empty when it is valid)."""
    folder = _data_dir(data_dir)
    try:
        descriptor = read_descriptor(folder)
    except DataError as error:
        return [error.problem]
    problems = _structure_problems(folder, descriptor) or _frictionless_problems(folder)
    if problems:
        return problems
    try:
        tables = {r["name"]: read_table(folder, r) for r in descriptor["resources"]}
    except DataError as error:  # frictionless accepted something the loader cannot type
        return [error.problem]
    ds = Dataset(folder, descriptor, tables)
    checks: Iterable[Problem] = (p for rule in RULES for p in rule(ds))
    folder_of_sources = sources_dir()
    return [*checks, *pointers.source_file_problems(ds, folder_of_sources), *pointers.place_problems(ds, folder_of_sources)]


def summary(data_dir: str | Path | None = None) -> str:
    """One line with the row count of each table."""
    from ..data import load

    counts = load(data_dir).counts()
    return f"valid: {len(counts)} tables, {sum(counts.values())} rows (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")"
