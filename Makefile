# make book      build the book into _build/html (with book.pdf) and _build/latex
# make test      build the book if needed, then run the tests
# make validate  check data/ against its sources
# make clean     remove _build/ (the notebook cache with it)
PYTHON := .venv/bin/python

.PHONY: book test validate clean venv system-deps

book: venv system-deps
	$(PYTHON) -m claimbook build

test: book
	$(PYTHON) -m pytest -q tests

validate: venv
	$(PYTHON) -m claimbook validate

venv:
	@scripts/ensure_venv.sh

system-deps:
	@scripts/install_system_deps.sh

clean:
	rm -rf _build
