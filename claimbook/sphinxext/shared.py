"""Constants and small helpers that more than one module of the extension uses.

The anchors' pages and keys, the trace marks, and the message for an unknown id are written once
here, so that a role, a directive and a link resolver never disagree about them.
"""
from __future__ import annotations

import difflib

from ..source import FIRST_SOURCE_PAGE

DERIVED_TARGET = "derived"  # the key of the derived-figures appendix in the collector's targets
# Where links point when no page carries the {source-text} or {derived-figures} directive (a warning
# says so): the appendices' conventional places.
SOURCE_DOC = FIRST_SOURCE_PAGE
DERIVED_DOC = "chapters/derived-figures"
DERIVED_MARK = "†"  # follows a derived number, as a sentence ID follows a stated one
# In print, a method constant links to the methods chapter, where its rule is stated.
METHODS_LABEL = "chapters/methods:chapter-methods"


def source_target(source_id: str) -> str:
    """The key of a source's appendix in the collector's targets."""
    return "source:" + source_id


def unknown(what: str, ref: str, known) -> str:
    """The message for an id that is not in ``known``, with the closest ones as suggestions."""
    close = difflib.get_close_matches(ref, list(known), n=3)
    return f"unknown {what} '{ref}'" + (f"; did you mean {', '.join(close)}?" if close else "")
