"""The methods chapter's tables, generated from the rules themselves so that they cannot drift."""
from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

from .chapter import Markdown, cell, data_text
from .grammar import NON_QUANTITIES, WORDS_NOT_QUANTITIES
from .meaning import ATTRIBUTION_CUES, MODALITIES, MODALITY_CUES
from .outputs import Reader, book_reader
from .qualifiers import QUALIFIER_WORDS
from .qualitative import KINDS, load

# qualifier → (words that are not in QUALIFIER_WORDS, what the words state, what the method assumes)
QUALIFIER_RULES = {
    "": ("a number alone", "the value itself", "nothing"),
    "nearly": ("", "a ceiling: at most the value", "a floor of the value less {constant}`MARGIN` of it"),
    "less than": ("", "a ceiling: at most the value", "a floor of the value less {constant}`MARGIN` of it"),
    "more than": ("", "a floor: at least the value (a share stays at most the whole)",
                  "a ceiling of the value plus {constant}`MARGIN` of it, at most the whole for a share"),
    "and more": ("", "both ends: from the value up to one more unit of its last significant digit", "nothing"),
    "about": ("", "neither end", "the value plus or minus {constant}`ABOUT` of it"),
    "scale": ("N级, 几十, 数百", "the order of magnitude named: from the value up to {constant}`SCALE_STEP` times it",
              "nothing"),
    "top": ("前N强, 前N名", "the size of the top group, exactly", "nothing"),
    "within": ("", "the span as stated", "nothing"),
    "since": ("近 before a span of years", "the span as stated, counted back from the time of the statement",
              "nothing"),
    "ago": ("", "the span as stated", "nothing"),
    "range": ("A至B, two neighbouring digits", "both ends, as stated; no single value", "nothing"),
    "from": ("从A到B", "where the change ended, with where it began", "nothing"),
}
SOFTWARE = ("jupyter-book", "sphinx", "myst-nb", "papermill", "pandas", "matplotlib", "seaborn", "cn2an",
            "numpy")


def qualifier_table(reader: Reader | None = None) -> Markdown:
    """Every qualifier: its words, what they state, what the method assumes, and an example from the
    register with its stated bounds and its assumed range. ``reader``: the chapter's (``ch.reader``),
    whose derived figures are computed already; default: the book's."""
    reader = reader or book_reader()
    registry = reader.registry
    words: dict[str, list[str]] = {}
    for word, qualifier in QUALIFIER_WORDS.items():
        words.setdefault(qualifier, []).append(word)
    lines = ["| Words (qualifier) | What the words state | What the method assumes | Example: stated bounds, assumed |",
             "|---|---|---|---|"]
    for qualifier, (extra, stated, assumed) in QUALIFIER_RULES.items():
        example = next((c for c in registry.claim_list if c.qualifier == qualifier and c.value is not None), None)
        shown = "none in the article"
        if example:
            shown = (f"{{claim-exact}}`{example.claim_id}` → {{claim-range}}`{example.claim_id}`, "
                     f"{{claim-assumed}}`{example.claim_id}`")
        names = "、".join(words.get(qualifier, []) + ([extra] if extra and qualifier in words else [])) or extra
        lines.append(f"| {names} ({qualifier or 'none'}) | {stated} | {assumed} | {shown} |")
    return Markdown("\n".join(lines), reader)


def statement_table() -> Markdown:
    """The modalities a claim can have, and the cue words that mark them and a named source."""
    cues: dict[str, list[str]] = {}
    for word, modality in MODALITY_CUES.items():
        cues.setdefault(modality, []).append(word)
    lines = ["| Modality | Meaning | Cue words before the number, in its clause |", "|---|---|---|"]
    for modality, meaning in MODALITIES.items():
        lines.append(f"| {modality} | {meaning} | {' '.join(cues.get(modality, [])) or 'no cue of the others'} |")
    lines.append("")
    lines.append("Words that name a source, recorded verbatim in `attribution`: "
                 + ", ".join(f"{word} ({gloss})" for word, gloss in ATTRIBUTION_CUES.items()) + ".")
    return Markdown("\n".join(lines))


def exclusion_table() -> Markdown:
    lines = ["| Not a quantity | Example |", "|---|---|"]
    for _pattern, why, example in NON_QUANTITIES:
        lines.append(f"| {cell(why)} | `{example}` |")
    for why, examples in WORDS_NOT_QUANTITIES:
        lines.append(f"| {cell(why)} | " + ", ".join(f"`{e}`" for e in examples.split(", ")) + " |")
    return Markdown("\n".join(lines))


def qualitative_table(reader: Reader | None = None) -> Markdown:
    """The qualitative claims of ``data/qualitative.csv``: firsts, leading positions, rankings without
    a rank. ``reader`` as for :func:`qualifier_table`."""
    reader = reader or book_reader()
    lines = ["| Words | Kind | Gloss | Sentence |", "|---|---|---|---|"]
    for q in load(reader.registry.data_dir):
        lines.append(f"| {data_text(q.words)} | {cell(KINDS[q.kind])} | {data_text(q.gloss)} "
                     f"| {{sentence}}`{q.source_id}:{q.sentence_id}` |")
    return Markdown("\n".join(lines), reader)


def installed_versions(names=SOFTWARE) -> dict[str, str]:
    """Python's version and each package's installed one (the methods chapter's list, the benchmarks')."""
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "(not installed)"
    return found


def software_versions() -> str:
    """Installed versions, one per line (shown as code output)."""
    return "\n".join(f"{name} {found}" for name, found in installed_versions().items())
