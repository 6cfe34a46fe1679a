"""The package map of DEVELOPMENT.md holds: every module is on it, and a module imports only from its
own layer or the layers listed before it. The map is read from DEVELOPMENT.md itself, so the page and
this test cannot drift apart; the imports are read with ``ast``, function-level ones included."""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "claimbook"
# Imports that break the layers, known and explained under the map: (importer, imported layer entry).
KNOWN: set[tuple[str, str]] = set()


def layers() -> list[list[str]]:
    """The map's rows, bottom layer first, as the names they list (``grammar``, ``files``…)."""
    text = (REPO / "DEVELOPMENT.md").read_text(encoding="utf-8")
    block = re.search(r"```text\nclaimbook/\n(.*?)```", text, re.S)[1]
    rows = []
    for line in block.splitlines():
        names = re.findall(r"(?<!\S)([a-z_]+)(?:\.py|/)(?=\s)", line[:37] + " ")
        if names:
            rows.append(names)
    return rows


def module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported(path: Path) -> set[str]:
    """The first part of every claimbook module ``path`` imports (``build``, ``derived``…)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            targets = [base + node.module.split(".")] if node.module else [base + [a.name] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "claimbook":
            rest = node.module.split(".")[1:]
            targets = [rest] if rest else [[a.name] for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name.split(".")[1:] for a in node.names if a.name.startswith("claimbook.")]
        else:
            continue
        found |= {target[0] for target in targets if target and target[0] != "__version__"}
    return found


def layer_of() -> dict[str, int]:
    return {name: index for index, row in enumerate(layers()) for name in row}


def test_every_module_of_the_package_is_on_the_map():
    mapped = layer_of()
    tops = {module_name(path)[0] for path in PACKAGE.rglob("*.py") if module_name(path)}
    assert sorted(tops - set(mapped)) == []
    assert sorted(set(mapped) - tops) == [], "the map names a module that is gone"


def test_a_module_imports_only_from_its_own_layer_or_those_below():
    mapped = layer_of()
    broken = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        top = module_name(path)[0] if module_name(path) else None
        if top is None:
            continue
        broken |= {(top, other) for other in imported(path) if other in mapped and mapped[other] > mapped[top]}
    assert broken == KNOWN, f"new: {sorted(broken - KNOWN)}; no longer there: {sorted(KNOWN - broken)}"
