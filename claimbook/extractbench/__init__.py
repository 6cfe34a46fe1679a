"""The extractor's labelled corpus, its scoring, and the benchmark against public peers.

:mod:`.corpus` loads ``tests/fixtures/extract-corpus.yml``; :mod:`.score` scores any system's
readings of it; :mod:`.peers` runs Recognizers-Text and JioNLP in their own virtualenv;
:mod:`.run` (``make bench-extract``) puts the three side by side and writes
``benchmarks/extract.json``.
"""
