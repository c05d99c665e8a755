# The two commands a newcomer runs:  make demo   and   make test
# Both set everything up: the venv at .venv, the Kafka jars (Maven Central), redis-server (apt).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: demo test unit integration stop setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "modstream needs Python >= 3.11 (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)  ## start Kafka + Redis + workers, feed a sample firehose, summarise
	$(BIN)/modstream demo

test: $(STAMP)  ## all tests: unit, and integration against a real broker and Redis the session starts
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest tests/integration

stop:  ## stop the demo worker, Kafka and Redis
	$(BIN)/modstream local stop
