"""Run the chapters' notebooks in parallel into the book's execution cache, before the book build.

myst-nb (``execute_notebooks: cache``) runs notebooks one after the other while Sphinx reads them.
Filling the same jupyter-cache first, several notebooks at once, lets the build find every notebook
already executed. Each notebook runs top to bottom in its own fresh process, forked from one that has
already imported pandas, plotly, IPython and osweek and loaded the data package (``osweek.load()``
keeps a package while its files are unchanged, as it does within one kernel): a Jupyter kernel would
spend about two seconds per notebook starting, importing and loading again. The cells run in an IPython shell, whose display
hooks give the same outputs a kernel sends (a test compares the two). A notebook that fails here is
simply not cached: the build then runs it again in a Jupyter kernel and fails with its error, so
nothing is hidden. ``OSWEEK_EXECUTE_KERNEL=1`` runs the notebooks in kernels here too.
Usage: ``python -m osweek.build.execute [OUTPUT_DIR]``, where OUTPUT_DIR is the book build's
``--path-output`` (default: the repository).
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


WORKERS = int(os.environ.get("OSWEEK_EXECUTE_WORKERS", "0")) or (os.cpu_count() or 1) + 1  # a worker waits on its disk and its forks
IN_KERNEL = os.environ.get("OSWEEK_EXECUTE_KERNEL", "") not in ("", "0")
PRELOAD = ("pandas", "plotly.graph_objects", "plotly.io", "IPython.core.interactiveshell", "IPython.display", "myst_nb.ext.glue",
           "ipykernel.ipkernel", "osweek", "osweek.analysis.charts", "osweek.analysis.programme", "osweek.analysis.sourcing")  # what the notebooks import


class _Outputs:
    """The outputs of one cell, in the order a kernel would send them (streams merged as Jupyter merges them)."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def stream(self, name: str, text: str) -> None:
        from nbformat.v4 import new_output

        if self.items and self.items[-1].get("output_type") == "stream" and self.items[-1]["name"] == name:
            self.items[-1]["text"] += text
        elif text:
            self.items.append(new_output("stream", name=name, text=text))


class _Stream:
    """A file-like sys.stdout or sys.stderr that records what a cell prints."""

    def __init__(self, name: str, cell: list[_Outputs]) -> None:
        self.name, self.cell = name, cell

    def write(self, text: str) -> int:
        self.cell[0].stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run_in_process(nb: Any, cwd: str, timeout: int = TIMEOUT) -> tuple[Any, BaseException | None, str | None]:
    """Execute *nb*'s code cells in this process, in an IPython shell, as a Jupyter kernel would: each cell's
    outputs (streams, display data, the last expression's result) with its execution count. Returns the notebook,
    the first error (None if none) and its traceback text. Meant for a fresh process: the shell is the singleton. A cell
    running longer than *timeout* seconds stops the notebook with TimeoutError."""
    import contextlib
    import signal

    from ipykernel.ipkernel import IPythonKernel
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from nbformat.v4 import new_output

    cell: list[_Outputs] = [_Outputs()]

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):  # noqa: ANN001, ANN202
            cell[0].items.append(new_output("display_data", data=data, metadata=metadata or {}))

    class Hook(DisplayHook):
        def start_displayhook(self) -> None:
            pass

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:  # noqa: ANN001
            cell[0].items.append(new_output("execute_result", data=format_dict, metadata=md_dict or {}, execution_count=self.prompt_count))

        def finish_displayhook(self) -> None:
            pass

    os.chdir(cwd)
    shell = InteractiveShell.instance(colors="nocolor", autocall=0, automagic=False)
    shell.display_pub = Publisher(shell=shell)
    shell.displayhook = shell.display_trap.hook = Hook(shell=shell, cache_size=shell.cache_size)
    nb.metadata["language_info"] = dict(IPythonKernel.language_info)  # what a kernel reports of itself
    def too_long(signum: int, frame: Any) -> None:
        raise TimeoutError(f"a cell ran longer than {timeout} s")

    signal.signal(signal.SIGALRM, too_long)
    for code in (c for c in nb.cells if c.cell_type == "code" and c.source.strip()):  # as nbclient, which skips empty cells
        cell[0] = _Outputs()
        signal.alarm(timeout)
        with contextlib.redirect_stdout(_Stream("stdout", cell)), contextlib.redirect_stderr(_Stream("stderr", cell)):
            result = shell.run_cell(code.source, store_history=True)
        signal.alarm(0)
        code.outputs, code.execution_count = cell[0].items, result.execution_count
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            import traceback

            return nb, error, "".join(traceback.format_exception(error))
    return nb, None, None


