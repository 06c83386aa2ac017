"""Where things live: the repository, its data package and the shared sources."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Return the data package folder: the argument, $OSWEEK_DATA, or the repository's data/."""
    if explicit is not None:
        return Path(explicit).resolve()
    if env := os.environ.get("OSWEEK_DATA"):
        return Path(env).resolve()
    return REPO_ROOT / "data"


def sources_dir() -> Path | None:
    """Return the folder holding the accounts' texts ($OSWEEK_SOURCES or ../shared/sources), if present."""
    candidates = [os.environ.get("OSWEEK_SOURCES"), REPO_ROOT.parent / "shared" / "sources"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


def toc_docs() -> list[str]:
    """Every document of the book in reading order (root first), as named in _toc.yml, without extension."""
    import yaml

    def files(entry: dict) -> list[str]:
        found = [entry["file"]] if "file" in entry else []
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key, []):
                found += files(child)
        return found

    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"], *files(toc)]
