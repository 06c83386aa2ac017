"""The package's layout shows its architecture, and imports run one way between its parts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from osweek.paths import PACKAGE_DIR

# Which of the package's parts each part may import. The core (paths, data) imports none of them;
# analysis reads a loaded dataset; the build plumbing uses the analysis library's figure format.
ALLOWED = {
    "core": {"core"},
    "ingest": {"core", "ingest"},
    "validation": {"core", "ingest", "validation"},
    "analysis": {"core", "analysis"},
    "build": {"core", "analysis", "build"},
    "interface": {"core", "ingest", "validation", "interface"},  # osweek/__init__.py and the command line
}
PARTS = ("ingest", "validation", "analysis", "build")


def part_of(module: str) -> str:
    """The part a dotted module name under osweek belongs to."""
    names = module.split(".")
    if names[0] != "osweek":
        raise ValueError(module)
    if len(names) > 1 and names[1] in PARTS:
        return names[1]
    if len(names) == 1 or names[1] == "__main__":
        return "interface"
    return "core"


def module_name(path: Path) -> str:
    """The dotted name of the module in *path*."""
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, text: str | None = None) -> set[str]:
    """Every osweek module that *path* (or *text* as if it were there) imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    source = path.read_text(encoding="utf-8") if text is None else text
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "osweek"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] == "osweek":
                found.add(target)
    return found


MODULES = sorted(PACKAGE_DIR.rglob("*.py"))


def test_the_parts_are_folders() -> None:
    """A newcomer sees the architecture in the folders: ingest, validation, analysis, build."""
    for part in PARTS:
        assert (PACKAGE_DIR / part / "__init__.py").is_file(), part
    loose = {p.stem for p in PACKAGE_DIR.glob("*.py")}
    assert loose == {"__init__", "__main__", "paths", "data"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_imports_run_one_way(path: Path) -> None:
    """No part imports a part above it (analysis never builds, ingest never analyses, ...)."""
    own = part_of(module_name(path))
    wrong = {m for m in imported(path) if part_of(m) not in ALLOWED[own]}
    assert not wrong, f"{path.relative_to(PACKAGE_DIR)} ({own}) imports {sorted(wrong)}"


def test_the_checker_sees_a_wrong_import() -> None:
    """The rule can fail: an analysis module importing the build plumbing is caught, relative or absolute."""
    record = PACKAGE_DIR / "analysis" / "record.py"
    for line in ("from ..build.sphinxext import setup", "import osweek.build.pdf", "from ..validation import validate"):
        targets = imported(record, line)
        assert any(part_of(m) not in ALLOWED["analysis"] for m in targets), line
    assert all(part_of(m) in ALLOWED["analysis"] for m in imported(record, "from ..data import Dataset\nfrom . import prose"))
