"""Derived figures: formulas over claim ids, evaluated with interval arithmetic.

Each row of ``data/formulas.csv`` defines one figure. A formula is a small arithmetic expression
in which claim ids and other derived ids appear in braces::

    {byd-fuzhou-revenue-2025} / (1 + {byd-fuzhou-revenue-growth-2025})

Allowed: ``+ - * / **``, unary minus, parentheses, the numeric literals in
:data:`STRUCTURAL_CONSTANTS`, and the functions in :data:`FUNCTIONS`. The text is parsed with
:mod:`ast` and walked by a small interpreter over a whitelist of node types; nothing is ever
passed to ``eval``. Any other number must come from a claim, so that every input is traceable.
"""
from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .files import FIRST_ROW, csv_text, read_table
from .grammar import DIGIT, typed_number
from .interval import READINGS, Interval, cagr, interval_max, interval_min, power, root
from .registry import Registry, format_number

FORMULA_COLUMNS = ("derived_id", "source_id", "group", "title", "formula", "unit", "kind", "description")
PUBLISHED_COLUMNS = (
    "derived_id", "title", "value", "lower", "upper", "open_end", "assumed_lower", "assumed_upper", "unit", "kind",
    "formula", "inputs", "according_to", "group", "source_id", "description",
)
OPEN_ENDS = {(True, True): "", (False, True): "lower", (True, False): "upper", (False, False): "both"}

# Numbers that are structure, not data: "1 +" turns a growth rate into a ratio, "100" a share
# into per cent. Any other number in a formula would be an untraced input.
STRUCTURAL_CONSTANTS = frozenset({1, 100})

FUNCTIONS = {
    "reading": "reading({claim-id}, \"name\"): one named reading of an ambiguous claim, as an exact value",
    "cagr": "cagr(ratio, years): compound annual growth rate ratio ** (1 / years) - 1",
    "root": "root(x, n): the n-th root of x",
    "min": "min(a, b, ...): the smaller value, bound by bound",
    "max": "max(a, b, ...): the larger value, bound by bound",
}
FUNCTION_ARITY = {"reading": (2, 2), "cagr": (2, 2), "root": (2, 2), "min": (2, None), "max": (2, None)}

KINDS = {
    "implied": "a figure the text implies but does not state, such as an earlier year's value",
    "ratio": "one quantity over another of a different kind",
    "share": "a part over its whole, as a fraction",
    "per-unit": "an amount spread over years, firms or rounds",
    "growth": "a growth rate, year on year or compound annual",
    "difference": "one quantity less another, or what remains after a cut",
    "aggregate": "a sum or product that bounds a total",
    "payback": "years for a yearly gain to repay an investment",
    "check": "a consistency check between two statements of the text",
}

# Titles and descriptions are shown to readers, where every number must be traceable.
PROSE_COLUMNS = ("title", "description")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REFERENCE = re.compile(r"\{([^{}]*)\}")  # how a formula names an input: {claim-id}
_PLACEHOLDER = "_ref{}"
_PLACEHOLDER_NAME = re.compile(r"\b_ref\d")

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}


@dataclass(frozen=True)
class Formula:
    derived_id: str
    source_id: str
    group: str
    title: str
    formula: str
    unit: str
    kind: str
    description: str
    inputs: tuple[str, ...]
    row: int = field(default=0, compare=False)
    expression: ast.Expression | None = field(default=None, compare=False, repr=False)
    names: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def anchor(self) -> str:
        return derived_anchor(self.derived_id)


@dataclass(frozen=True)
class DerivedValue:
    derived_id: str
    value: float
    lower: float
    upper: float
    unit: str
    kind: str
    title: str
    formula: str
    inputs: tuple[str, ...]
    description: str
    group: str
    source_id: str
    point: float = field(default=0.0, compare=False)
    # Whether each end follows from stated bounds (False: an open side, infinite or a physical limit).
    lower_stated: bool = field(default=True, compare=False)
    upper_stated: bool = field(default=True, compare=False)
    # The range under the method's assumed margins (claimbook.qualifiers.MARGIN): an assumption.
    assumed_lower: float | None = field(default=None, compare=False)
    assumed_upper: float | None = field(default=None, compare=False)
    according_to: tuple[str, ...] = field(default=(), compare=False)

    @property
    def anchor(self) -> str:
        return derived_anchor(self.derived_id)

    @property
    def interval(self) -> Interval:
        return Interval(self.lower, self.point, self.upper, self.lower_stated, self.upper_stated)

    @property
    def assumed_interval(self) -> Interval | None:
        if self.assumed_lower is None or self.assumed_upper is None:
            return None
        return Interval(self.assumed_lower, self.point, self.assumed_upper)


