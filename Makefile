# The two commands: `make run` and `make test`. Each builds what it needs first, and only when it is stale.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := models/current.tar.gz
NLU_CODE := $(wildcard bot/nlu/*.py) bot/text.py bot/transliterate.py bot/languages.py
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/nlu/*.yml data/stories/*.yml) $(NLU_CODE)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test eval train install clean

run: $(STAMP) $(MODEL)
	$(BIN)/bot run

test: $(STAMP) $(MODEL)
	$(BIN)/bot validate
	$(BIN)/pytest

eval: $(STAMP) $(MODEL)
	$(BIN)/bot eval

train: $(MODEL)

install: $(STAMP)

# The environment: Python 3.10 (Rasa 3.6 runs on nothing newer), pinned by constraints.txt.
$(STAMP): pyproject.toml constraints.txt scripts/find-python.sh
	@test -x $(BIN)/python || { PY=$$(scripts/find-python.sh) && $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

# The model: retrained only when its training data, config or NLU code changed.
$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@mkdir -p models
	$(BIN)/rasa train --config config.yml --domain domain.yml --data data --out models \
		--fixed-model-name current --quiet
	@touch $@

clean:
	rm -rf models .rasa reports/*.json reports/*.md
