"""The chapters' notebooks: they run anywhere, are committed clean, and share one structure.

* Every notebook runs top to bottom with the project's kernel, from the repository root
  and from notebooks/ (where JupyterLab and the book run them).
* Notebooks are committed without outputs or execution counts (as nbstripout leaves them),
  both in git HEAD and in the working tree.
* Structure: one H1 in the first cell, an Overview and a closing Summary, a hidden setup
  cell first that alone imports osweek, and every code cell tagged for the book.
* No number about the data is typed into the prose: it is glued from the data (heuristic below).
* Hygiene: pre-commit is configured with nbstripout and ruff, and ruff passes.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from osweek.paths import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "osweek"
TIMEOUT = 120  # seconds per cell, as execute.timeout in _config.yml
BIN = Path(sys.executable).parent

BOOK_TAGS = {"remove-cell", "remove-input", "hide-input"}
IMPORTS_OSWEEK = re.compile(r"^\s*(?:import\s+osweek\b|from\s+osweek\b)", re.MULTILINE)


def _id(path: Path) -> str:
    return path.stem


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1, f"no notebooks in {NOTEBOOK_DIR}"


# -- They run anywhere ---------------------------------------------------------------------


def test_kernel_is_installed_in_this_environment():
    """The named kernel exists and runs this environment's Python (installed with --sys-prefix)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL)  # raises NoSuchKernel if `make install` did not run
    assert Path(spec.argv[0]).parent == BIN, f"kernel {KERNEL!r} runs {spec.argv[0]}, not this environment's Python in {BIN}"


WHERE = {"repo-root": REPO_ROOT, "notebooks": NOTEBOOK_DIR}
PARALLEL = max(2, os.cpu_count() or 1)  # kernels at once; each notebook is mostly kernel start-up and imports


@pytest.fixture(scope="session")
def executed() -> dict[tuple[str, str], nbformat.NotebookNode | BaseException]:
    """Every notebook run from every working directory, a few at a time; result or exception by (notebook, where)."""

    async def run(path: Path, where: str, limit: asyncio.Semaphore):
        nb = _read(path)
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, resources={"metadata": {"path": str(WHERE[where])}})
        async with limit:
            await client.async_execute()
        return nb

    async def run_all():
        limit = asyncio.Semaphore(PARALLEL)
        keys = [(path.stem, where) for path in NOTEBOOKS for where in WHERE]
        runs = [run(NOTEBOOK_DIR / f"{stem}.ipynb", where, limit) for stem, where in keys]
        return dict(zip(keys, await asyncio.gather(*runs, return_exceptions=True), strict=True))

    # In its own thread: Playwright's sync API (the browser tests) keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, run_all()).result()


@pytest.mark.parametrize("where", list(WHERE))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_runs_top_to_bottom(executed, path: Path, where: str):
    """Run the notebook as a reader would; no cell may fail or write to stderr (the book fails on both)."""
    nb = executed[path.stem, where]
    if isinstance(nb, BaseException):
        raise nb
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        stderr = [o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"{path.name} cell {cell.id} wrote to stderr (run from {WHERE[where]}):\n{''.join(stderr)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_figures_show_in_jupyterlab_and_in_the_book(executed, path: Path):
    """Each chart cell's output carries plotly's own mime type (JupyterLab draws it) and the book's text/html."""
    nb = executed[path.stem, "notebooks"]
    if isinstance(nb, BaseException):
        raise nb
    chart_cells = [c for c in nb.cells if c.cell_type == "code" and re.search(r"\bcharts\.(?!catalogue\b)\w+\(", c.source)
                   and "Table(" not in c.source]
    for cell in chart_cells:
        bundles = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert bundles, f"{path.name} cell {cell.id} shows no figure"
        data = bundles[0]["data"]
        assert data["application/vnd.plotly.v1+json"]["data"], f"{path.name} cell {cell.id}: no plotly figure for JupyterLab"
        assert 'class="osweek-plotly"' in data["text/html"], f"{path.name} cell {cell.id}: no figure for the book"
        assert "plotly.min.js" not in data["text/html"] and "https://" not in data["text/html"]


def _in_fresh_process(nb: nbformat.NotebookNode, cwd: Path) -> tuple[nbformat.NotebookNode, str | None]:
    """The notebook as the book's parallel execution runs it (osweek.build.execute.run_in_process, in a forked process)."""
    import multiprocessing

    from osweek.build.execute import run_in_process

    def child(queue) -> None:  # noqa: ANN001
        done, _, trace = run_in_process(nb, str(cwd))
        queue.put((nbformat.writes(done), trace))

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(queue,))
    process.start()
    text, trace = queue.get(timeout=TIMEOUT)
    process.join()
    return nbformat.reads(text, as_version=4), trace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_book_execution_gives_what_a_kernel_gives(executed, path: Path):
    """The build runs notebooks in forked IPython shells, not kernels: every cell's outputs and count, and the notebook's
    language metadata, must be what the project's kernel gives, or the book would show something JupyterLab does not."""
    kernel = executed[path.stem, "notebooks"]
    if isinstance(kernel, BaseException):
        raise kernel
    shell, trace = _in_fresh_process(_read(path), NOTEBOOK_DIR)
    assert trace is None, f"{path.name} failed in the book's execution:\n{trace}"
    for by_kernel, by_shell in zip(kernel.cells, shell.cells, strict=True):
        if by_kernel.cell_type == "code":
            assert by_shell.outputs == by_kernel.outputs, f"{path.name} cell {by_kernel.id}: outputs differ from the kernel's"
            assert by_shell.execution_count == by_kernel.execution_count, f"{path.name} cell {by_kernel.id}: execution count"
    assert shell.metadata == kernel.metadata


