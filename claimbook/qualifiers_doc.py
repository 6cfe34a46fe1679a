"""The methods chapter's tables, generated from the rules themselves so that they cannot drift."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .chapter import Markdown, cell
from .outputs import Reader
from .grammar import NON_QUANTITIES, WORDS_NOT_QUANTITIES
from .qualifiers import QUALIFIER_WORDS
from .registry import Registry

BOUND_RULES = {
    "nearly": "from the value less the margin {constant}`MARGIN`, up to the value",
    "less than": "from the value less the margin {constant}`MARGIN`, up to the value",
    "more than": "from the value up to the value plus the margin {constant}`MARGIN` (shares capped at the whole)",
    "and more": "from the value up to one more unit of its last significant digit",
    "about": "the value plus or minus {constant}`ABOUT`",
    "within": "the duration as stated",
    "since": "the duration as stated",
    "ago": "the duration as stated",
}
SOFTWARE = ("jupyter-book", "sphinx", "myst-nb", "papermill", "pandas", "matplotlib", "seaborn", "cn2an",
            "numpy")


def qualifier_table(registry: Registry | None = None) -> Markdown:
    """Qualifier words, the bound rule, and an example from the register for each."""
    registry = registry or Registry()
    words: dict[str, list[str]] = {}
    for word, qualifier in QUALIFIER_WORDS.items():
        words.setdefault(qualifier, []).append(word)
    lines = ["| Words | Qualifier | Bounds | Example in the article |", "|---|---|---|---|"]
    for qualifier, rule in BOUND_RULES.items():
        example = next((c for c in registry.claim_list if c.qualifier == qualifier), None)
        shown = (f"{{claim-exact}}`{example.claim_id}` → {{claim-range}}`{example.claim_id}`" if example else "none")
        lines.append(f"| {' '.join(words[qualifier])} | {qualifier} | {rule} | {shown} |")
    return Markdown("\n".join(lines), Reader(registry))


def exclusion_table() -> Markdown:
    lines = ["| Not a quantity | Example |", "|---|---|"]
    for _pattern, why, example in NON_QUANTITIES:
        lines.append(f"| {cell(why)} | `{example}` |")
    for why, examples in WORDS_NOT_QUANTITIES:
        lines.append(f"| {cell(why)} | " + ", ".join(f"`{e}`" for e in examples.split(", ")) + " |")
    return Markdown("\n".join(lines))


def software_versions() -> str:
    """Installed versions, one per line (shown as code output)."""
    import platform
    rows = [f"python {platform.python_version()}"]
    for name in SOFTWARE:
        try:
            rows.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            rows.append(f"{name} (not installed)")
    return "\n".join(rows)
