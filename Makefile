# Evaluatiespiegel. `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Shared libraries WeasyPrint needs on Debian (they bring fonts-dejavu-core).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
PDF_LIB_FILES := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0

.PHONY: run test serve bench lint format syslibs chromium gettext poppler libreoffice nginx memcached clean help

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

# The translation test extracts strings with xgettext (it skips without it, so make test brings it).
gettext:
	@if ! command -v xgettext >/dev/null || ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "gettext installeren voor de vertaaltest"; \
	    (apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)); \
	  else \
	    echo "De vertaaltest heeft gettext nodig. Installeer: sudo apt-get install gettext"; exit 1; \
	  fi; \
	fi

# make bench opens the Word reports in LibreOffice (Debian's libreoffice-writer, headless),
# saves them again and converts them to PDF. A big install, so only for make bench.
libreoffice:
	@if ! command -v soffice >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "LibreOffice Writer installeren voor de Word-controle van make bench"; \
	    (apt-get install -y -qq --no-install-recommends libreoffice-writer >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer >/dev/null)); \
	  else \
	    echo "make bench opent de Word-rapporten in LibreOffice. Installeer: sudo apt-get install libreoffice-writer"; exit 1; \
	  fi; \
	fi

# The greyscale test prints report pages with pdftoppm -gray (poppler-utils).
poppler:
	@if ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "poppler-utils installeren voor de grijstintentest"; \
	    (apt-get install -y -qq poppler-utils >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)); \
	  else \
	    echo "De grijstintentest heeft pdftoppm nodig. Installeer: sudo apt-get install poppler-utils"; exit 1; \
	  fi; \
	fi

# make serve puts Debian's nginx in front of gunicorn (it buffers slow clients); started with
# its own configuration by evaluatiespiegel/serve.py, never as a system service.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "nginx installeren (buffert trage clients voor make serve)"; \
	    (apt-get install -y -qq nginx-light >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null)); \
	  else \
	    echo "make serve heeft nginx nodig. Installeer: sudo apt-get install nginx-light"; exit 1; \
	  fi; \
	fi

# make serve starts its own memcached on a unix socket (evaluatiespiegel/serve.py): the room
# versions that let live polls answer without the database, shared by all gunicorn workers.
memcached:
	@if ! command -v memcached >/dev/null && [ ! -x /usr/bin/memcached ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "memcached installeren (gedeelde kamerversies voor make serve)"; \
	    (apt-get install -y -qq memcached >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq memcached >/dev/null)); \
	  else \
	    echo "make serve heeft memcached nodig. Installeer: sudo apt-get install memcached"; exit 1; \
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

# Production: nginx in front (it buffers slow or stalled clients, so serving on a LAN is
# safe), multi-process gunicorn behind it, and the report worker at a lower CPU priority.
# Debug off, static files from WhiteNoise. Never loads demo data. Set DATABASE_URL for
# PostgreSQL; see README "Productie".
# Collecting and compressing the static files takes half a minute: only when they changed
# (or Django did), so restarting `make serve` mid-workshop is quick.
staticfiles/.collected: $(shell find static -type f 2>/dev/null) requirements/base.lock | $(VENV)/.base-installed
	$(PY) manage.py collectstatic --noinput -v0
	@touch $@

serve: $(VENV)/.base-installed syslibs nginx memcached staticfiles/.collected
	$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py shell -v0 -c "from django.contrib.auth import get_user_model as g; import sys; sys.exit(0 if g().objects.filter(is_superuser=True).exists() else 1)" \
	  || echo "Nog geen beheerder. Maak de eerste aan met: $(PY) manage.py createsuperuser"
	DJANGO_DEBUG= HOST=$(HOST) PORT=$(PORT) $(PY) -m evaluatiespiegel.serve

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(VENV)/.dev-installed syslibs chromium gettext poppler nginx memcached lint
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev-installed syslibs nginx memcached libreoffice
	$(PY) -m bench.reports
	@if [ -z "$$BENCH_POSTGRES_URL" ] && [ "$$(id -u)" = 0 ]; then BENCH_POSTGRES_URL=$$(.ci/postgres-up); export BENCH_POSTGRES_URL; fi; \
	$(PY) -m bench.load && \
	$(PY) -m bench.wall

clean:
	rm -rf $(VENV) staticfiles
