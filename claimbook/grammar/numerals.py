"""Numerals: Arabic (1,250 / 586.7) and Chinese (一万零一, 三亿五千万), read into Decimals.

cn2an reads a well-formed Chinese numeral; a run of Chinese digits that is no numeral (八九十,
三三两两) makes it raise, and the passes turn that into an ``unparsed`` mention, never a crash.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

CN_DIGITS = "零〇一二两三四五六七八九十百千"
DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                "八": 8, "九": 9}
PLACE_VALUES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
                "亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12}
ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
ARABIC_RE = re.compile(ARABIC)
# An Arabic number as a reader sees it in English text, not part of a name (W3C, sha256, p24.s2 and 6G
# are names): what the audit (claimbook.audit) and the prose check (claimbook.prose) look for.
ARABIC_NUMBER = re.compile(r"(?<![A-Za-z0-9_.\-])\d+(?:[.,]\d+)*(?:%|st|nd|rd|th)?(?![A-Za-z0-9_])")
# cn2an reads 万 and 亿 inside (一万零一, 三亿五千万); 千 that begins a unit (千瓦, 千米) is the unit's.
CN_NUMERAL = f"(?:(?!千瓦|千米|千克)[{CN_DIGITS}万亿])+"
NUMERAL = f"{ARABIC}|{CN_NUMERAL}"


@lru_cache(maxsize=4096)
def read_numeral(text: str) -> Decimal:
    """An Arabic or Chinese numeral as a Decimal; a leading bare 百/千 means one hundred/thousand.
    Raises ValueError for a run of Chinese digits that is no numeral."""
    if ARABIC_RE.fullmatch(text):
        return Decimal(text.replace(",", ""))  # Decimal reads any Unicode digit that \d matches
    if text[0] in "百千万亿":
        text = "一" + text
    # Imported on first use: importing cn2an compiles its patterns (~0.3 s), a cost the Sphinx
    # build, which imports this package and reads no Chinese numeral, would pay for nothing.
    import cn2an

    try:
        return Decimal(cn2an.cn2an(text, "normal"))
    except Exception as error:  # cn2an raises ValueError, and sometimes worse, on a non-numeral
        raise ValueError(f"'{text}' is not a numeral ({error})") from None