def derived_anchor(derived_id: str) -> str:
    return "derived-" + derived_id


def readable_formula(formula: str) -> str:
    """``{a} / (1 + {b})`` → ``a / (1 + b)``."""
    return REFERENCE.sub(lambda m: m.group(1).strip(), formula)


# --- loading ----------------------------------------------------------------------------------------

def formulas_path(registry: Registry) -> Path:
    return registry.data_dir / "formulas.csv"


def load_formulas(path: Path | None = None, registry: Registry | None = None) -> list[Formula]:
    """Read and check ``formulas.csv``; ids are resolved against ``registry`` (default: the data
    directory that holds ``path``). Every problem is a :class:`DataError` naming file, row, column."""
    if registry is None:
        registry = Registry(Path(path).parent) if path is not None else Registry()
    path = Path(path) if path is not None else formulas_path(registry)
    rows = read_table(path, FORMULA_COLUMNS)
    group_ids = {g.group_id for g in registry.groups}

    derived_rows: dict[str, int] = {}
    for number, row in enumerate(rows, start=FIRST_ROW):
        for column in FORMULA_COLUMNS:  # every column is required
            if not row[column].strip():
                raise DataError(path, number, column, f"{column} is empty")
            if row[column] != row[column].strip():
                raise DataError(path, number, column, "leading or trailing spaces")
        for column in PROSE_COLUMNS:
            found = typed_number(row[column])
            if found:
                what = "digits" if DIGIT.search(found) else f"the quantity '{found}'"
                raise DataError(path, number, column, f"{what} in prose: a number shown to a reader must come from a "
                                "claim or a derived value, so name the quantity's role instead of its value")
        derived_id = row["derived_id"]
        if not ID_PATTERN.fullmatch(derived_id):
            raise DataError(path, number, "derived_id", f"'{derived_id}' is not a kebab-case id (a-z, 0-9, '-')")
        if derived_id in derived_rows:
            first = derived_rows[derived_id]
            raise DataError(path, number, "derived_id", f"duplicate id '{derived_id}' (first on row {first})")
        if derived_id in registry.claims:
            raise DataError(path, number, "derived_id", f"'{derived_id}' is already a claim id in claims.csv")
        if row["source_id"] not in registry.sources:
            raise DataError(path, number, "source_id", f"unknown source '{row['source_id']}'")
        if row["group"] not in group_ids:
            known = ", ".join(sorted(group_ids))
            raise DataError(path, number, "group", f"unknown group '{row['group']}'; known: {known}")
        if row["kind"] not in KINDS:
            raise DataError(path, number, "kind", f"unknown kind '{row['kind']}'; known: {', '.join(KINDS)}")
        derived_rows[derived_id] = number

    formulas = [
        _parse_row(path, number, row, registry, derived_rows)
        for number, row in enumerate(rows, start=FIRST_ROW)
    ]
    _dependency_order(path, formulas)  # fails on a cycle
    return formulas


