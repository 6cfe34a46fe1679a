"""What kind of statement a number is, who states it and for when: the rules, and how they read.

Every claim says

* its **modality**: a fact reported as achieved or as it stands, an expectation (有望, 预计), a
  target (力争, 目标) or a plan (计划, 拟). The cue is a word before the number in its clause;
* its **speaker**: the person the article quotes or reports for it, or nobody (the narrator). A
  number inside quoted speech (“……。” with a sentence end inside the quotes) needs a speaker, and a
  speaker's name must appear in the number's paragraph;
* its **attribution**: the words by which the article names a source for it (据统计, 数据显示),
  verbatim, when such words stand before the number in its sentence;
* its **period**, only as the sentence states it (basis ``stated``: the sentence holds a time
  expression), or inferred from context with the reasoning (basis ``inferred``), or nothing.

The validator applies these rules to every row (:func:`meaning_problems`); a curator who reads a
row otherwise records why in ``reading_note``, and the disagreement is then accepted and listed.
"""
from __future__ import annotations

import re

from .source import TERMINATORS

MODALITIES = {
    "fact": "a fact reported as achieved or as it stands",
    "expectation": "an expectation: the article expects it, it does not report it as achieved",
    "target": "a target: something aimed at, not reported as achieved",
    "plan": "a plan: something intended, not reported as done",
}
# Cue words, longest first where one contains another; each sets the modality of the numbers that
# follow it in its clause.
MODALITY_CUES = {
    "有望": "expectation", "预计": "expectation", "预期": "expectation", "可望": "expectation",
    "力争": "target", "争取": "target", "目标": "target",
    "计划": "plan", "拟": "plan",
}
ATTRIBUTION_CUES = {
    "统计数据显示": "statistics show", "数据显示": "data show", "统计显示": "statistics show",
    "据统计": "according to statistics", "据测算": "according to estimates", "据了解": "it is understood",
    "据介绍": "according to those presenting it",
}
PERIOD_BASES = ("stated", "inferred")
# Words that state a time in a sentence, besides the dates, periods and durations the grammar reads.
TIME_WORDS = ("目前", "当前", "现在", "近期", "不久前", "当时", "期间", "以来", "年来", "每年", "今年", "去年",
              "同比", "年底", "年初", "季度", "上半年", "下半年", "数年", "几年", "多年")
TIME_KINDS = ("date", "period", "duration")
CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
SENTENCE_END = re.compile(f"[{re.escape(TERMINATORS)}]")
QUOTE = re.compile(r"“([^“”]*)”")


# --- the rules ----------------------------------------------------------------------------------

def clause_before(text: str, offset: int) -> str:
    """The text of ``offset``'s clause up to ``offset``: from the last clause mark before it."""
    marks = [m.end() for m in CLAUSE_END.finditer(text, 0, offset)]
    return text[marks[-1] if marks else 0:offset]


def expected_modality(sentence: str, offset: int) -> tuple[str, str]:
    """(modality, cue word) of a number at ``offset`` of ``sentence``: the last cue before it in its
    clause, or ("fact", "")."""
    clause = clause_before(sentence, offset)
    found = [(clause.rfind(cue), cue) for cue in MODALITY_CUES if cue in clause]
    if not found:
        return "fact", ""
    _, cue = max(found, key=lambda f: (f[0] + len(f[1]), len(f[1])))
    return MODALITY_CUES[cue], cue


def expected_attribution(sentence: str, offset: int) -> str:
    """The words naming a source that stand before ``offset`` in ``sentence`` (the latest, and the
    longest where cues overlap: 统计数据显示 over 数据显示), or ''."""
    found = [(sentence.rfind(cue, 0, offset), cue) for cue in ATTRIBUTION_CUES]
    found = [(position + len(cue), len(cue), cue) for position, cue in found
             if position >= 0 and position + len(cue) <= offset]
    return max(found)[2] if found else ""


def in_quoted_speech(paragraph: str, offset: int) -> bool:
    """True when ``offset`` lies inside quotation marks that hold a whole sentence (speech, not a
    quoted name such as “十四五”)."""
    return any(quote.start() < offset < quote.end() and SENTENCE_END.search(quote[1])
               for quote in QUOTE.finditer(paragraph))


def speaker_name(speaker: str) -> str:
    """The name of a ``speaker`` cell, written as the article spells it before the first comma."""
    return speaker.split(",", 1)[0].strip()


