"""claimbook.sphinxext.zhsearch indexes exactly the words Sphinx's own Chinese search language does."""
from __future__ import annotations

import jieba
from sphinx.search.zh import SearchChinese

from claimbook.sphinxext.zhsearch import ChineseSearch

TEXTS = [
    "抚州市数字经济核心产业营业收入达到586.7亿元，同比增长12.3%。",
    "Revenue in Jiangxi grew 12% (ADS, data_set, COVID-19); see p07.s2.",
    "5G网络覆盖全市，AT&T与T恤都在词典里。",
    "ADS was here", "", " ", "[2]", "—",
]


def test_same_words_and_stems_as_sphinx(monkeypatch):
    monkeypatch.setattr(SearchChinese, "latin_terms", [])  # a class-wide list in Sphinx
    ours, theirs = ChineseSearch({}), SearchChinese({})
    words = []
    for text in TEXTS * 2:  # the second pass answers from the caches
        assert ours.split(text) == theirs.split(text)
        words += theirs.split(text)
    assert set(ours.latin_terms) == set(theirs.latin_terms)
    # "ads" stems to "ad", so the Latin term ADS stays whole; the Chinese words stem as themselves
    for word in [*words, "ads", "ADS", "Ads", "abc", "is"]:
        assert ours.stem(word) == theirs.stem(word), word


def test_preloaded_dictionary_is_jiebas():
    ChineseSearch({})
    assert jieba.dt.initialized
    fresh = jieba.Tokenizer()
    fresh.initialize()
    assert (fresh.FREQ, fresh.total) == (jieba.dt.FREQ, jieba.dt.total)