def _parse_row(path, number, row, registry: Registry, derived_rows) -> Formula:
    text = row["formula"]

    def fail(message):
        raise DataError(path, number, "formula", f"{message} in '{text}'")

    names: dict[str, str] = {}
    inputs: list[str] = []

    def substitute(match: re.Match) -> str:
        ref = match.group(1).strip()
        if not ID_PATTERN.fullmatch(ref):
            fail(f"'{{{match.group(1)}}}' is not a claim or derived id")
        if ref not in registry.claims and ref not in derived_rows:
            fail(f"unknown id '{ref}' (neither a claim in claims.csv nor a derived figure)")
        if ref not in inputs:
            inputs.append(ref)
        placeholder = _PLACEHOLDER.format(inputs.index(ref))
        names[placeholder] = ref
        return placeholder

    if _PLACEHOLDER_NAME.search(text):
        fail("names like '_ref0' are reserved")
    python = REFERENCE.sub(substitute, text)
    if "{" in python or "}" in python:
        fail("unbalanced brace")
    try:
        expression = ast.parse(python.strip(), mode="eval")
    except SyntaxError as exc:
        expression, problem = None, exc.msg
    if expression is None:
        fail(f"syntax error ({problem})")
    _check_node(expression.body, names, registry, fail)
    return Formula(
        derived_id=row["derived_id"], source_id=row["source_id"], group=row["group"], title=row["title"],
        formula=text, unit=row["unit"], kind=row["kind"], description=row["description"],
        inputs=tuple(inputs), row=number, expression=expression, names=tuple(names.items()),
    )


