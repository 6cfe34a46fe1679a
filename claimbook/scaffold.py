"""Forking the book: a chapter for a new indicator group, and a new source article.

``claimbook new-chapter`` and ``claimbook add-source`` (:mod:`claimbook.cli`) are thin command lines over
:func:`new_chapter` and :func:`add_source`. Both check everything before they write anything, so a
refused request leaves the repository as it was; both edit ``_toc.yml`` and
``chapters/manifest.yml`` as text, keeping their comments, and prove the result still parses.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .chapter import ALL_GROUPS
from .errors import DataError
from .extract import locate, mention_cells
from .files import csv_reader, csv_text, decode_utf8, read_csv_rows, read_csv_text
from .grammar import typed_number
from .registry import CLAIM_COLUMNS, DRAFT, GLOSS_COLUMNS, GROUP_COLUMNS
from .source import FIRST_SOURCE_PAGE, SOURCE_COLUMNS, segment, source_page_name
from .validate import SLUG

MAX_ID_LENGTH = 48  # cell ids (<group>-NN) must stay within nbformat's limit of 64 characters
GROUPS_PART = "Indicator groups"  # the _toc.yml part that holds one chapter per group
APPENDICES_PART = "Appendices"
NOT_RECORDED = "not recorded"  # outlet or authors the person adding a source did not give


class ScaffoldError(Exception):
    """A request the scaffold refuses, with the reason in words a student can act on."""


@dataclass(frozen=True)
class Repository:
    """The files a fork touches, relative to the repository root."""

    root: Path

    chapters = property(lambda self: Path(self.root) / "chapters")
    data = property(lambda self: Path(self.root) / "data")
    manifest = property(lambda self: Path(self.root) / "chapters" / "manifest.yml")
    toc = property(lambda self: Path(self.root) / "_toc.yml")


# --- checks -------------------------------------------------------------------------------------------

def check_slug(identifier: str, what: str) -> None:
    if not SLUG.match(identifier or ""):
        raise ScaffoldError(f"'{identifier}' is not a valid {what}: use lower-case letters, digits and single "
                            f"hyphens (kebab-case), for example 'energy-transition'")
    if len(identifier) > MAX_ID_LENGTH:
        raise ScaffoldError(f"'{identifier}' is too long for a {what} ({len(identifier)} characters; at most "
                            f"{MAX_ID_LENGTH})")


def check_prose(text: str, what: str) -> None:
    """Titles and descriptions are shown to readers as text, where every number must be traced."""
    found = typed_number(text)
    if found:
        raise ScaffoldError(f"the {what} types a number ('{found}'): readers see it as prose, where every number "
                            f"must be traced; write it in words or leave it out")


def _page_exists(repo: Repository, name: str) -> bool:
    return any((repo.chapters / f"{name}{suffix}").exists() for suffix in (".md", ".ipynb", ".rst"))


def _manifest_names(repo: Repository) -> list[str]:
    document = yaml.safe_load(repo.manifest.read_text(encoding="utf-8")) or {}
    return [entry.get("name") for entry in document.get("entries", [])]


def _toc_files(repo: Repository) -> list[str]:
    """Every page _toc.yml names (its root and each ``file:``), in order."""
    from .build.manifest import toc_files

    return [node.value for _, node in toc_files(yaml.compose(repo.toc.read_text(encoding="utf-8")))]


# --- CSV and text edits -------------------------------------------------------------------------------


def append_csv_rows(path: Path, columns, rows: list[dict[str, str]]) -> None:
    """Append rows to a CSV whose header is ``columns``; the existing bytes stay as they are."""
    text = read_csv_text(path)
    header = csv_reader(text).fieldnames
    if list(header) != list(columns):
        raise ScaffoldError(f"{path}: the header is {','.join(header)}, expected {','.join(columns)}")
    if not text.endswith("\n"):
        text += "\n"
    body = csv_text(columns, rows).split("\n", 1)[1]
    Path(path).write_text(text + body, encoding="utf-8")


def insert_into_part(toc_text: str, caption: str, page: str, after: str | None = None) -> str:
    """``_toc.yml`` with ``- file: page`` added to the part captioned ``caption``: after the entry
    ``after`` if given (and listed), else after the part's last entry. Comments stay."""
    lines = toc_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"\s*- caption:\s*{re.escape(caption)}\s*$", line)),
                 None)
    if start is None:
        raise ScaffoldError(f"_toc.yml has no part captioned '{caption}'")
    entries = []
    for index in range(start + 1, len(lines)):
        if re.match(r"\s*- caption:", lines[index]):
            break
        match = re.match(r"(\s*)- file:\s*(\S+)\s*$", lines[index])
        if match:
            entries.append((index, match.group(1), match.group(2)))
    if not entries:
        raise ScaffoldError(f"the part '{caption}' of _toc.yml lists no file to place the new page beside")
    chosen = next((e for e in entries if e[2] == after), entries[-1]) if after else entries[-1]
    index, indent, _ = chosen
    lines.insert(index + 1, f"{indent}- file: {page}\n")
    return "".join(lines)


