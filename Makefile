# TSOC Tracker. `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
#   make run PORT=8010              serve on another port (HOST=0.0.0.0 for other machines)
#   make install PYTHON=/path/to/python3.12   build .venv with that Python (3.11 or 3.12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings make SITE_URL (links in emails) http://$(HOST):$(PORT) unless it is set.
RUN = DEBUG=1 RUN_HOST=$(HOST) RUN_PORT=$(PORT) $(BIN)/python manage.py

# The first of python3.11, python3.12 and python3 that is 3.11 or 3.12 (pyproject.toml's range).
FITS := -c 'import sys; sys.exit(sys.version_info[:2] not in [(3, 11), (3, 12)])'
PYTHON ?= $(firstword $(foreach python,python3.11 python3.12 python3,\
	$(shell $(python) $(FITS) >/dev/null 2>&1 && echo $(python))))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format bench mutate clean messages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) $(FITS) >/dev/null 2>&1 || { \
		echo "TSOC Tracker needs Python 3.11 or 3.12, and$(if $(PYTHON), $(PYTHON) is not one, none was found (python3.11, python3.12, python3))."; \
		echo "Install one, or point make at it: make run PYTHON=/path/to/python3.12"; \
		exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(RUN) migrate --noinput
	$(RUN) load_plans
	$(RUN) load_dependencies
	$(RUN) load_demo
	$(RUN) runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tsoc_tracker.settings_test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL (BENCH_DATABASE_URL); see docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Mutation testing of the modules that hold the rules ([tool.mutmut] in pyproject.toml), on
# demand only: not part of `make test` or CI. `make mutate MUTANTS='reporting.querysets*'` runs
# a subset. The score and every survivor go in docs/testing.md.
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/mutmut results --all true | tee var/mutants.txt

# After marking strings for translation: gather them into locale/mi/LC_MESSAGES/django.po, then
# compile it (docs/te-reo.md). Both files are committed; a test fails when the .mo is stale.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l mi --no-obsolete --add-location=file \
		--ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --settings=tsoc_tracker.settings_test
	$(BIN)/python manage.py makemessages -d djangojs -l mi --no-obsolete --add-location=file \
		--ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --settings=tsoc_tracker.settings_test
	@# gettext's guesses for new strings ("fuzzy", from similar old ones) are not translations:
	@# they are emptied, so a new string stays English until someone enters a sourced one (a
	@# "# Source:" comment left beside one is refused by tests/test_te_reo.py: remove it).
	for po in locale/mi/LC_MESSAGES/*.po; do msgattrib --clear-fuzzy --empty --clear-previous -o $$po $$po; done
	$(BIN)/python manage.py compilemessages -l mi --settings=tsoc_tracker.settings_test

lint: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/tsoc.sqlite3 var/mail var/media
