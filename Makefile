# One task runner; the README names these targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install install-test demo test lint typecheck eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

# The main job on the embedded default: SQLite in the data directory, no Slack or Google.
# The call is stored as it is analysed (Dana's zone, the time of the call), so the
# stored copy has the due dates the analysis prints.
DEMO_REP := dana.reyes@acme-robotics.example
demo: install
	$(BIN)/nextstep reps add $(DEMO_REP) --name "Dana Reyes" --tz America/Los_Angeles
	$(BIN)/nextstep ingest examples/discovery-call.vtt --rep $(DEMO_REP) --at 2026-11-19T15:00
	$(BIN)/nextstep ingest examples/ --tz America/Los_Angeles
	$(BIN)/nextstep analyze examples/discovery-call.vtt --rep "Dana Reyes" --tz America/Los_Angeles --at 2026-11-19T15:00

test: install-test lint typecheck
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check bot integrations storage tests benchmarks
	$(BIN)/ruff format --check bot integrations storage tests benchmarks

typecheck:
	$(BIN)/mypy

eval: install
	$(BIN)/nextstep eval

bench: install-test
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_timex.py
	$(BIN)/python benchmarks/duckling/score.py
	$(BIN)/python benchmarks/bench_ingest.py --count 1000
	$(BIN)/python benchmarks/bench_calendar.py --events 4000 --steps 1000 --sample 50
	$(BIN)/python benchmarks/bench_slack.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_smtp.py --count 100 --clients 20
	$(BIN)/python benchmarks/bench_smtp_trust.py --count 200
	$(BIN)/python benchmarks/bench_gmail.py --count 300
	$(BIN)/python benchmarks/bench_verdict_history.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