def append_manifest_entry(manifest_text: str, name: str, notebook: str, parameters: dict[str, str],
                          after: str | None = None) -> str:
    """``manifest.yml`` with a new entry after the entry named ``after`` (else at the end); every
    comment and every other entry stays as written."""
    flow = ", ".join(f"{key}: {value}" for key, value in parameters.items())
    block = [f"  - name: {name}\n", f"    notebook: {notebook}\n", f"    parameters: {{{flow}}}\n"]
    lines = manifest_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    position = len(lines)
    if after is not None:
        start = next((i for i, line in enumerate(lines) if re.match(rf"\s*- name:\s*{re.escape(after)}\s*$", line)),
                     None)
        if start is not None:
            position = start + 1
            while position < len(lines) and re.match(r"\s{4,}\S", lines[position]):
                position += 1  # the entry's own fields, indented under its "- name:"
    lines[position:position] = block
    return "".join(lines)


def _proved_yaml(text: str, path: Path) -> str:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:  # a bug here, not the student's: say where
        raise ScaffoldError(f"editing {path} would leave invalid YAML: {exc}") from None
    return text


# --- a new chapter ------------------------------------------------------------------------------------

PARAMETERS_TEMPLATE = '''# Parameters (papermill replaces these; see chapters/manifest.yml)
source_id = "{source_id}"
group = "{group}"
reading = "point"  # "point" | "lower" | "upper": which bound of each qualifier to read
output_dir = None  # where the computed values are recorded for `make verify`
book_root = None  # the book's folder; None: found upwards from the working directory, or $CLAIMBOOK_ROOT'''

# The second cell of every chapter: how to read it in Jupyter (the book leaves it out).
READING_NOTE = """**Reading this notebook outside the book.** Its text is MyST Markdown: a number is written as a
role that names its id, such as {claim}`byd-fuzhou-revenue-2025`, and the book replaces each role
with the number, linked to the sentence that states it. Run all cells (from this folder or from the
repository's root; from anywhere else, set `book_root` in the parameters cell or the environment
variable `CLAIMBOOK_ROOT`): the charts appear under their code, and the tables show every number of
the chapter as the book prints it, with its sentence id and the Chinese sentence. The book itself is
built with `make book` (see the repository's README)."""

GUIDE = """% Write the chapter's argument here. Show a number only through its id: {claim}`claim-id` for a
% quantity the article states, {derived}`derived-id` for one the book computes, and quote a sentence
% with a source-quote directive. A digit typed into this text is a number nobody can trace."""


