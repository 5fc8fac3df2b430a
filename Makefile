# Evaluatiespiegel. `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Shared libraries WeasyPrint needs on Debian (they bring fonts-dejavu-core).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
PDF_LIB_FILES := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0

.PHONY: run test serve bench lint format syslibs chromium clean help

help:
	@echo "make run    installeer, migreer, laad de demo en start op http://$(HOST):$(PORT)"
	@echo "make test   installeer wat de tests nodig hebben en draai lint + alle tests"
	@echo "make bench  meet rapporten en belasting en druk de cijfers af"

$(VENV)/bin/python:
	@$(PYTHON) --version >/dev/null 2>&1 || { echo "Python 3.11 ontbreekt: installeer python3.11 (of zet PYTHON=...)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	@touch $@ $(VENV)/.base-installed

syslibs:
	@missing=""; for lib in $(PDF_LIB_FILES); do ldconfig -p | grep -q "$$lib" || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "WeasyPrint-bibliotheken installeren: $(PDF_LIBS)"; \
	    (apt-get install -y -qq $(PDF_LIBS) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(PDF_LIBS) >/dev/null)); \
	  else \
	    echo "Voor PDF-rapporten ontbreken systeembibliotheken. Installeer: sudo apt-get install $(PDF_LIBS)"; exit 1; \
	  fi; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Chromium installeren voor de browsertests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else \
	    echo "De browsertests hebben Chromium nodig. Installeer: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

run: $(VENV)/.base-installed syslibs
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo --if-empty
	@echo ""
	@echo "Evaluatiespiegel draait op http://$(HOST):$(PORT)/  (stoppen: Ctrl+C)"
	@# The report worker beside the dev server: PDFs are made outside the web process.
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-startup-delay -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production: multi-process gunicorn, debug off, static files from WhiteNoise. Never loads
# demo data. Set DATABASE_URL for PostgreSQL; see README "Productie".
serve: $(VENV)/.base-installed syslibs
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py shell -v0 -c "from django.contrib.auth import get_user_model as g; import sys; sys.exit(0 if g().objects.filter(is_superuser=True).exists() else 1)" \
	  || echo "Nog geen beheerder. Maak de eerste aan met: $(PY) manage.py createsuperuser"
	@echo "Evaluatiespiegel (productie) op http://$(HOST):$(PORT)/"
	@# The report worker runs at a lower CPU priority than the web workers that serve the room.
	DJANGO_DEBUG= nice -n 10 $(PY) manage.py db_worker --no-startup-delay --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG= HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(VENV)/.dev-installed syslibs chromium lint
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev-installed syslibs
	$(PY) -m bench.reports
	@if [ -z "$$BENCH_POSTGRES_URL" ] && [ "$$(id -u)" = 0 ]; then BENCH_POSTGRES_URL=$$(.ci/postgres-up); export BENCH_POSTGRES_URL; fi; \
	$(PY) -m bench.load

clean:
	rm -rf $(VENV) staticfiles
