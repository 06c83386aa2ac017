"""Shared fixtures: a private copy of the data package, and the command line run as a user runs it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from osweek.paths import REPO_ROOT

DATA_DIR = REPO_ROOT / "data"


def _fingerprint(folder: Path) -> dict[str, str]:
    """Hash of every file in *folder*, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def data_untouched() -> Iterator[None]:
    """Fail the run if any test wrote into the repository's data/ (tests edit copies only)."""
    before = _fingerprint(DATA_DIR)
    yield
    after = _fingerprint(DATA_DIR)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"tests changed data/: {changed}"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the data package in tmp_path, safe to edit; returns its folder."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


@pytest.fixture
def osweek_cli() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``python -m osweek ARGS`` in a fresh interpreter (default data only, no $OSWEEK_DATA); return the result."""
    env = {k: v for k, v in os.environ.items() if k != "OSWEEK_DATA"}

    def run(*args: str | Path, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "osweek", *map(str, args)]
        return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    return run


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built HTML book: $OSWEEK_BUILD_DIR if set, else <repo>/_build/html. Never builds it."""
    folder = Path(os.environ.get("OSWEEK_BUILD_DIR") or REPO_ROOT / "_build" / "html").resolve()
    if not (folder / "index.html").is_file():
        pytest.fail(f"no built book in {folder} (index.html missing): run `make book` first "
                    "(`make test` builds it), or point OSWEEK_BUILD_DIR at a build's _build/html", pytrace=False)
    return folder
