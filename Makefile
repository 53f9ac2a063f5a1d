# Two commands for a fresh Debian machine: `make demo` and `make test`.
# Each installs what it needs (TeX Live from Debian, the Python package in .venv) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEX_STAMP := .cache/tex.installed

.PHONY: install tex demo test lint typecheck pytest bench up down migrate previews taxonomy clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

tex: $(TEX_STAMP)

$(TEX_STAMP): scripts/install-tex.sh
	bash scripts/install-tex.sh
	mkdir -p $(dir $@) && touch $@

demo: install tex
	$(BIN)/resume-tailor tailor examples/resumes/senior-backend.json \
	    examples/postings/backend-engineer.md -o out/demo
	@echo "PDF: $(CURDIR)/out/demo/resume.pdf"

lint: install
	$(BIN)/ruff check pipeline workers api tests bench scripts
	$(BIN)/hadolint Dockerfile

typecheck: install
	$(BIN)/mypy

pytest: install tex
	bash scripts/test-services.sh $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install tex
	$(BIN)/python -m bench

# The O*NET and ESCO source files are not in the repository (scripts/taxonomy_data.py lists
# them); the built pipeline/data/skills.json is. TAXONOMY_DATA=/path picks another folder.
TAXONOMY_DATA ?= ../shared/data

taxonomy: install
	$(BIN)/python scripts/build_taxonomy.py --data "$(TAXONOMY_DATA)"

previews: install tex
	$(BIN)/python scripts/make_previews.py

up: install tex
	bash scripts/up.sh

down:
	bash scripts/down.sh

migrate: install
	$(BIN)/resume-tailor-admin migrate

clean:
	rm -rf out .cache .pytest_cache .mypy_cache .ruff_cache
