"""Reproducible builds: two clean clones of the committed HEAD, built apart, give byte-identical books,
and building and testing a clone writes nothing into its tracked files.

Slow (two cold `make book` runs side by side, each installing its own virtual environment from the
local package cache, then the clone's own tests), but part of the default test run. The clones are
built exactly as a user builds: `make book` in a fresh clone.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from osweek.paths import REPO_ROOT, sources_dir

pytestmark = pytest.mark.slow


def clone_env() -> dict[str, str]:
    """A user's environment: nothing pointing back at this working tree, except the shared account texts."""
    drop = {"OSWEEK_DATA", "OSWEEK_BUILD_DIR", "OSWEEK_SOURCES", "PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST_")}
    sources = sources_dir()  # outside the repository (../shared/sources), so a clone elsewhere needs telling
    return {**env, "OSWEEK_SOURCES": str(sources)} if sources else env


def run(command: list[str], clone: Path, timeout: int = 1200) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=clone, env=clone_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed in {clone}:\n{result.stdout[-4000:]}\n{result.stderr[-3000:]}"
    return result


def clone_and_build(clone: Path) -> Path:
    """Clone HEAD into *clone* and run `make book` there; return the HTML folder."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone)], check=True, capture_output=True, timeout=120)
    run(["make", "book"], clone)
    where = run([str(clone / ".venv" / "bin" / "python"), "-c", "import osweek; print(osweek.__file__)"], clone).stdout.strip()
    assert Path(where).is_relative_to(clone), f"the clone imports osweek from {where}, not from itself"
    return clone / "_build" / "html"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> Iterator[tuple[Path, Path]]:
    """Two clones built side by side, in different folders (absolute paths must not reach the output)."""
    clones = [tmp_path_factory.mktemp("build-a") / "osweek", tmp_path_factory.mktemp("build-b") / "somewhere" / "else"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(clone_and_build, clones)
    yield first, second
    for clone in clones:  # pytest keeps its temporary folders for a while; the books are large
        shutil.rmtree(clone, ignore_errors=True)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != ".buildinfo"}


def test_two_clean_builds_are_byte_identical(two_builds):
    first, second = two_builds
    files = files_under(first)
    pages = sorted(f for f in files if f.endswith(".html") and not f.startswith("_static/"))
    assert len(pages) >= 12, pages
    assert files == files_under(second), f"only in one build: {sorted(files ^ files_under(second))}"
    differing_pages = [f for f in pages if not filecmp.cmp(first / f, second / f, shallow=False)]
    assert not differing_pages, f"HTML pages that differ between two builds: {differing_pages}"
    differing = [f for f in sorted(files) if not filecmp.cmp(first / f, second / f, shallow=False)]
    assert not differing, f"other files that differ between two builds: {differing}"
    leaks = [f for f in pages for clone in (first.parent.parent, second.parent.parent)
             if str(clone) in (first / f).read_text(encoding="utf-8") + (second / f).read_text(encoding="utf-8")]
    assert not leaks, f"pages that show where they were built: {leaks}"


def test_building_and_testing_leave_the_clone_clean(two_builds):
    clone = two_builds[0].parent.parent
    status = run(["git", "status", "--porcelain"], clone).stdout
    assert not status, f"building changed or added files outside .gitignore:\n{status}"
    # `make test` minus this module (which would clone and build again, without end): the PDF edition, then the tests.
    run(["make", "pdf"], clone)
    status = run(["git", "status", "--porcelain"], clone).stdout
    assert not status, f"making the PDF changed or added files outside .gitignore:\n{status}"
    tests = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-m", "not slow"],
                           cwd=clone, env=clone_env(), capture_output=True, text=True, timeout=1200)
    assert tests.returncode == 0, f"the clone's tests failed:\n{tests.stdout[-4000:]}\n{tests.stderr[-2000:]}"
    status = run(["git", "status", "--porcelain"], clone).stdout
    assert not status, f"testing changed or added files outside .gitignore:\n{status}"