def _check_node(node, names, registry: Registry, fail) -> None:
    """Accept only the whitelisted grammar; every reference must be usable as a number."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check_node(node.left, names, registry, fail)
        _check_node(node.right, names, registry, fail)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check_node(node.operand, names, registry, fail)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            fail(f"literal {node.value!r} is not allowed (strings only name a reading)")
        if node.value not in STRUCTURAL_CONSTANTS:
            allowed = ", ".join(str(c) for c in sorted(STRUCTURAL_CONSTANTS))
            fail(f"the number {node.value!r} is not a structural constant ({allowed}); cite it as a claim id")
    elif isinstance(node, ast.Name):
        if node.id not in names:
            fail(f"bare name '{node.id}' (write claim and derived ids in braces)")
        claim = registry.claims.get(names[node.id])
        if claim is not None and claim.value is None:
            fail(f"claim '{claim.claim_id}' has no numeric value")
    elif isinstance(node, ast.Call):
        _check_call(node, names, registry, fail)
    else:
        fail(f"'{ast.unparse(node)}' is not allowed ({type(node).__name__})")


def _check_call(node: ast.Call, names, registry: Registry, fail) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        called = ast.unparse(node.func)
        fail(f"unknown function '{called}'; allowed: {', '.join(FUNCTIONS)}")
    name = node.func.id
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        fail(f"{name}() takes positional arguments only")
    least, most = FUNCTION_ARITY[name]
    if len(node.args) < least or (most is not None and len(node.args) > most):
        fail(f"{name}() takes {least if least == most else f'at least {least}'} arguments, got {len(node.args)}")
    if name == "reading":
        target, label = node.args
        ref = names.get(target.id) if isinstance(target, ast.Name) else None
        if ref is None or ref not in registry.claims:
            fail("reading() needs a claim id in braces as its first argument")
        if not isinstance(label, ast.Constant) or not isinstance(label.value, str):
            fail("reading() needs a reading name in quotes as its second argument")
        readings = registry.claims[ref].readings
        if label.value not in readings:
            known = ", ".join(readings) or "none"
            fail(f"claim '{ref}' has no reading '{label.value}' (readings: {known})")
        return
    for argument in node.args:
        _check_node(argument, names, registry, fail)


def _dependency_order(path, formulas: list[Formula]) -> list[Formula]:
    """Formulas ordered so that each comes after the derived figures it names (file order otherwise)."""
    by_id = {f.derived_id: f for f in formulas}
    ordered: list[Formula] = []
    state: dict[str, str] = {}  # "visiting" while on the stack, "done" after

    def visit(formula: Formula, stack: list[str]):
        state[formula.derived_id] = "visiting"
        stack.append(formula.derived_id)
        for ref in formula.inputs:
            if ref not in by_id:
                continue
            if state.get(ref) == "visiting":
                cycle = stack[stack.index(ref):] + [ref]
                first = by_id[cycle[0]]
                raise DataError(path, first.row, "formula", "cycle between derived figures: " + " → ".join(cycle))
            if ref not in state:
                visit(by_id[ref], stack)
        stack.pop()
        state[formula.derived_id] = "done"
        ordered.append(formula)

    for formula in formulas:
        if formula.derived_id not in state:
            visit(formula, [])
    return ordered


# --- evaluation ------------------------------------------------------------------------------------
# A formula is evaluated in an *algebra*: over intervals (the book's figures), or over plain floats
# (the sensitivity analysis evaluates it at the corners of its inputs' box, claimbook.corners).

@dataclass(frozen=True)
class Algebra:
    constant: Callable[[float], object]
    power: Callable
    functions: dict[str, Callable]


INTERVALS = Algebra(Interval.exact, power, {"cagr": cagr, "root": root, "min": interval_min, "max": interval_max})
MULTIPLE_READINGS = ("colloquial", "literal")  # 增加n倍 as ×n, or as ×(n+1)


def assumed_interval(claim, margin=None, multiple: str | None = None) -> Interval:
    """A claim under the method's assumptions: the assumed margin (default :data:`qualifiers.MARGIN`)
    on each side its words leave open; with ``multiple``, an ambiguous multiple (增加15倍) at one reading,
    the smaller (``colloquial``) or the larger (``literal``)."""
    from decimal import Decimal

    from .qualifiers import MARGIN, assumed_bounds

    if claim.value is None:
        raise ValueError(f"claim '{claim.claim_id}' has no numeric value")
    if multiple is not None and claim.readings:
        if multiple not in MULTIPLE_READINGS:
            raise ValueError(f"multiple must be one of {', '.join(MULTIPLE_READINGS)}, got {multiple!r}")
        chosen = (min if multiple == MULTIPLE_READINGS[0] else max)(claim.readings.values())
        return Interval.exact(chosen)
    value = Decimal(repr(float(claim.value)))
    low, high = assumed_bounds(value, claim.qualifier, claim.kind,
                               Decimal(str(margin if margin is not None else MARGIN)))
    lower = float(low) if low is not None else claim.lower
    upper = float(high) if high is not None else claim.upper
    if lower is None or upper is None:
        raise ValueError(f"claim '{claim.claim_id}' has an open side that no margin closes")
    return Interval(min(lower, claim.value), claim.value, max(upper, claim.value))


def evaluate_intervals(
    registry: Registry, formulas: list[Formula] | None = None, path: Path | None = None,
    claim_interval: Callable = Interval.from_claim, algebra: Algebra = INTERVALS,
) -> dict[str, Interval]:
    """Every derived figure as an :class:`Interval`, in file order; each claim enters as
    ``claim_interval(claim)`` (its stated bounds by default; :func:`assumed_interval` for the method's
    assumptions). With a float ``algebra``, ``claim_interval`` gives floats and so does the result."""
    path = Path(path) if path is not None else formulas_path(registry)
    if formulas is None:
        formulas = load_formulas(path, registry)
    claims_path = registry.data_dir / "claims.csv"
    values: dict[str, object] = {}

    def lookup(ref: str):
        if ref in values:
            return values[ref]
        claim = registry.claims[ref]
        try:
            return claim_interval(claim)
        except ValueError as exc:
            raise DataError(claims_path, claim.row, "value", str(exc)) from None

    for formula in _dependency_order(path, formulas):
        try:
            values[formula.derived_id] = evaluate_node(formula.expression.body, dict(formula.names), registry, lookup,
                                                   algebra)
        except (ZeroDivisionError, ValueError) as exc:
            message = f"'{formula.derived_id}' cannot be evaluated: {exc}"
            raise DataError(path, formula.row, "formula", message) from None
    return {f.derived_id: values[f.derived_id] for f in formulas}


def evaluate_node(node, names: dict[str, str], registry: Registry, lookup, algebra: Algebra = INTERVALS):
    if isinstance(node, ast.BinOp):
        left = evaluate_node(node.left, names, registry, lookup, algebra)
        right = evaluate_node(node.right, names, registry, lookup, algebra)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        return algebra.power(left, right)
    if isinstance(node, ast.UnaryOp):
        operand = evaluate_node(node.operand, names, registry, lookup, algebra)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        return algebra.constant(node.value)
    if isinstance(node, ast.Name):
        return lookup(names[node.id])
    name = node.func.id  # only checked calls reach here
    if name == "reading":
        claim = registry.claims[names[node.args[0].id]]
        return algebra.constant(claim.readings[node.args[1].value])
    args = [evaluate_node(a, names, registry, lookup, algebra) for a in node.args]
    return algebra.functions[name](*args)


def evaluate_all(registry: Registry | None = None, reading: str = "point") -> dict[str, DerivedValue]:
    """Every derived figure, in file order: ``lower``/``upper`` are what the stated bounds allow,
    ``assumed_lower``/``assumed_upper`` what the method's margins allow; ``value`` is the chosen
    reading, of the assumed range for ``lower``/``upper`` (the stated range may be open)."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    registry = registry if registry is not None else Registry()
    formulas = load_formulas(formulas_path(registry), registry)
    stated = evaluate_intervals(registry, formulas)
    assumed = evaluate_intervals(registry, formulas, claim_interval=assumed_interval)
    by_id = {f.derived_id: f for f in formulas}
    return {
        f.derived_id: DerivedValue(
            derived_id=f.derived_id, value=assumed[f.derived_id].pick(reading),
            lower=stated[f.derived_id].lower, upper=stated[f.derived_id].upper,
            unit=f.unit, kind=f.kind, title=f.title, formula=f.formula, inputs=f.inputs,
            description=f.description, group=f.group, source_id=f.source_id,
            point=stated[f.derived_id].point,
            lower_stated=stated[f.derived_id].lower_stated, upper_stated=stated[f.derived_id].upper_stated,
            assumed_lower=assumed[f.derived_id].lower, assumed_upper=assumed[f.derived_id].upper,
            according_to=according_to(registry, f.derived_id, by_id),
        )
        for f in formulas
    }