def test_book_execution_records_streams_results_and_the_first_error(tmp_path: Path):
    """Printed text, displays and the last expression land in order as a kernel sends them; an error stops the notebook."""
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[
        new_code_cell("import sys\nprint('a'); print('b')\nsys.stderr.write('warned')\nfrom IPython.display import display\ndisplay(1)\n2 + 3"),
        new_code_cell(""),
        new_code_cell("raise ValueError('bad row 7')"),
        new_code_cell("print('never')"),
    ])
    done, trace = _in_fresh_process(nb, tmp_path)
    first, empty, failing, after = done.cells
    kinds = [(o.output_type, o.get("name")) for o in first.outputs]
    assert kinds == [("stream", "stdout"), ("stream", "stderr"), ("display_data", None), ("execute_result", None)]
    assert first.outputs[0].text == "a\nb\n" and first.outputs[3].data["text/plain"] == "5" and first.execution_count == 1
    assert empty.execution_count is None and empty.outputs == []  # skipped, as nbclient skips empty cells
    assert trace is not None and "ValueError: bad row 7" in trace and failing.execution_count == 2
    assert after.outputs == [] and after.execution_count is None  # not run after the error


# -- Committed clean ------------------------------------------------------------------------


def _stripped(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as the pre-commit hook (nbstripout --keep-id) would leave it."""
    from nbstripout import strip_output

    return strip_output(copy.deepcopy(nb), keep_output=False, keep_count=False, keep_id=True)


def _assert_clean(nb: nbformat.NotebookNode, where: str) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where}: cell {cell.id} has outputs; strip them (nbstripout --keep-id)"
            assert cell.execution_count is None, f"{where}: cell {cell.id} has an execution count; strip it"
    assert nb == _stripped(nb), f"{where}: nbstripout --keep-id would change it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_working_tree_notebook_has_no_outputs(path: Path):
    _assert_clean(_read(path), f"{path.name} (working tree)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_committed_notebook_has_no_outputs(path: Path):
    relative = path.relative_to(REPO_ROOT).as_posix()
    shown = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=REPO_ROOT, capture_output=True, text=True)
    if shown.returncode != 0:
        pytest.skip(f"{relative} is not in git HEAD yet (or this is not a git checkout)")
    _assert_clean(nbformat.reads(shown.stdout, as_version=4), f"{relative} (git HEAD)")


# -- Structure ------------------------------------------------------------------------------


def _markdown_lines(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, line) for every markdown line outside fenced code blocks."""
    lines, fence = [], None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            marker = re.match(r"\s*(```+|~~~+|:::+)", line)
            if marker and (fence is None or marker.group(1).startswith(fence)):
                fence = None if fence else marker.group(1)
                continue
            if fence is None:
                lines.append((index, line))
    return lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_one_title_in_the_first_cell(path: Path):
    nb = _read(path)
    titles = [(i, line) for i, line in _markdown_lines(nb) if re.match(r"#\s", line)]
    assert len(titles) == 1, f"{path.name}: expected exactly one H1, found {[t for _, t in titles]}"
    assert nb.cells[0].cell_type == "markdown" and titles[0][0] == 0, f"{path.name}: the H1 must be in the first cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_overview_first_and_summary_last(path: Path):
    sections = [line.strip() for _, line in _markdown_lines(_read(path)) if re.match(r"##\s", line)]
    assert "## Overview" in sections, f"{path.name}: no '## Overview' section in {sections}"
    assert sections[0] == "## Overview", f"{path.name}: '## Overview' must be the first section, not {sections[0]!r}"
    assert sections[-1] == "## Summary", f"{path.name}: '## Summary' must be the last section, found {sections}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_setup_cell_comes_first_and_alone_imports_osweek(path: Path):
    code = [c for c in _read(path).cells if c.cell_type == "code"]
    setup = code[0]
    assert "remove-cell" in setup.metadata.get("tags", []), f"{path.name}: the first code cell (setup) must be tagged remove-cell"
    assert IMPORTS_OSWEEK.search(setup.source), f"{path.name}: the setup cell must import osweek"
    others = [c.id for c in code[1:] if IMPORTS_OSWEEK.search(c.source)]
    assert not others, f"{path.name}: only the setup cell imports osweek; also imported in cells {others}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_every_code_cell_is_tagged_for_the_book(path: Path):
    """Code is hidden or folded in the book: no cell shows its code by accident."""
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            tags = BOOK_TAGS & set(cell.metadata.get("tags", []))
            assert len(tags) == 1, f"{path.name} cell {cell.id}: needs exactly one of {sorted(BOOK_TAGS)}, has {sorted(tags)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_names_the_project_kernel(path: Path):
    assert _read(path).metadata.kernelspec.name == KERNEL


# -- No typed numbers -----------------------------------------------------------------------
# A heuristic, kept simple: after removing what may carry digits, any digit left in the prose
# is probably a count typed by hand, which would go stale when the data changes. Glue it instead.
# Number words ("two OSPOs") are not caught.

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
ALLOWED_DIGITS = [
    re.compile(r"\{[\w:.-]+\}`[^`]*`"),  # roles: {glue:text}`n`, {ref}`¶ 12 <p12>`, {doc}`02-week...`, {cite:p}`foster2026`
    re.compile(r"`[^`]*`"),  # inline code: commands, file names
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"¶\s*\d+"),  # paragraph references
    re.compile(r"\b202[56]\b"),  # the year of the week and of the previous edition
    re.compile(rf"\b(?:{_WEEKDAYS})\s+\d{{1,2}}\b"),  # Monday 22
    re.compile(rf"\b\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:{_MONTHS})\b"),  # 26 June, 22-26 June
    re.compile(r"^\s*\d+\.\s", re.MULTILINE),  # numbered lists (the chapter list)
]


