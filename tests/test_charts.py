"""Charts draw what the words state: a closed range as a whisker, an open side as an arrow from the
stated end, never a whisker to a bound the article does not give; and the same rows give the same bytes."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after the backend is chosen
from matplotlib.text import Annotation  # noqa: E402

from claimbook.charts import Bar, interval_chart, paired_bars  # noqa: E402

CLOSED = Bar("closed", 10.0, 8.0, 12.0)
# 超10: at least 10, the upper side open (the arithmetic's +∞, the assumed margin's 11 is not drawn)
AT_LEAST = Bar("at least", 10.0, 10.0, 11.0, lower_stated=True, upper_stated=False)
# 近10: at most 10, the lower side open
AT_MOST = Bar("at most", 10.0, 9.0, 10.0, lower_stated=False, upper_stated=True)


def arrows(fig) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """(tail, head) of every arrow the chart draws."""
    return [(a.xyann, a.xy) for a in fig.axes[0].get_children() if isinstance(a, Annotation)]


def whiskers(fig) -> list[list[float]]:
    """The x data of each horizontal whisker (two-point lines) of an interval chart."""
    return [list(line.get_xdata()) for line in fig.axes[0].get_lines() if len(line.get_xdata()) == 2]


def test_a_stated_range_is_a_whisker_and_has_no_arrow():
    fig = interval_chart([CLOSED], "x")
    assert whiskers(fig) == [[8.0, 12.0]] and arrows(fig) == []
    plt.close(fig)


def test_an_open_upper_side_is_an_arrow_upwards_from_the_stated_floor():
    fig = interval_chart([AT_LEAST], "x")
    assert whiskers(fig) == [[10.0, 10.0]], "no whisker to the assumed margin"
    [(tail, head)] = arrows(fig)
    assert tail[0] == 10.0 and head[0] > 10.0 and tail[1] == head[1] == 0
    plt.close(fig)


def test_an_open_lower_side_is_an_arrow_downwards_from_the_stated_ceiling():
    fig = interval_chart([AT_MOST], "x")
    [(tail, head)] = arrows(fig)
    assert tail[0] == 10.0 and head[0] < 10.0
    plt.close(fig)


def test_paired_bars_draw_an_open_side_as_a_vertical_arrow():
    fig = paired_bars([("pair", CLOSED, AT_LEAST)], ("before", "after"), "y")
    [(tail, head)] = arrows(fig)
    assert tail[1] == 10.0 and head[1] > 10.0 and tail[0] == head[0]
    plt.close(fig)


def test_the_same_rows_give_the_same_svg_bytes(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # as the build's kernels have it (KERNEL_ENV)

    def svg() -> bytes:
        fig = interval_chart([CLOSED, AT_LEAST, AT_MOST], "x")
        out = io.BytesIO()
        fig.savefig(out, format="svg")
        plt.close(fig)
        return out.getvalue()

    assert svg() == svg()