def leaf_claims(derived_id: str, figures: Mapping[str, Formula | DerivedValue]) -> tuple[str, ...]:
    """The claims a derived figure is computed from, through other derived figures (``figures``, by
    id: formulas or their values), in order of first use."""
    found: dict[str, None] = {}

    def visit(ref: str) -> None:
        if ref in figures:
            for inner in figures[ref].inputs:
                visit(inner)
        else:
            found.setdefault(ref)

    visit(derived_id)
    return tuple(found)


def according_to(registry: Registry, derived_id: str, formulas: Mapping[str, Formula]) -> tuple[str, ...]:
    """Who states the claims a figure is computed from (through other derived figures too): the
    speakers the article quotes and the sources it names, in order of first use."""
    found: dict[str, None] = {}
    for claim_id in leaf_claims(derived_id, formulas):
        claim = registry.claims[claim_id]
        for who in (claim.speaker, claim.attribution):
            if who:
                found.setdefault(who)
    return tuple(found)


# --- publishing ------------------------------------------------------------------------------------

def publish_number(value: float | None) -> str:
    """12 significant digits, then the shortest exact text: float noise never reaches a reader. An
    infinite (open) end is an empty cell."""
    if value is None or math.isinf(value):
        return ""
    return format_number(float(f"{value:.12g}"))


def _published_rows(values: dict[str, DerivedValue]) -> list[dict[str, str]]:
    return [
        {
            "derived_id": v.derived_id, "title": v.title, "value": publish_number(v.value),
            "lower": publish_number(v.lower), "upper": publish_number(v.upper),
            "open_end": OPEN_ENDS[(v.lower_stated, v.upper_stated)],
            "assumed_lower": publish_number(v.assumed_lower), "assumed_upper": publish_number(v.assumed_upper),
            "unit": v.unit, "kind": v.kind, "formula": v.formula, "inputs": ";".join(v.inputs),
            "according_to": ";".join(v.according_to), "group": v.group,
            "source_id": v.source_id, "description": v.description,
        }
        for v in values.values()
    ]


def published_csv(registry: Registry | None = None, reading: str = "point") -> str:
    return csv_text(PUBLISHED_COLUMNS, _published_rows(evaluate_all(registry, reading)))


def write_published(path: Path, registry: Registry | None = None, reading: str = "point") -> Path:
    """Write the published ``derived.csv``: file order, LF line ends, deterministic numbers."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(published_csv(registry, reading).encode("utf-8"))
    return path