def typed_numbers(markdown: str) -> list[str]:
    """The lines of *markdown* that still hold a digit once allowed uses are removed."""
    for pattern in ALLOWED_DIGITS:
        markdown = pattern.sub(" ", markdown)
    return [line.strip() for line in markdown.splitlines() if re.search(r"\d", line)]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The account reports 21 sessions.", True),
        ("Of the 33 speakers, 40% spoke for a government.", True),
        ("The account reports {glue:text}`sessions` sessions.", False),
        ("({ref}`¶ 12 <p12>`) and ¶ 7", False),
        ("See {doc}`02-week-at-a-glance` and {cite:p}`osw2026-agenda`.", False),
        ("UN Open Source Week 2026, from Monday 22 to Friday 26 June; 22-26 June 2026.", False),
        ("1. {doc}`02-week-at-a-glance`: the week.", False),
        ("Run `python -m osweek validate` or read [the spec](https://example.org/v2).", False),
    ],
)
def test_typed_number_heuristic(text: str, flagged: bool):
    assert bool(typed_numbers(text)) is flagged


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_no_typed_numbers_in_prose(path: Path):
    found = [(c.id, line) for c in _read(path).cells if c.cell_type == "markdown" for line in typed_numbers(c.source)]
    assert not found, f"{path.name}: digits typed into the prose (glue them from the data): {found}"


# -- Guarded sentences ----------------------------------------------------------------------
# Words that rest on the data must fail the build when the data stops supporting them. A sentence
# with a number word needs a glued value, a guard or an evidence link; a sentence with a comparative,
# superlative or quantifier (most, only, all, none, both, ties, ...) needs a guard (a key of a
# check_claims call in the notebook that is part of the sentence) or an evidence link ({ref}`¶ n`,
# {cite}); a glued number alone does not make "the most" true. Every guard key must be found in the
# chapter's prose, so that a guard cannot outlive its sentence.

NUMBER_WORDS = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice|half|dozen)\b", re.IGNORECASE)
COMPARATIVES = re.compile(
    r"\b(?:most|mostly|largest|smallest|biggest|highest|lowest|least|fewest|fewer|only|all|none|no one|nobody|every one|"
    r"more than|less than|majority|minority|top|leads?|dominat\w*|ties?|tied|both|alone|sole|never|always|"
    r"several|many|few|rarely|again and again)\b",
    re.IGNORECASE,
)
ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
EVIDENCE_ROLES = ("ref", "cite", "cite:p", "cite:t")


def _role_text(match: re.Match) -> str:
    """A role as a reader sees it: {term}`OSPOs for Good` -> OSPOs for Good, {ref}`¶ 6 <p6>` -> ¶ 6; glue keeps its key."""
    return re.sub(r"\s*<[^>]*>$", "", match.group(2))


def sentences(markdown: str) -> list[str]:
    """The sentences (and headings, list items) of *markdown*, roles kept, whitespace normalised."""
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*] |\d+\. |#))", markdown)
    out = []
    for block in blocks:
        block = " ".join(block.split())
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*{(])", block) if s]
    return out


