"""Command line: ``python -m osweek validate [DATA_DIR]`` and ``python -m osweek ingest programme PATH [--out DATA_DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import data_dir
from .validation import summary, validate


def _validate(args: argparse.Namespace) -> int:
    """Print every problem of the package and exit 1, or print its summary."""
    problems = validate(args.data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"invalid: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(summary(args.data_dir))
    return 0


def _ingest_programme(args: argparse.Namespace) -> int:
    """Turn the agenda capture in PATH into the programme tables of the data package; nothing is written on an error."""
    from .ingest.programme import ProgrammeError, ingest

    folder = Path(args.path)
    if folder.is_file():  # accept programme/sessions.json itself as well as its folder
        folder = folder.parent
    out = data_dir(args.out)
    try:
        counts = ingest(folder, out)
    except ProgrammeError as error:
        print(f"error: {error}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1
    print(f"wrote {out}: " + ", ".join(f"{name} {rows} rows" for name, rows in counts.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m osweek", description="Tools for the osweek data package.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate the data package; exit 1 on any problem")
    check.add_argument("data_dir", nargs="?", default=None,
                       help="folder holding datapackage.json (default: the repository's data/)")
    check.set_defaults(run=_validate)
    ingest = commands.add_parser("ingest", help="turn a source into tables of the data package")
    kinds = ingest.add_subparsers(dest="source", required=True)
    programme = kinds.add_parser("programme", help="the official agenda capture (programme/sessions.json and organizations.json)")
    programme.add_argument("path", help="the capture's folder (…/sources/programme) or its sessions.json")
    programme.add_argument("--out", default=None, help="folder to write the tables into (default: the repository's data/)")
    programme.set_defaults(run=_ingest_programme)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