def _execute_in_process(data: Any) -> tuple[int, str]:
    """jupyter-cache's worker for one notebook (fetch, run, cache, report), running it with run_in_process."""
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc
    from jupyter_cache.executors.utils import ExecutionResult, Timer

    class InProcess(ExecutionWorkerLocalMProc):
        @staticmethod
        def execute(project_nb: Any, data: Any) -> ExecutionResult:
            cwd, timer = str(Path(project_nb.uri).parent), Timer()
            with timer:
                nb, error, trace = run_in_process(project_nb.nb, cwd, data.timeout)
            return ExecutionResult(nb, cwd, timer.last_split, error, trace)

    return InProcess()(data)


def _run_parallel(executor: Any, timeout: int) -> Any:
    """jupyter-cache's local-parallel run, with WORKERS processes and one notebook per task: its own run hands
    notebooks out in pairs, so one slow pair finishes alone while the other worker idles."""
    import multiprocessing

    from jupyter_cache.executors.base import ExecutorRunResult
    from jupyter_cache.executors.basic import ProcessData

    records = executor.get_records(None, None, clear_tracebacks=True)  # the notebooks not yet in the cache
    if not records:  # nothing to run (a touched notebook whose code is unchanged): no imports, no workers
        return ExecutorRunResult(succeeded=[], excepted=[], errored=[])
    if not IN_KERNEL:
        import importlib

        for module in PRELOAD:  # once here, inherited by every fork
            importlib.import_module(module)
        try:
            importlib.import_module("osweek").load()  # loaded once too: load() keeps the package while its files are unchanged
        except Exception:  # noqa: BLE001  (bad data: each notebook then fails as it would alone, and validation says why)
            pass
    worker = executor._EXECUTION_WORKER() if IN_KERNEL else _execute_in_process
    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS, maxtasksperchild=1) as pool:  # a fresh process for every notebook
        results = pool.map(worker, [ProcessData(r.pk, r.uri, executor.cache, timeout, False) for r in records], chunksize=1)
    return ExecutorRunResult(succeeded=[p for i, p in results if i == 0], excepted=[p for i, p in results if i == 1],
                             errored=[p for i, p in results if i == 2])


EXECUTED = "osweek-executed.json"  # in the cache folder: each notebook's code as last executed into the cache


def notebook_codes() -> dict[str, str]:
    """A hash per notebook of what executing it depends on in the notebook itself: its code cells (with their tags) and
    its metadata; a change to the text of a Markdown cell leaves it as it is."""
    import json

    codes = {}
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [(c.get("source"), c.get("metadata")) for c in nb.get("cells", []) if c.get("cell_type") == "code"]  # as jupyter-cache hashes
        codes[path.name] = hashlib.sha256(json.dumps([code, nb.get("metadata")], sort_keys=True).encode()).hexdigest()
    return codes


def execute(output_dir: Path = REPO_ROOT) -> int:
    """Execute every notebook not yet cached under *output_dir*/_build/.jupyter_cache; return how many failed."""
    import json

    cache_dir = output_dir / "_build" / ".jupyter_cache"
    if drop_stale_cache(cache_dir):
        # Sphinx re-reads only notebooks whose file changed: make it re-read all of them from the fresh cache.
        shutil.rmtree(output_dir / "_build" / ".doctrees", ignore_errors=True)
    executed, codes = cache_dir / EXECUTED, notebook_codes()
    if executed.is_file() and json.loads(executed.read_text(encoding="utf-8")) == codes:
        return 0  # every notebook's code is in the cache as it is now (a touched notebook, a changed page): nothing to run
    executed.unlink(missing_ok=True)
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(cache_dir)
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        cache.add_nb_to_project(str(notebook))
    logger = logging.getLogger("osweek.build.execute")
    result = _run_parallel(load_executor("local-parallel", cache=cache, logger=logger), TIMEOUT)
    for uri in result.excepted + result.errored:
        print(f"osweek.build.execute: {Path(uri).name} failed; the book build will report the error", file=sys.stderr)
    failed = len(result.excepted) + len(result.errored)
    if not failed:  # a notebook that failed is tried again next time
        executed.write_text(json.dumps(codes, indent=1, sort_keys=True), encoding="utf-8")
    return failed


if __name__ == "__main__":
    execute(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO_ROOT)
