"""Sphinx's Chinese search language (``html_search_language: zh``), the same index built faster.

Sphinx's ``SearchChinese`` keeps every Latin term it has split in a list and scans that list for
every word it stems: quadratic in the length of the book. It also segments (jieba) and stems
(snowball) the same strings again on every page. Here the terms are a set, and segmenting and
stemming, both pure functions of their input, are memoised; jieba's dictionary is loaded from
its cache in one read (:func:`preload_jieba_dictionary`). The words indexed are the same.

A query is cut as the pages were (``static/search-query.js``, Sphinx's ``js_splitter_code``): numbers
stay whole, Chinese is matched against the index's words, and terms that are all digits are kept.
"""
from __future__ import annotations

import marshal
import tempfile
from functools import cache
from pathlib import Path

from sphinx.search import zh

from .assets import STATIC_DIR


class ChineseSearch(zh.SearchChinese):
    js_splitter_code = (STATIC_DIR / "search-query.js").read_text(encoding="utf-8")

    def init(self, options: dict[str, str]) -> None:
        if zh.JIEBA:
            preload_jieba_dictionary()
        super().init(options)
        self.latin_terms = set()  # shadows the class's list: membership is all stem() asks of it
        self._segment = cache(self._segment_uncached)
        self._stem_word = cache(self.stemmer.stemWord)

    def split(self, input: str) -> list[str]:
        chinese, latin = self._segment(input)
        self.latin_terms.update(latin)
        return [*chinese, *latin]

    def _segment_uncached(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What ``SearchChinese.split`` returns for ``text``: jieba's words, then the Latin terms."""
        chinese = tuple(zh.jieba.cut_for_search(text)) if zh.JIEBA else ()
        return chinese, tuple(term.strip() for term in self.latin1_letters.findall(text))

    def stem(self, word: str) -> str:
        # As SearchChinese.stem: a Latin term that stemming would cut below three letters stays whole.
        # Whether the word is a Latin term depends on the pages split so far, so only the
        # stemmer's answer is cached.
        stemmed = self._stem_word(word.lower())
        if len(word) >= 3 and len(stemmed) < 3 and word in self.latin_terms:
            return word.lower()
        return stemmed


def preload_jieba_dictionary() -> None:
    """Load the cache of jieba's default dictionary as jieba would, only faster.

    jieba reads its 9 MB cache with ``marshal.load(file)``, which reads the file in many small
    pieces and takes about a second; ``marshal.loads`` of the whole file takes a third of that.
    Anything but the default dictionary and its cache (a custom one, no cache yet, an unreadable
    cache) is left to jieba."""
    jieba = zh.jieba
    tokenizer = jieba.dt
    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT or tokenizer.cache_file:
        return
    cache_file = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
    try:
        freq, total = marshal.loads(cache_file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = freq, total
        tokenizer.initialized = True


def setup_zhsearch(app) -> None:
    app.add_search_language(ChineseSearch)  # html_search_language: zh, indexed in less time
