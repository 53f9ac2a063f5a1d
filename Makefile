# Two commands for a fresh Debian machine: `make demo` and `make test`.
# Each installs what it needs (TeX Live from Debian, the Python package in .venv) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEX_STAMP := .cache/tex.installed
# The page (web/): its npm packages when the lockfile changes, its build when a source does.
WEB_DEPS_STAMP  := web/node_modules/.installed
WEB_BUILD_STAMP := web/dist/.built
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/package.json \
               web/vite.config.ts web/tsconfig.json pipeline/schema/jsonresume.schema.json \
               $(wildcard docs/previews/*.png)

.PHONY: install tex web browser web-unit screenshots demo test lint typecheck pytest bench up \
        down migrate previews taxonomy clean

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

web: $(WEB_BUILD_STAMP)

$(WEB_DEPS_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILD_STAMP): $(WEB_DEPS_STAMP) $(WEB_SOURCES)
	cd web && npm run build
	touch $@

# Debian's chromium for the page's end-to-end tests (skipped when /usr/bin/chromium exists).
browser:
	bash scripts/install-browser.sh

web-unit: $(WEB_DEPS_STAMP)
	cd web && npm test

# The three views' screenshots into docs/screenshots, taken by the end-to-end tests.
screenshots: install tex web browser
	RT_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/web

demo: install tex
	$(BIN)/resume-tailor tailor examples/resumes/senior-backend.json \
	    examples/postings/backend-engineer.md -o out/demo
	@echo "PDF: $(CURDIR)/out/demo/resume.pdf"

lint: install
	$(BIN)/ruff check pipeline workers api tests bench scripts resume_tailor_client
	$(BIN)/hadolint Dockerfile

typecheck: install
	$(BIN)/mypy

pytest: install tex web browser
	bash scripts/test-services.sh $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck web-unit pytest

bench: install tex
	$(BIN)/python -m bench

# The O*NET and ESCO source files are not in the repository (scripts/taxonomy_data.py lists
# them); the built pipeline/data/skills.json is. The mention filter learns from what the
# extractor finds, so it is trained again after the taxonomy (SkillSpan's train split).
# TAXONOMY_DATA=/path picks another folder.
TAXONOMY_DATA ?= ../shared/data

taxonomy: install
	$(BIN)/python scripts/build_taxonomy.py --data "$(TAXONOMY_DATA)"
	$(BIN)/python scripts/build_skill_index.py
	$(BIN)/python scripts/train_mention_filter.py --data "$(TAXONOMY_DATA)"

previews: install tex
	$(BIN)/python scripts/make_previews.py

up: install tex web
	bash scripts/up.sh

down:
	bash scripts/down.sh

migrate: install
	$(BIN)/resume-tailor-admin migrate

clean:
	rm -rf out .cache .pytest_cache .mypy_cache .ruff_cache web/dist
