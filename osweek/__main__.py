"""Command line: ``python -m osweek validate [DATA_DIR]``."""

from __future__ import annotations

import argparse
import sys

from .validation import summary, validate


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m osweek", description="Tools for the osweek data package.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate the data package; exit 1 on any problem")
    check.add_argument("data_dir", nargs="?", default=None,
                       help="folder holding datapackage.json (default: the repository's data/)")
    args = parser.parse_args(argv)
    problems = validate(args.data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"invalid: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(summary(args.data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
