# Trợ lý ảo dịch vụ công — the two commands are `make run` and `make test`.
# Everything else here is a step those two call, or a measurement (eval-*, bench-*).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV       := .venv
VENV_RASA  := .venv-rasa
PY         := $(VENV)/bin/python
PY_RASA    := $(VENV_RASA)/bin/python
RASA       := $(VENV_RASA)/bin/rasa
VAR        := var
RASA_MODEL := $(VAR)/models/rasa/assistant.tar.gz
# `make bench-chat`'s "before": the same config with the TEDPolicy it had until issue 14.
BASELINE_MODEL := $(VAR)/models/rasa/baseline-ted.tar.gz
EMBED_DIR  := $(VAR)/models/e5-small-st

export PYTHONPATH              := $(CURDIR)
export HF_HUB_OFFLINE          := 1
export TRANSFORMERS_OFFLINE    := 1
export RASA_TELEMETRY_ENABLED  := false
export TF_CPP_MIN_LOG_LEVEL    := 2
export TOKENIZERS_PARALLELISM  := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# Inputs of the Rasa model: when none of these changed, training is skipped (cached by content).
RASA_INPUTS := bot/config.yml bot/domain.yml bot/data bot/components nlu_data vntext \
               scripts/train_rasa.sh requirements/rasa.lock

.PHONY: help
help:
	@echo "make run        install what is missing, build models and index, start the assistant"
	@echo "make test       install what is missing and run the whole suite"
	@echo "make eval-nlu FILE=…      NLU accuracy on a tsv (intent<TAB>text)"
	@echo "make eval-search FILE=…   search R@1/R@5/MRR on a tsv (accept<TAB>query)"
	@echo "make eval-chat FILE=…     conversations through the whole stack on the real catalogue (conv<TAB>text<TAB>expect)"
	@echo "make bench-search | bench-nlu | bench-chat   benchmarks that print numbers"
	@echo "make bench-faults                            crash Rasa, actions, PostgreSQL, Redis under chat load"
	@echo "make tune-embeddings      fine-tune the embedding model on catalogue pairs"
	@echo "make tune-rerank          learn the search re-ranker's weights on our tune queries"

# ---------------------------------------------------------------- environments
.PHONY: venv venv-rasa venvs
venv:
	@scripts/ensure_venv.sh $(VENV) "$$(scripts/find_python.sh 3.11)" requirements/app.lock torch==2.13.0

venv-rasa:
	@scripts/ensure_venv.sh $(VENV_RASA) "$$(scripts/find_python.sh 3.10)" requirements/rasa.lock

venvs: venv venv-rasa

# ---------------------------------------------------------------- built artefacts
.PHONY: embeddings rasa-model index seed build
embeddings: venv
	@scripts/cached.sh e5-st $(EMBED_DIR) "search_index/e5_conversion.py search_index/onnx_export.py requirements/app.lock" -- \
		$(PY) -m search_index.e5_conversion $(EMBED_DIR)

rasa-model: venv-rasa
	@scripts/cached.sh rasa-model $(RASA_MODEL) "$(RASA_INPUTS)" -- \
		scripts/train_rasa.sh $(RASA) $(RASA_MODEL)

index: venv embeddings
	@$(PY) -m search_index import --demo

seed: venv
	@$(PY) -m assistant seed

build: rasa-model index seed

# ---------------------------------------------------------------- the two commands
.PHONY: run
run: venvs build
	@echo ""
	@echo "  Trợ lý ảo dịch vụ công: http://127.0.0.1:8000/   (operator console: /operator, API docs: /docs)"
	@echo ""
	@$(PY) -m api.local_run   # the Procfile, or RASA_REPLICAS/ACTION_REPLICAS of each (var/run/Procfile)

.PHONY: test lint typecheck test-py test-rasa browser
test: venvs build lint typecheck test-py test-rasa
	@echo "make test: all checks passed"

lint: venv
	$(VENV)/bin/ruff check assistant actions api evaluation search_index vntext bot tests scripts
	$(VENV)/bin/ruff format --check assistant actions api evaluation search_index vntext bot tests scripts

typecheck: venv
	$(VENV)/bin/mypy assistant actions api evaluation search_index vntext

browser:
	@scripts/ensure_chromium.sh

test-py: venv browser
	$(VENV)/bin/pytest tests --ignore=tests/bot -p no:cacheprovider

test-rasa: venv-rasa rasa-model
	$(PY_RASA) -m pytest tests/bot -p no:cacheprovider
	cd bot && ../$(RASA) data validate --data data ../nlu_data --fail-on-warnings
	scripts/rasa_test.sh $(RASA) $(RASA_MODEL)

# ---------------------------------------------------------------- measurements
.PHONY: eval-nlu eval-search eval-chat bench-search bench-nlu bench-chat bench-faults rasa-model-baseline tune-embeddings tune-rerank bench
eval-nlu: venv-rasa rasa-model
	$(PY_RASA) -m bot.evaluate $(RASA_MODEL) $(FILE)

eval-search: venv embeddings
	$(PY) -m search_index eval $(FILE)

bench-search: venv embeddings
	$(PY) -m search_index.bench

bench-nlu: venv-rasa rasa-model
	$(PY_RASA) -m bot.bench $(RASA_MODEL)

eval-chat: venvs build
	$(PY) -m evaluation.chat_eval $(FILE)

rasa-model-baseline: venvs
	@scripts/cached.sh rasa-model-baseline $(BASELINE_MODEL) "evaluation/baseline_config.py $(RASA_INPUTS)" -- \
		$(PY) -m evaluation.baseline_config $(RASA) $(BASELINE_MODEL)

bench-chat: venvs build rasa-model-baseline
	$(PY) -m evaluation.chat_bench

# Needs PostgreSQL's initdb/postgres (PG_BIN, default /usr/local/bin) and redis-server: private ones are started.
bench-faults: venvs build
	$(PY) -m evaluation.fault_bench

bench: bench-search bench-nlu bench-chat

# Learns the re-ranker's weights (search_index/data/rerank_weights.json) on our tune queries.
tune-rerank: venv embeddings
	$(PY) -m search_index.train_rerank

tune-embeddings: venv embeddings
	$(PY) -m search_index.tune_embeddings

.PHONY: clean
clean:
	rm -rf $(VAR) .mypy_cache .ruff_cache .pytest_cache