def chapter_notebook(group: str, title: str, source_id: str, title_zh: str = "", description: str = ""):
    """The notebook of a group chapter, structured as the book's own: heading and label, the tagged
    note on reading it in Jupyter, the parameters cell, the Chapter setup, the group's quantities and derived figures,
    the record cell. No outputs and fixed cell ids (``<group>-NN``), so the file is the same every time."""
    import nbformat

    heading = f"{title} ({title_zh})" if title_zh else title
    intro = f"(chapter-{group})=\n# {heading}\n\n" + (f"{description}\n\n" if description else "") + GUIDE
    cells = [
        nbformat.v4.new_markdown_cell(intro),
        nbformat.v4.new_markdown_cell(READING_NOTE, metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell(PARAMETERS_TEMPLATE.format(source_id=source_id, group=group),
                                  metadata={"tags": ["parameters", "hide-input"]}),
        nbformat.v4.new_code_cell(f"from claimbook.chapter import Chapter\n\n"
                                  f"ch = Chapter(source_id, group, reading, output_dir, "
                                  f"name='{group}', root=book_root)",
                                  metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_markdown_cell("## Every quantity of this group\n\n"
                                      "The table lists each quantity of the group as the article states it, the "
                                      "value the book reads from it, the range its qualifier allows and the "
                                      "sentence it comes from."),
        nbformat.v4.new_code_cell("ch.claims_table()", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_markdown_cell("## Figures this group implies\n\n"
                                      "These figures are not printed in the article; each is computed from the "
                                      "registered quantities by the formula shown in the "
                                      "{doc}`derived-figures appendix <derived-figures>`, with the qualifiers' "
                                      "ranges carried through."),
        nbformat.v4.new_code_cell("ch.derived_table()", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_code_cell("ch.record();", metadata={"tags": ["remove-cell"]}),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"{group}-{index:02d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}}
    nbformat.validate(notebook)
    return notebook


def notebook_text(notebook) -> str:
    """The bytes the book's notebooks are saved with (nbformat's own layout, a final newline)."""
    import nbformat

    return nbformat.writes(notebook) + "\n"


@dataclass(frozen=True)
class NewChapter:
    group: str
    notebook: Path
    order: int


def new_chapter(root: Path, group: str, title: str, *, title_zh: str = "", description: str = "",
                source_id: str | None = None) -> NewChapter:
    """Scaffold the chapter of a new indicator group: notebook, manifest entry, table-of-contents
    entry and groups.csv row. Refuses an id that is malformed or already taken, before writing."""
    repo = Repository(Path(root))
    check_slug(group, "group id")
    if group == ALL_GROUPS:
        raise ScaffoldError(f"'{ALL_GROUPS}' is reserved: chapters with group '{ALL_GROUPS}' span every group")
    if not title.strip():
        raise ScaffoldError("the chapter needs a title (--title)")
    for text, what in ((title, "title"), (title_zh, "Chinese title"), (description, "description")):
        check_prose(text, what)

    groups = read_csv_rows(repo.data / "groups.csv")
    if any(row["group_id"] == group for row in groups):
        raise ScaffoldError(f"the group '{group}' already exists in data/groups.csv; pick another id, or edit "
                            f"chapters/{group}.ipynb if it is yours")
    if group in _manifest_names(repo):
        raise ScaffoldError(f"chapters/manifest.yml already has an entry named '{group}'")
    if _page_exists(repo, group) or f"chapters/{group}" in _toc_files(repo):
        raise ScaffoldError(f"a page chapters/{group} already exists; pick another id")
    sources = [row["source_id"] for row in read_csv_rows(repo.data / "sources.csv")]
    source_id = source_id or sources[0]
    if source_id not in sources:
        raise ScaffoldError(f"unknown source '{source_id}'; data/sources.csv has: {', '.join(sources)}")

    notebook = chapter_notebook(group, title.strip(), source_id, title_zh.strip(), description.strip())
    order = 1 + max((int(float(row["order"])) for row in groups), default=0)
    last_group = _last_group_chapter(repo)
    manifest = _proved_yaml(append_manifest_entry(
        repo.manifest.read_text(encoding="utf-8"), group, f"{group}.ipynb",
        {"source_id": source_id, "group": group, "reading": "point"}, after=last_group), repo.manifest)
    toc = _proved_yaml(insert_into_part(repo.toc.read_text(encoding="utf-8"), GROUPS_PART, f"chapters/{group}"),
                       repo.toc)

    path = repo.chapters / f"{group}.ipynb"
    path.write_text(notebook_text(notebook), encoding="utf-8")
    repo.manifest.write_text(manifest, encoding="utf-8")
    repo.toc.write_text(toc, encoding="utf-8")
    append_csv_rows(repo.data / "groups.csv", GROUP_COLUMNS, [{
        "group_id": group, "order": str(order), "title_en": title.strip(), "title_zh": title_zh.strip(),
        "description": description.strip() or title.strip(),
    }])
    return NewChapter(group, path, order)


def _last_group_chapter(repo: Repository) -> str | None:
    """The manifest entry of the last chapter of the groups part, after which a new one goes."""
    document = yaml.safe_load(repo.toc.read_text(encoding="utf-8"))
    for part in document.get("parts", []):
        if part.get("caption") == GROUPS_PART:
            files = [c.get("file", "") for c in part.get("chapters", [])]
            names = set(_manifest_names(repo))
            listed = [f.split("/", 1)[-1] for f in files if f.split("/", 1)[-1] in names]
            return listed[-1] if listed else None
    return None


# --- a new source -------------------------------------------------------------------------------------

def draft_claim_id(source_id: str, sentence_id: str, number: int) -> str:
    """``people-2026-anhui`` + ``p03.s1`` + 2 → ``people-2026-anhui-p03-s1-2``."""
    return f"{source_id}-{sentence_id.replace('.', '-')}-{number}"


def draft_claims(source_id: str, text: str) -> list[dict[str, str]]:
    """A draft registry row for each quantity the grammar finds: span, selectors and values filled
    in, the meaning (indicator, entity, period, group) left for a person, status ``draft``."""
    rows, counts = [], {}
    for item in locate(text):
        if item.sentence is None:
            raise ScaffoldError(f"the quantity '{item.mention.exact}' at {item.mention.start} lies outside every "
                                f"sentence")
        counts[item.sentence.id] = counts.get(item.sentence.id, 0) + 1
        m = item.mention
        rows.append({
            "claim_id": draft_claim_id(source_id, item.sentence.id, counts[item.sentence.id]),
            "source_id": source_id, "sentence_id": item.sentence.id, "start": str(m.start), "end": str(m.end),
            "exact": m.exact, "prefix": item.prefix, "suffix": item.suffix, **mention_cells(m),
            "indicator": "", "entity": "", "period": "", "group": "", "status": DRAFT, "note": "",
        })
    return [{column: row.get(column, "") for column in CLAIM_COLUMNS} for row in rows]


def source_page(source_id: str, title: str) -> str:
    """The appendix page of a further source: its text, sentence by sentence, with every claim."""
    try:
        check_prose(title, "title")
        heading = f"Appendix: 《{title}》"
    except ScaffoldError:  # a headline with a number: name the source by its id instead
        heading = f"Appendix: the source `{source_id}`"
    return (f"(appendix-{source_page_name(source_id)})=\n# {heading}\n\n"
            f"The article is reproduced here verbatim, paragraph by paragraph, from the registered copy\n"
            f"`data/sources/{source_id}.txt`, whose `sha256` hash the build checks. Each sentence carries its\n"
            f"identifier and an English gloss; every quantity in a sentence is highlighted and has its own\n"
            f"permalink, `#claim-<claim id>`.\n\n"
            f"```{{source-text}} {source_id}\n```\n")


@dataclass(frozen=True)
class NewSource:
    source_id: str
    text: Path
    page: Path
    sentences: int
    drafts: int


def add_source(root: Path, text_path: Path, source_id: str, *, title: str = "", subtitle: str = "",
               outlet: str = "", authors: list[str] | None = None, language: str = "zh-Hans",
               date_published: str = "") -> NewSource:
    """Register an article: its verbatim copy and sha256, a row in sources.csv, an empty gloss per
    sentence, a draft claim per quantity, and its appendix page in the table of contents. The book
    will not build until a person has curated the drafts and written the glosses."""
    repo = Repository(Path(root))
    check_slug(source_id, "source id")
    try:
        raw = Path(text_path).read_bytes()
    except FileNotFoundError:
        raise ScaffoldError(f"{text_path}: no such file") from None
    try:
        text = decode_utf8(raw, Path(text_path))
    except DataError as exc:
        raise ScaffoldError(str(exc)) from None
    if not text.strip():
        raise ScaffoldError(f"{text_path} is empty")
    sources = read_csv_rows(repo.data / "sources.csv")
    if any(row["source_id"] == source_id for row in sources):
        raise ScaffoldError(f"the source '{source_id}' is already registered in data/sources.csv")
    target = repo.data / "sources" / f"{source_id}.txt"
    page = repo.chapters / f"{source_page_name(source_id)}.md"
    for existing in (target, page):
        if existing.exists():
            raise ScaffoldError(f"{existing.relative_to(repo.root)} exists already; remove it or pick another id")
    if f"chapters/{source_page_name(source_id)}" in _toc_files(repo):
        raise ScaffoldError(f"_toc.yml already lists chapters/{source_page_name(source_id)}")

    sentences = segment(text)
    title = title.strip() or (sentences[0].text if sentences else source_id)
    drafts = draft_claims(source_id, text)
    toc = _proved_yaml(insert_into_part(repo.toc.read_text(encoding="utf-8"), APPENDICES_PART,
                                        f"chapters/{source_page_name(source_id)}", after=_last_source_page(repo)),
                       repo.toc)

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)  # verbatim: the bytes the hash is taken of
    append_csv_rows(repo.data / "sources.csv", SOURCE_COLUMNS, [{
        "source_id": source_id, "path": f"sources/{source_id}.txt", "sha256": hashlib.sha256(raw).hexdigest(),
        "title": title, "subtitle": subtitle.strip(), "outlet": outlet.strip() or NOT_RECORDED,
        "authors": ";".join(a.strip() for a in (authors or []) if a.strip()) or NOT_RECORDED,
        "language": language, "date_published": date_published.strip(), "date_inferred": "", "date_note": "",
    }])
    append_csv_rows(repo.data / "glosses.csv", GLOSS_COLUMNS,
                    [{"source_id": source_id, "sentence_id": s.id, "gloss": ""} for s in sentences])
    append_csv_rows(repo.data / "claims.csv", CLAIM_COLUMNS, drafts)
    page.write_text(source_page(source_id, title), encoding="utf-8")
    repo.toc.write_text(toc, encoding="utf-8")
    return NewSource(source_id, target, page, len(sentences), len(drafts))


def _last_source_page(repo: Repository) -> str | None:
    pages = [f for f in _toc_files(repo) if f == FIRST_SOURCE_PAGE or f.startswith("chapters/source-")]
    return pages[-1] if pages else None
