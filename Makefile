# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint clean

# Re-install only when the requirements change; the gazetteer index is built once here
# so that the extraction engine starts in well under two seconds afterwards.
$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m reports.extraction.gazetteer --build-cache
	touch $@

install: $(INSTALLED)

# Static files as production serves them: collected with hashed names, gzip and Brotli copies,
# cached by the browser for a year (config/settings/base.py, STATIC_COLLECTED).
demo: export STATIC_COLLECTED = true
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_gazetteer
	$(BIN)/python manage.py ingest seeds/articles
	@echo "Dashboard: http://$(HOST):$(PORT)/   API: http://$(HOST):$(PORT)/api/v1/   Admin: http://$(HOST):$(PORT)/admin/"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
