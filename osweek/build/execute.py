"""Run the chapters' notebooks in parallel into the book's execution cache, before the book build.

myst-nb (``execute_notebooks: cache``) runs notebooks one after the other while Sphinx reads them.
Filling the same jupyter-cache first, one notebook per core, lets the build find every notebook
already executed. A notebook that fails here is simply not cached: the build then runs it again
and fails with its error, so nothing is hidden. Usage: ``python -m osweek.build.execute [OUTPUT_DIR]``,
where OUTPUT_DIR is the book build's ``--path-output`` (default: the repository).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from ..paths import REPO_ROOT, data_dir

TIMEOUT = 120  # seconds per notebook, as execute.timeout in _config.yml
STAMP = "osweek-inputs.sha256"


def inputs_fingerprint() -> str:
    """Hash of what notebooks read besides their own code: the osweek package and the data package."""
    data = data_dir()  # $OSWEEK_DATA when set (the benchmark's scaled package), else data/
    files = sorted([*(REPO_ROOT / "osweek").rglob("*.py"), *(REPO_ROOT / "osweek" / "build" / "static").iterdir()]) + sorted(data.iterdir())
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else f"data/{path.name}"
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def drop_stale_cache(cache_dir: Path) -> bool:
    """jupyter-cache keys on notebook code only: forget every output when osweek or the data changed. Return True if dropped."""
    stamp, fingerprint = cache_dir / STAMP, inputs_fingerprint()
    stale = cache_dir.exists() and (not stamp.exists() or stamp.read_text() != fingerprint)
    if stale:
        shutil.rmtree(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    return stale


WORKERS = int(os.environ.get("OSWEEK_EXECUTE_WORKERS", "0")) or (os.cpu_count() or 1) + 1  # a kernel waits while it starts


def _run_parallel(executor: Any, timeout: int) -> Any:
    """jupyter-cache's local-parallel run, with WORKERS processes and one notebook per task: its own run hands
    notebooks out in pairs, so one slow pair finishes alone while the other worker idles."""
    import multiprocessing

    from jupyter_cache.executors.base import ExecutorRunResult
    from jupyter_cache.executors.basic import ProcessData

    records = executor.get_records(None, None, clear_tracebacks=True)
    with multiprocessing.Pool(WORKERS) as pool:
        results = pool.map(executor._EXECUTION_WORKER(), [ProcessData(r.pk, r.uri, executor.cache, timeout, False) for r in records],
                           chunksize=1)
    return ExecutorRunResult(succeeded=[p for i, p in results if i == 0], excepted=[p for i, p in results if i == 1],
                             errored=[p for i, p in results if i == 2])


def execute(output_dir: Path = REPO_ROOT) -> int:
    """Execute every notebook not yet cached under *output_dir*/_build/.jupyter_cache; return how many failed."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache_dir = output_dir / "_build" / ".jupyter_cache"
    if drop_stale_cache(cache_dir):
        # Sphinx re-reads only notebooks whose file changed: make it re-read all of them from the fresh cache.
        shutil.rmtree(output_dir / "_build" / ".doctrees", ignore_errors=True)
    cache = get_cache(cache_dir)
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        cache.add_nb_to_project(str(notebook))
    logger = logging.getLogger("osweek.build.execute")
    result = _run_parallel(load_executor("local-parallel", cache=cache, logger=logger), TIMEOUT)
    for uri in result.excepted + result.errored:
        print(f"osweek.build.execute: {Path(uri).name} failed; the book build will report the error", file=sys.stderr)
    return len(result.excepted) + len(result.errored)


if __name__ == "__main__":
    execute(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO_ROOT)
