# TSOC Tracker. `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format bench mutate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_plans
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tsoc_tracker.settings_test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL (BENCH_DATABASE_URL); see docs/benchmarks.md.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null 2>&1 || \
		echo "wrk is missing and could not be installed: the load test will be skipped"
	$(BIN)/python -m benchmarks

# Mutation testing of the modules that hold the rules ([tool.mutmut] in pyproject.toml), on
# demand only: not part of `make test` or CI. `make mutate MUTANTS='reporting.querysets*'` runs
# a subset. The score and every survivor go in docs/testing.md.
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/mutmut results --all true | tee var/mutants.txt

lint: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/tsoc.sqlite3 var/mail var/media