def plain(sentence: str) -> str:
    """A sentence as a reader sees it (roles as their text), for matching guard keys."""
    return " ".join(ROLE.sub(_role_text, sentence).replace("*", "").split())


def guard_keys(nb: nbformat.NotebookNode) -> list[str]:
    """The string keys of every check_claims({...}) call in the notebook's code cells."""
    keys = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "check_claims":
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        keys += [k.value for k in arg.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys


def unguarded(sentence: str, keys: list[str]) -> str | None:
    """Why *sentence* is an unchecked claim, or None if it is checked (glued, guarded or linked to evidence)."""
    roles = [m.group(1) for m in ROLE.finditer(sentence)]
    linked = any(r in EVIDENCE_ROLES for r in roles)
    glued = any(r.startswith("glue") for r in roles)
    text = plain(ROLE.sub(lambda m: " " if m.group(1).startswith(("glue", "doc", "download")) else m.group(0), sentence))
    text = re.sub(r"`[^`]*`", " ", text)  # code spans: commands and file names, not claims
    guarded = any(" ".join(k.split()) in plain(sentence) for k in keys)
    if (word := COMPARATIVES.search(text)) and not (guarded or linked):
        return f"{word.group(0)!r} needs a guard or an evidence link"
    if (word := NUMBER_WORDS.search(text)) and not (guarded or linked or glued):
        return f"{word.group(0)!r} needs a glued value, a guard or an evidence link"
    return None


@pytest.mark.parametrize(
    "sentence, keys, flagged",
    [
        ("Sovereignty comes up most.", [], True),
        ("Sovereignty comes up most.", ["comes up most"], False),
        ("It leads with {glue:text}`n` statements.", [], True),
        ("Governments gave the only keynotes ({ref}`¶ 12 <p12>`).", [], False),
        ("The {term}`OSPOs for Good` day has the most.", ["OSPOs for Good day has the most"], False),
        ("Two pairs tie.", ["pairs tie"], False),
        ("The two OSPOs began as pilots.", [], True),
        ("The {glue:text}`n` OSPOs began as pilots.", [], False),
        ("We coded it with one or more of {glue:text}`themes` themes.", [], False),
        ("Run `make all` to build.", [], False),
        ("See {doc}`the most important chapter <03-sovereignty-themes>`.", [], False),
    ],
)
def test_unguarded_claim_heuristic(sentence: str, keys: list[str], flagged: bool):
    assert (unguarded(sentence, keys) is not None) is flagged


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_every_claim_resting_on_data_is_glued_guarded_or_linked(path: Path):
    nb = _read(path)
    keys = guard_keys(nb)
    found = [(c.id, s, why) for c in nb.cells if c.cell_type == "markdown" for s in sentences(c.source) if (why := unguarded(s, keys))]
    assert not found, f"{path.name}: sentences whose words rest on data without a check:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_every_guard_names_words_of_the_chapter(path: Path):
    nb = _read(path)
    text = plain(" ".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    missing = [k for k in guard_keys(nb) if " ".join(k.split()) not in text]
    assert not missing, f"{path.name}: guards whose words are not in the prose (reword the guard with the sentence): {missing}"


def test_chapters_paraphrase_the_account():
    """No sentence of a chapter repeats 8 or more consecutive words of an account (titles and names, kept as written, aside)."""
    from test_data import account_runs, paragraph_reader, runs

    copied = account_runs(paragraph_reader())
    found = [(path.name, s) for path in NOTEBOOKS for c in _read(path).cells if c.cell_type == "markdown"
             for s in sentences(c.source) if runs(plain(s), 8) & copied]
    assert found == [], "sentences that copy the account (paraphrase them):\n" + "\n".join(map(str, found))


# -- Hygiene --------------------------------------------------------------------------------


def test_pre_commit_strips_notebooks_and_runs_ruff():
    """The hooks exist (the suite never runs pre-commit itself: it may need the network)."""
    import yaml

    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert "nbstripout" in hooks and "ruff" in hooks, f"hooks: {sorted(hooks)}"
    assert "--keep-id" in hooks["nbstripout"].get("args", []) + hooks["nbstripout"].get("entry", "").split(), \
        "nbstripout must keep cell ids (--keep-id): the book and the tests refer to cells by id"


def test_ruff_lints_notebooks():
    """pyproject's extend-include makes ruff check .ipynb files too."""
    import tomllib

    ruff = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    assert "*.ipynb" in ruff.get("extend-include", []) + ruff.get("include", [])


def test_ruff_passes():
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "--output-format=concise", "osweek", "tests", "notebooks"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"ruff check failed:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_is_valid_nbformat(path: Path):
    nbformat.validate(_read(path))