def states_time(sentence: str, time_claims: list[str]) -> bool:
    """Whether a sentence states a time: a time word, or a date, period or duration the grammar read."""
    return bool(time_claims) or any(word in sentence for word in TIME_WORDS)


def meaning_problems(claim, sentence: str, paragraph: str, paragraph_start: int, sentence_start: int,
                     time_claims: list[str]) -> list[tuple[str, str, bool]]:
    """(column, message, overridable) for each way the row's meaning breaks the rules above.
    ``overridable`` problems are the grammar's reading of the words, which a ``reading_note`` may
    override; the others are malformed cells."""
    offset = claim.start - sentence_start
    found: list[tuple[str, str, bool]] = []
    if claim.modality not in MODALITIES:
        found.append(("modality", f"'{claim.modality}' is not a modality; use {', '.join(MODALITIES)}", False))
    else:
        modality, cue = expected_modality(sentence, offset)
        if modality != claim.modality:
            because = (f"the cue {cue} stands before it in its clause" if cue
                       else "no cue of another modality precedes it")
            found.append(("modality", f"'{claim.modality}' disagrees with the words, which read '{modality}' "
                                      f"({because})", True))
    attribution = expected_attribution(sentence, offset)
    if claim.attribution != attribution:
        said = f"'{attribution}' names a source before it" if attribution else "no words name a source before it"
        found.append(("attribution", f"'{claim.attribution}' disagrees with the sentence: {said}", True))
    if claim.speaker:
        name = speaker_name(claim.speaker)
        if not name or name not in paragraph:
            found.append(("speaker", f"'{name}' does not appear in the paragraph of {claim.sentence_id}", False))
    elif in_quoted_speech(paragraph, claim.start - paragraph_start):
        found.append(("speaker", "the number is quoted speech: name who says it", True))
    found += _period_problems(claim, sentence, time_claims)
    return found


def _period_problems(claim, sentence: str, time_claims: list[str]) -> list[tuple[str, str, bool]]:
    period, basis, reason = claim.period.strip(), claim.period_basis, claim.period_reason.strip()
    if not period:
        if basis or reason:
            return [("period_basis", "an empty period has no basis and no reason", False)]
        return []
    if basis not in PERIOD_BASES:
        return [("period_basis", f"'{basis}' is not a basis; a period is {' or '.join(PERIOD_BASES)}, "
                                 f"or left empty when no one states it", False)]
    if basis == "inferred" and not reason:
        return [("period_reason", "an inferred period says why it is inferred", False)]
    if basis == "stated" and reason:
        return [("period_reason", "a stated period needs no reason; is it inferred?", False)]
    if basis == "stated" and not states_time(sentence, time_claims):
        return [("period_basis", f"the sentence states no time, so '{period}' is not stated: mark it inferred "
                                 f"with its reasoning, or leave the period empty", True)]
    return []


# --- how it reads -------------------------------------------------------------------------------

def modality_text(claim) -> str:
    """'' for a fact (or an unknown modality); otherwise what the modality means, as a reader should be told."""
    if claim.modality == "fact" or claim.modality not in MODALITIES:
        return ""
    return MODALITIES[claim.modality]


def voice_text(claim) -> str:
    """Who states the number: 'according to …' for a speaker, the source words the article names."""
    parts = []
    if claim.speaker:
        parts.append(f"according to {claim.speaker}")
    if claim.attribution:
        parts.append(f"the article cites {claim.attribution} ({ATTRIBUTION_CUES.get(claim.attribution, 'a source')})")
    return "; ".join(parts)


def statement_text(claim) -> str:
    """A table cell: the modality when it is not a plain fact, and who states the number."""
    parts = [claim.modality if claim.modality != "fact" else "", voice_text(claim) or "narrator"]
    return " · ".join(p for p in parts if p)


def period_text(claim) -> str:
    if not claim.period.strip():
        return "Period: not stated"
    if claim.period_basis == "inferred":
        return f"Period: {claim.period} (inferred, not stated: {claim.period_reason})"
    return f"Period: {claim.period} (stated)"


def meaning_lines(claim) -> list[str]:
    """The tooltip lines of a claim: what kind of statement, who states it, for when."""
    lines = [text[0].upper() + text[1:] for text in (modality_text(claim), voice_text(claim)) if text]
    return lines + [period_text(claim)]
