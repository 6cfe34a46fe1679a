"""Charts in one house style: greyscale-safe, print-ready, byte-identical on every run.

Every function takes plain rows (label, point, lower, upper) and returns a matplotlib Figure;
:func:`claimbook.chapter.Chapter.figure` shows it with its caption and computed alt text. A side of a
range that the article leaves open (``lower_stated``/``upper_stated`` False) has no whisker: an
arrow from the stated end points the way the value may go, with no end.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns

INK = "#222222"
GREYS = ("#222222", "#777777", "#bbbbbb")
HATCHES = ("", "///", "...")


@dataclass(frozen=True)
class Bar:
    label: str
    point: float
    lower: float
    upper: float
    lower_stated: bool = True
    upper_stated: bool = True
    unit: str = ""
    kind: str = ""
    ref: str = field(default="", compare=False)  # the claim or derived id plotted; "" for a bar made by hand

    def whisker(self) -> tuple[float, float]:
        """The stated part of the range: an open side stops at the point."""
        return (self.lower if self.lower_stated else self.point), (self.upper if self.upper_stated else self.point)

    def open_sides(self) -> list[tuple[float, int]]:
        """(stated end the arrow starts from, direction: −1 down, +1 up) for each open side."""
        low, high = self.whisker()
        return ([(low, -1)] if not self.lower_stated else []) + ([(high, 1)] if not self.upper_stated else [])


def use_book_style() -> None:
    """Fonts with per-glyph CJK fallback, fixed metadata and hash salt, so output bytes never vary."""
    sns.set_theme(style="whitegrid", context="paper", palette=list(GREYS))
    matplotlib.rcParams.update({
        "font.family": ["DejaVu Sans", "Noto Sans CJK SC"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "claimbook",
        "svg.fonttype": "path",
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "figure.figsize": (7.0, 3.6),
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "text.color": INK,
        "xtick.color": INK,
        "ytick.color": INK,
    })


PERCENT = 0.01  # plot fractions as per cent: value / PERCENT
MILLION = 1e6
BILLION = 1e9


ARROW = 0.09  # length of an open side's arrow, as a share of the axis span


def _arrow(ax, start: float, direction: int, across: float, span: float, vertical: bool, log: bool) -> None:
    """An arrow from a stated end ``start`` towards the open side (``direction`` ±1)."""
    if log:
        end = start * (1 + 3 * ARROW) ** direction
    else:
        end = start + direction * ARROW * span
    tail, head = ((across, start), (across, end)) if vertical else ((start, across), (end, across))
    ax.annotate("", xy=head, xytext=tail, arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 1.2,
                                                      "shrinkA": 0, "shrinkB": 0})


def _span(values: list[float]) -> float:
    return (max(values) - min(values)) or abs(max(values)) or 1.0


def interval_chart(bars: list[Bar], xlabel: str, log: bool = False, per: float = 1):
    """Dot-and-whisker: the stated or derived point, with the bounds its words state; an open side
    is an arrow. Values are plotted divided by ``per`` (PERCENT, MILLION, BILLION), which the label
    must name."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(bars) + 1.2))
    scale = 1 / per
    span = _span([v * scale for bar in bars for v in (*bar.whisker(), bar.point)])
    for row, bar in enumerate(bars):
        low, high = bar.whisker()
        ax.plot([low * scale, high * scale], [row, row], color=GREYS[1], linewidth=3, solid_capstyle="butt")
        ax.plot([bar.point * scale], [row], marker="o", color=INK, markersize=6)
        for start, direction in bar.open_sides():
            _arrow(ax, start * scale, direction, row, span, vertical=False, log=log)
    ax.set_yticks(range(len(bars)), [b.label for b in bars])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if log:
        ax.set_xscale("log")
    ax.margins(x=ARROW + 0.05)
    fig.tight_layout()
    return fig


def pyramid_chart(bars: list[Bar], xlabel: str):
    """Tiers of a population on a log scale, widest at the bottom, centred like a pyramid."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.6 * len(bars) + 1.0))
    for row, bar in enumerate(bars):
        ax.barh(row, bar.point, color=GREYS[row % 2 + 1], edgecolor=INK, hatch=HATCHES[row % 3])
    ax.set_xscale("log")
    ax.set_yticks(range(len(bars)), [b.label for b in bars])
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    return fig


def paired_bars(pairs: list[tuple[str, Bar, Bar]], names: tuple[str, str], ylabel: str, per: float = 1):
    """Before and after (or base and current) side by side, each with its interval as a whisker."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    scale = 1 / per
    width = 0.38
    span = _span([0.0] + [v * scale for pair in pairs for bar in pair[1:] for v in (*bar.whisker(), bar.point)])
    for side, name in enumerate(names):
        xs = [i + (side - 0.5) * width for i in range(len(pairs))]
        bars = [pair[side + 1] for pair in pairs]
        ax.bar(xs, [b.point * scale for b in bars], width, label=name, color=GREYS[side + 1],
               edgecolor=INK, hatch=HATCHES[side])
        ax.errorbar(xs, [b.point * scale for b in bars],
                    yerr=[[(b.point - b.whisker()[0]) * scale for b in bars],
                          [(b.whisker()[1] - b.point) * scale for b in bars]],
                    fmt="none", ecolor=INK, capsize=4)
        for x, bar in zip(xs, bars, strict=True):
            for start, direction in bar.open_sides():
                _arrow(ax, start * scale, direction, x, span, vertical=True, log=False)
    ax.set_xticks(range(len(pairs)), [p[0] for p in pairs])
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def tornado_chart(rows: list[tuple[str, float, float]], xlabel: str):
    """One bar per (figure, input): how far the figure moves, in per cent of its stated-value reading,
    as that input alone goes from the lower to the upper end of its range."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(rows) + 1.3))
    for row, (_label, low, high) in enumerate(rows):
        left, right = sorted((low, high))
        ax.barh(row, right - left, left=left, height=0.6, color=GREYS[2], edgecolor=INK)
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(range(len(rows)), [_wrapped(r[0]) for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    return fig


def _wrapped(label: str, width: int = 44) -> str:
    """A long label on two or three lines, so the plot keeps its width."""
    return textwrap.fill(label, width)


def margin_chart(rows: list[tuple[str, list[tuple[float, float]]]], names: list[str], xlabel: str):
    """Each figure's range, in per cent of its stated-value reading, under each assumed margin: one
    whisker per margin, narrowest on top."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.5 * len(rows) + 1.6))
    offsets = [(i - (len(names) - 1) / 2) * 0.22 for i in range(len(names))]
    for row, (_title, spans) in enumerate(rows):
        for index, (low, high) in enumerate(spans):
            ax.plot([low, high], [row + offsets[index]] * 2, color=GREYS[index % len(GREYS)], linewidth=2.5,
                    solid_capstyle="butt", label=names[index] if row == 0 else None)
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(range(len(rows)), [_wrapped(r[0]) for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, ncols=len(names), loc="upper center",
              bbox_to_anchor=(0.5, -0.12 - 1.2 / fig.get_figheight()))
    fig.tight_layout()
    return fig
