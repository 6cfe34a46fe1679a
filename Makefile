# make book      build the book into _build/html (with book.pdf) and _build/latex
# make test      lint (ruff), build the book if needed, then run the tests
# make lint      ruff check, with the configuration of pyproject.toml
# make validate  check data/ against its sources
# make verify    re-execute every chapter from scratch and compare with the published build
# make bench     time clean, no-op and one-claim rebuilds and scaling; writes benchmarks/results.json
#                and rebuilds the book, whose page "How fast the book builds" shows them
# make bench-extract  the quantity extractor against Recognizers-Text and JioNLP on the labelled corpus
#                (peers in .venv-bench); writes benchmarks/extract.json and prints the table
# make clean     remove _build/ (the notebook cache with it)
PYTHON := .venv/bin/python
CLAIMBOOK := .venv/bin/claimbook

.PHONY: book test lint validate verify bench bench-extract clean venv system-deps

book: venv system-deps
	$(CLAIMBOOK) build

test: lint book
	$(PYTHON) -m pytest -q tests

lint: venv
	$(PYTHON) -m ruff check .

validate: venv
	$(CLAIMBOOK) validate

verify: venv
	$(CLAIMBOOK) verify

bench: venv system-deps
	$(CLAIMBOOK) bench
	$(CLAIMBOOK) build

bench-extract: venv system-deps
	@scripts/ensure_venv.sh bench
	$(CLAIMBOOK) bench-extract
	$(CLAIMBOOK) build

venv:
	@scripts/ensure_venv.sh

system-deps:
	@scripts/install_system_deps.sh

clean:
	rm -rf _build
