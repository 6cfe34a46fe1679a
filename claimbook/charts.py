"""Charts in one house style: greyscale-safe, print-ready, byte-identical on every run.

Every function takes plain rows (label, point, lower, upper) and returns a matplotlib Figure;
:func:`claimbook.chapter.Chapter.figure` glues it with its caption and computed alt text.
"""
from __future__ import annotations

from dataclasses import dataclass

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


def interval_chart(bars: list[Bar], xlabel: str, log: bool = False, per: float = 1):
    """Dot-and-whisker: the stated or derived point, with the bounds its qualifiers imply.
    Values are plotted divided by ``per`` (PERCENT, MILLION, BILLION), which the label must name."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(bars) + 1.2))
    scale = 1 / per
    for row, bar in enumerate(bars):
        ax.plot([bar.lower * scale, bar.upper * scale], [row, row], color=GREYS[1], linewidth=3,
                solid_capstyle="butt")
        ax.plot([bar.point * scale], [row], marker="o", color=INK, markersize=6)
    ax.set_yticks(range(len(bars)), [b.label for b in bars])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if log:
        ax.set_xscale("log")
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
    for side, name in enumerate(names):
        xs = [i + (side - 0.5) * width for i in range(len(pairs))]
        bars = [pair[side + 1] for pair in pairs]
        ax.bar(xs, [b.point * scale for b in bars], width, label=name, color=GREYS[side + 1],
               edgecolor=INK, hatch=HATCHES[side])
        ax.errorbar(xs, [b.point * scale for b in bars],
                    yerr=[[(b.point - b.lower) * scale for b in bars], [(b.upper - b.point) * scale for b in bars]],
                    fmt="none", ecolor=INK, capsize=4)
    ax.set_xticks(range(len(pairs)), [p[0] for p in pairs])
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def readings_chart(rows: list[tuple[str, float, float, float]], xlabel: str):
    """Each derived figure under the lower, point and upper readings, relative to the point reading."""
    use_book_style()
    fig, ax = plt.subplots(figsize=(7.0, 0.38 * len(rows) + 1.4))
    markers = (("lower", "v", 1), ("point", "o", 2), ("upper", "^", 3))
    for row, (label, *values) in enumerate(rows):
        point = values[1]
        ax.plot([v / point * 100 - 100 for v in values], [row] * 3, color=GREYS[2], linewidth=1)
        for (name, marker, index) in markers:
            ax.plot([values[index - 1] / point * 100 - 100], [row], marker=marker, color=INK, linestyle="none",
                    label=name if row == 0 else None)
    ax.axvline(0, color=GREYS[1], linewidth=0.8)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.2 / fig.get_figheight()))
    fig.tight_layout()
    return fig
