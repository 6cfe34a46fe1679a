"""The book is forkable: a student can scaffold a chapter, add an article, and rebuild; Binder can
rebuild the environment.

Each test works in a copy of the repository; the slow test runs the real build there.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from claimbook.audit import audit_html_page
from claimbook.build.manifest import load_manifest, parameters_cell_names
from claimbook.files import read_csv_rows, write_rows
from claimbook.registry import Registry
from claimbook.scaffold import (
    READING_NOTE,
    ScaffoldError,
    append_manifest_entry,
    chapter_notebook,
    draft_claim_id,
    insert_into_part,
    notebook_text,
)
from claimbook.verify import copy_inputs

from tools import build_html, claimbook

REPO = Path(__file__).resolve().parent.parent
SECOND_SOURCE = Path(__file__).parent / "fixtures" / "second-source.txt"
SECOND_ID = "xinhua-2026-gannan"
def validate(root: Path) -> subprocess.CompletedProcess:
    """``claimbook validate data`` inside the book at ``root``, which it finds from the working directory."""
    return claimbook("validate", "data", cwd=root)


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def repo(tmp_path):
    return copy_inputs(REPO, tmp_path / "book").root  # a fork: the inputs, nothing generated


# --- the chapter notebook -----------------------------------------------------------------------------

def cells_of(notebook):
    return [(c.cell_type, c.metadata.get("tags", []), c.source) for c in notebook.cells]


def test_the_notebook_has_the_structure_of_the_group_chapters(tmp_path):
    notebook = chapter_notebook("energy", "Energy transition", "xinhua-2026-jiangxi", "能源转型", "What it covers.")
    cells = cells_of(notebook)
    assert cells[0][0] == "markdown" and cells[0][2].startswith("(chapter-energy)=\n# Energy transition (能源转型)\n")
    assert cells[1] == ("markdown", ["remove-cell"], READING_NOTE)  # for Jupyter only, as in every chapter
    assert cells[2][1] == ["parameters", "hide-input"]
    assert "Chapter(source_id, group, reading, output_dir, name='energy', root=book_root)" in cells[3][2]
    assert [c[2].split("\n")[0] for c in cells if c[0] == "markdown"][2:] == [
        "## Every quantity of this group", "## Figures this group implies"]
    assert [c[2] for c in cells if c[0] == "code"][2:] == ["ch.claims_table()", "ch.derived_table()", "ch.record();"]
    assert cells[-1][1] == ["remove-cell"]
    # The parameters a manifest entry passes, as in the book's own group chapters.
    path = tmp_path / "energy.ipynb"
    path.write_text(notebook_text(notebook), encoding="utf-8")
    assert parameters_cell_names(path) == parameters_cell_names(REPO / "chapters" / "ecosystem.ipynb") \
        == {"source_id", "group", "reading", "output_dir", "book_root"}


def test_the_notebook_is_committed_without_outputs_and_the_same_every_time():
    first = notebook_text(chapter_notebook("energy", "Energy transition", "xinhua-2026-jiangxi"))
    second = notebook_text(chapter_notebook("energy", "Energy transition", "xinhua-2026-jiangxi"))
    assert first == second
    notebook = nbformat.reads(first, as_version=4)
    nbformat.validate(notebook)
    assert [c.id for c in notebook.cells] == [f"energy-{i:02d}" for i in range(len(notebook.cells))]
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in notebook.cells if c.cell_type == "code")


# --- text edits that keep comments -------------------------------------------------------------------

def test_manifest_entry_goes_after_the_named_entry_and_keeps_comments():
    text = (REPO / "chapters" / "manifest.yml").read_text(encoding="utf-8")
    edited = append_manifest_entry(text, "energy", "energy.ipynb",
                                   {"source_id": "xinhua-2026-jiangxi", "group": "energy", "reading": "point"},
                                   after="firms")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in edited.splitlines() if line.lstrip().startswith("#")] == comments
    names = [e["name"] for e in yaml.safe_load(edited)["entries"]]
    assert names[names.index("firms") + 1] == "energy"


def test_toc_entry_goes_into_its_part():
    text = (REPO / "_toc.yml").read_text(encoding="utf-8")
    toc = yaml.safe_load(insert_into_part(text, "Indicator groups", "chapters/energy"))
    part = next(p for p in toc["parts"] if p["caption"] == "Indicator groups")
    assert part["chapters"][-1] == {"file": "chapters/energy"}
    with pytest.raises(ScaffoldError, match="no part captioned 'Nowhere'"):
        insert_into_part(text, "Nowhere", "chapters/energy")


# --- claimbook new-chapter ----------------------------------------------------------------------------

def test_new_chapter_registers_the_chapter_everywhere(repo):
    run = claimbook("new-chapter", "energy", "--title", "Energy transition", "--title-zh", "能源转型",
                    "--description", "Power, grids and storage.", cwd=repo)
    assert run.returncode == 0, run.stderr
    assert (repo / "chapters" / "energy.ipynb").is_file()
    entries = {e.name: e for e in load_manifest(repo / "chapters" / "manifest.yml")}
    assert entries["energy"].parameters == {"source_id": "xinhua-2026-jiangxi", "group": "energy", "reading": "point"}
    assert "chapters/energy" in (repo / "_toc.yml").read_text(encoding="utf-8")
    group = Registry(repo / "data").group("energy")
    assert (group.order, group.title_en, group.title_zh) == (6, "Energy transition", "能源转型")
    assert validate(repo).returncode == 0


@pytest.mark.parametrize("args, message", [
    (["firms", "--title", "Firms again"], "the group 'firms' already exists in data/groups.csv"),
    (["Energy_Transition", "--title", "Energy"], "'Energy_Transition' is not a valid group id"),
    (["all", "--title", "Everything"], "'all' is reserved"),
    (["energy", "--title", "Top 10 energy firms"], "the title types a number ('1')"),
    (["energy", "--title", "Energy", "--source", "nowhere"], "unknown source 'nowhere'"),
    (["intro", "--title", "Intro"], "a page chapters/intro already exists"),
])
def test_new_chapter_refuses_and_changes_nothing(repo, args, message):
    before = tree_digest(repo)
    run = claimbook("new-chapter", *args, cwd=repo)
    assert run.returncode == 1
    assert message in run.stderr
    assert tree_digest(repo) == before


# --- claimbook add-source ------------------------------------------------------------------------------

EXPECTED_DRAFTS = [  # (sentence, stated words) of every quantity in the fixture, in text order
    ("p02.s1", "2025年"), ("p02.s1", "189万亩"), ("p02.s1", "约160万吨"), ("p03.s1", "200亿元"),
    ("p03.s1", "8.5%"), ("p03.s1", "近30万名"), ("p04.s1", "12个"), ("p04.s1", "九成"),
]


def add_second_source(root: Path) -> subprocess.CompletedProcess:
    return claimbook("add-source", SECOND_SOURCE, "--id", SECOND_ID, "--outlet", "新华社", "--authors", "记者甲;记者乙",
                     cwd=root)


def test_add_source_registers_the_text_and_drafts_every_quantity(repo):
    run = add_second_source(repo)
    assert run.returncode == 0, run.stderr
    copy = repo / "data" / "sources" / f"{SECOND_ID}.txt"
    assert copy.read_bytes() == SECOND_SOURCE.read_bytes()
    source = next(r for r in read_csv_rows(repo / "data" / "sources.csv") if r["source_id"] == SECOND_ID)
    assert source["sha256"] == hashlib.sha256(SECOND_SOURCE.read_bytes()).hexdigest()
    assert (source["title"], source["outlet"], source["authors"]) == ("赣南脐橙延链补链观察", "新华社", "记者甲;记者乙")
    glosses = [r for r in read_csv_rows(repo / "data" / "glosses.csv") if r["source_id"] == SECOND_ID]
    assert [g["sentence_id"] for g in glosses] == ["p01.s1", "p02.s1", "p03.s1", "p04.s1", "p04.s2", "p04.s3"]
    assert all(g["gloss"] == "" for g in glosses)
    drafts = [r for r in read_csv_rows(repo / "data" / "claims.csv") if r["source_id"] == SECOND_ID]
    assert [(d["sentence_id"], d["exact"]) for d in drafts] == EXPECTED_DRAFTS
    assert [d["claim_id"] for d in drafts][:3] == [f"{SECOND_ID}-p02-s1-{n}" for n in (1, 2, 3)]
    assert {d["status"] for d in drafts} == {"draft"}
    assert all(d[c] == "" for d in drafts for c in ("indicator", "entity", "period", "group"))
    # 约 states neither side: the draft keeps the physical floor, and the method's margin apart
    assert (drafts[2]["value"], drafts[2]["lower"], drafts[2]["upper"], drafts[2]["qualifier"]) == (
        "1600000", "0", "", "about")
    assert (drafts[2]["assumed_lower"], drafts[2]["assumed_upper"]) == ("1520000", "1680000")
    page = (repo / "chapters" / f"source-{SECOND_ID}.md").read_text(encoding="utf-8")
    assert f"```{{source-text}} {SECOND_ID}\n```" in page
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    appendices = next(p for p in toc["parts"] if p["caption"] == "Appendices")["chapters"]
    files = [c["file"] for c in appendices]
    assert files[files.index("chapters/source-text") + 1] == f"chapters/source-{SECOND_ID}"


def test_validation_refuses_each_draft_and_each_empty_gloss(repo):
    add_second_source(repo)
    run = validate(repo)
    assert run.returncode == 1
    first_row = 1 + len(read_csv_rows(REPO / "data" / "claims.csv")) + 1  # header, the book's rows, then the drafts
    drafts = re.findall(r"claims\.csv, row (\d+)(?: \(line \d+\))?, column 'status': draft row not yet curated: "
                        r"check it and set status to checked", run.stderr)
    assert [int(n) for n in drafts] == list(range(first_row, first_row + len(EXPECTED_DRAFTS)))
    assert f"sentence p04.s2 of '{SECOND_ID}' has an empty gloss" in run.stderr


@pytest.mark.parametrize("change, message", [
    (lambda root, path: ["--id", "xinhua-2026-jiangxi"], "the source 'xinhua-2026-jiangxi' is already registered"),
    (lambda root, path: ["--id", "Second Source"], "'Second Source' is not a valid source id"),
    (lambda root, path: (path.write_bytes(SECOND_SOURCE.read_text(encoding="utf-8").encode("gbk")), ["--id", "gbk"])[1],
     "not valid UTF-8"),
    (lambda root, path: (path.unlink(), ["--id", "gone"])[1], "no such file"),
])
def test_add_source_refuses_and_changes_nothing(repo, tmp_path, change, message):
    path = tmp_path / "article.txt"
    shutil.copy(SECOND_SOURCE, path)
    args = change(repo, path)
    before = tree_digest(repo)
    run = claimbook("add-source", path, *args, cwd=repo)
    assert run.returncode == 1
    assert message in run.stderr
    assert tree_digest(repo) == before


# --- curating the drafts -------------------------------------------------------------------------------

# What a curator writes for each draft of the fixture: indicator, entity (no digits: readers see them
# as prose), and the period as its sentence states it; a sentence with no time gets no period.
CURATION = {
    "p02-s1-1": ("Year of the figures that follow", "Ganzhou", "2025"),
    "p02-s1-2": ("Area planted with navel oranges", "Ganzhou", "2025"),
    "p02-s1-3": ("Navel-orange output", "Ganzhou", "2025"),
    "p03-s1-1": ("Gross output of the navel-orange cluster", "Ganzhou", ""),
    "p03-s1-2": ("Year-on-year growth of the cluster's gross output", "Ganzhou", ""),
    "p03-s1-3": ("Fruit farmers whose incomes rose", "Ganzhou", ""),
    "p04-s1-1": ("New cold-chain storage projects", "Ganzhou", ""),
    "p04-s1-2": ("Share of fruit given commercial post-harvest treatment", "Ganzhou", ""),
}
GLOSSES = {
    "p01.s1": "Observations on lengthening and completing the navel-orange chain in southern Jiangxi",
    "p02.s1": "The reporter learned from Ganzhou, Jiangxi that in {p02-s1-1} the city's navel-orange plantings "
              "reached {p02-s1-2} and output {p02-s1-3}.",
    "p03.s1": "The gross output of the navel-orange cluster passed {p03-s1-1}, up {p03-s1-2} year on year, raising "
              "the incomes of {p03-s1-3} fruit farmers.",
    "p04.s1": "The area built {p04-s1-1} cold-chain storage projects, and the share of fruit given commercial "
              "treatment rose to {p04-s1-2}.",
    "p04.s2": "“Good fruit must sell at a good price.”",
    "p04.s3": "said a local official.",
}


def curate(root: Path, group: str) -> None:
    """Do what a person does after add_source: fill in each draft's meaning, mark it checked, and
    write every gloss with a placeholder for each claim of its sentence."""
    claims_path, glosses_path = root / "data" / "claims.csv", root / "data" / "glosses.csv"
    claims = read_csv_rows(claims_path)
    for row in claims:
        if row["source_id"] == SECOND_ID:
            suffix = row["claim_id"][len(SECOND_ID) + 1:]
            row["indicator"], row["entity"], row["period"] = CURATION[suffix]
            row["period_basis"] = "stated" if row["period"] else ""
            row["group"], row["status"], row["modality"] = group, "checked", "fact"
    write_rows(claims_path, claims)
    glosses = read_csv_rows(glosses_path)
    for row in glosses:
        if row["source_id"] == SECOND_ID:
            row["gloss"] = re.sub(r"\{(p\d\d-s\d-\d)\}", lambda m: "{" + f"{SECOND_ID}-{m.group(1)}" + "}",
                                  GLOSSES[row["sentence_id"]])
    write_rows(glosses_path, glosses)


def test_curated_drafts_validate(repo):
    add_second_source(repo)
    assert claimbook("new-chapter", "citrus", "--title", "Navel oranges", "--source", SECOND_ID,
                     cwd=repo).returncode == 0
    curate(repo, "citrus")
    run = validate(repo)
    assert run.returncode == 0, run.stderr
    assert "in 2 source(s)" in run.stdout
    assert draft_claim_id(SECOND_ID, "p02.s1", 1) in Registry(repo / "data").claims


# --- the real build of a forked book ------------------------------------------------------------------

@pytest.fixture(scope="module")
def forked_book(tmp_path_factory):
    """A copy with a chapter for an empty group, and a second article curated into a group of its
    own with its own chapter, built as `make book` builds (HTML only, for speed)."""
    root = copy_inputs(REPO, tmp_path_factory.mktemp("fork") / "book").root
    assert claimbook("new-chapter", "energy", "--title", "Energy transition", cwd=root).returncode == 0
    assert add_second_source(root).returncode == 0
    assert claimbook("new-chapter", "citrus", "--title", "Navel oranges", "--title-zh", "赣南脐橙",
                     "--source", SECOND_ID, cwd=root).returncode == 0
    curate(root, "citrus")
    run = build_html(root)
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "_build" / "html" / "chapters"


def html(pages: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((pages / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_a_chapter_without_claims_builds_and_says_so(forked_book):
    page = html(forked_book, "energy")
    assert page.find("h1").get_text().startswith("Energy transition")
    text = page.get_text(" ")
    assert "No quantity of this group is registered yet" in text
    assert "No derived figure is defined for this group yet" in text


def test_the_second_source_has_its_own_appendix_with_sentence_and_claim_anchors(forked_book):
    page = html(forked_book, f"source-{SECOND_ID}")
    for sentence in ("p01-s1", "p02-s1", "p03-s1", "p04-s1", "p04-s2", "p04-s3"):
        assert page.find(id=f"sent-{sentence}") is not None, sentence
    for suffix in CURATION:
        assert page.find(id=f"claim-{SECOND_ID}-{suffix}") is not None, suffix
    first = html(forked_book, "source-text")
    assert first.find(id="claim-byd-fuzhou-revenue-2025") is not None
    assert first.find(id=f"claim-{SECOND_ID}-p02-s1-2") is None


def test_numbers_link_to_the_appendix_of_their_own_source(forked_book):
    links = html(forked_book, "citrus").select("a[data-claim]")
    assert {a["data-claim"] for a in links} == {f"{SECOND_ID}-{suffix}" for suffix in CURATION}
    assert {a["href"].split("#")[0] for a in links} == {f"source-{SECOND_ID}.html"}
    firms = html(forked_book, "firms").select("a[data-claim]")
    assert firms and {a["href"].split("#")[0] for a in firms} == {"source-text.html"}


def test_the_new_pages_carry_no_untraced_number(forked_book):
    for name in ("energy", "citrus", f"source-{SECOND_ID}"):
        page = f"chapters/{name}.html"
        report = audit_html_page((forked_book / f"{name}.html").read_text(encoding="utf-8"), page)
        assert not report.untraced, [(f.number, f.context) for f in report.untraced]
        # the empty group's chapter shows no number; the others show the second source's claims
        assert (report.count("traced") == 0) if name == "energy" else report.count("traced") > 0, name


# --- Binder ------------------------------------------------------------------------------------------

def test_binder_installs_the_pinned_requirements_and_the_package():
    requirements = (REPO / "binder" / "requirements.txt").read_text(encoding="utf-8").split()
    assert "-r" in requirements and (REPO / "binder" / requirements[requirements.index("-r") + 1]).resolve() \
        == (REPO / "requirements.txt").resolve()
    post_build = REPO / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "repo2docker runs postBuild only if it is executable"
    assert "pip install --no-deps -e ." in post_build.read_text(encoding="utf-8")
    minor = "{}.{}".format(*sys.version_info[:2])
    assert (REPO / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{minor}"


def test_binder_apt_list_is_the_system_packages_of_make_book():
    """The same Debian packages as scripts/install_system_deps.sh, except chromium (a snap on Ubuntu;
    the browser tests install their own)."""
    script_text = (REPO / "scripts" / "install_system_deps.sh").read_text(encoding="utf-8")
    packages = set(re.search(r"PACKAGES=\((.*?)\)", script_text, re.S).group(1).split())
    listed = {line.partition("#")[0].strip() for line in (REPO / "binder" / "apt.txt").read_text().splitlines()}
    assert listed - {""} == packages - {"chromium"}


def test_launch_buttons_wait_for_a_repository_url():
    """Jupyter Book builds launch links from repository.url; the book has none yet, so Binder stays
    off (a binderhub_url without it fails the HTML build) and no other repository's URL leaks in."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["url"] == "" and config["launch_buttons"]["binderhub_url"] == ""
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "repository.url" in contributing and "binderhub_url" in contributing
