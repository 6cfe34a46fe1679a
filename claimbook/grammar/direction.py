"""The direction of a change: 降低16.5% is a fall, 增长117.8% a rise.

The value keeps the stated magnitude (16.5%, never −16.5%) and the mention's ``direction`` says
"fall" or "rise". A verb gives its direction to the numbers that follow it in the same clause, with
at most a few characters between (压减68%和80%: both fall; 减少各类检查超过30%: a fall). 的, 至, 到
and 为 end its reach: 降至3% and 下降到3% state the level reached, not the change; 新增 (newly
added) counts what is new, not a change.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .units import alternation

FALL_VERBS = ("下降", "降低", "减少", "压减", "下滑", "回落", "缩减", "缩小", "减轻", "压缩", "削减", "缩短", "下跌",
              "降幅", "降", "减", "跌")
RISE_VERBS = ("增长", "增加", "提升", "提高", "扩大", "上升", "上涨", "攀升", "增幅", "涨幅", "增", "涨")
DIRECTIONS = {**{verb: "fall" for verb in FALL_VERBS}, **{verb: "rise" for verb in RISE_VERBS}}
REACH = 8  # characters a verb's direction reaches past the verb
_VERB = alternation(DIRECTIONS)
VERB_BEFORE_RE = re.compile(f"(?<!新)(?P<verb>{_VERB})"
                            f"(?:(?!{_VERB})[^，,；;。！？!?：:的至到为是在有\\n]){{0,{REACH}}}$")
CHANGE_KINDS = ("percent", "percentage_points", "tenths", "fraction", "money", "count", "measure", "multiplier",
                "number", "duration")


def with_directions(text: str, mentions):
    """The mentions, each with the direction that a verb before it states."""
    return [_directed(text, m) if m.kind in CHANGE_KINDS else m for m in mentions]


def _directed(text: str, mention):
    own = re.match(_VERB, mention.exact)  # 增加15倍: the verb is inside the span
    if own:
        return replace(mention, direction=DIRECTIONS[own[0]])
    before = VERB_BEFORE_RE.search(text, max(0, mention.start - REACH - 2), mention.start)
    return replace(mention, direction=DIRECTIONS[before["verb"]]) if before else mention
