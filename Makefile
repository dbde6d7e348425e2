# The two commands of the README's quick start are `make run` and `make test`.
# Both create .venv and install the project into it when needed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint locales install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Install, then run the bot (without TELEGRAM_BOT_TOKEN: the offline console on demo data).
run: $(STAMP)
	$(BIN)/dondoc run

## Install, then run the whole test suite (PostgreSQL too when TEST_DATABASE_URL is set).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Extract messages, merge them into locales/*/dondoc.po and compile the .mo files.
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		--project dondoc -o locales/dondoc.pot .
	$(BIN)/pybabel update -D dondoc -i locales/dondoc.pot -d locales \
		--ignore-obsolete -w 100
	$(BIN)/pybabel compile -D dondoc -d locales --statistics
