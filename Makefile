# The portal's commands. `make run` and `make test` are all a newcomer needs (README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=
# `make test` runs the tests in one process per core, 8 at most (pytest-xdist: each has a Redis
# database of its own, and Redis has 16); TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= auto

# Python 3.12+: PYTHON= if given; else the first of python3.13, python3.12, python3 that really
# runs and is recent enough (pyenv shims may exist and fail); else pyenv's installed versions.
define FIND_PYTHON
ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
if [ -n "$(PYTHON)" ]; then \
  if ok "$(PYTHON)"; then echo "$(PYTHON)"; exit 0; fi; \
  echo "PYTHON=$(PYTHON) is not a working Python 3.12 or newer." >&2; exit 1; \
fi; \
for c in python3.13 python3.12 python3; do \
  if command -v "$$c" >/dev/null 2>&1 && ok "$$c"; then command -v "$$c"; exit 0; fi; \
done; \
root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
for c in $$(ls -d "$$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do \
  if ok "$$c/bin/python3"; then echo "$$c/bin/python3"; exit 0; fi; \
done; \
echo "No Python 3.12 or newer found. Install one, or name it: make run PYTHON=/path/to/python3" >&2; \
exit 1
endef

# The local real stack of `make services`: plain HTTP, the key simulators (a demonstration).
SERVICES_ENV := DEBUG=False SECRET_KEY=local-services-only ALLOWED_HOSTS=127.0.0.1,localhost \
	SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_SSL_REDIRECT=False \
	DATABASE_URL=$${SERVICES_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/csam_portal} \
	REDIS_URL=$${SERVICES_REDIS_URL:-redis://127.0.0.1:6379/1} \
	EMAIL_URL=smtp://127.0.0.1:1025 DIGITAL_KEYS_PROVIDER=simulators DEMO_SIMULATED_KEYS=1

.PHONY: help run test services assets messages lint bench-outbox bench-import bench-pdf bench-pages bench-users clean

help:
	@echo "make run       serve the portal on http://127.0.0.1:8000 (SQLite, demo data, e-mails in var/mail/)"
	@echo "make test      the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make services  the real stack: gunicorn, Celery worker and beat, PostgreSQL, Redis, SMTP sink"
	@echo "make messages  refresh the four translation catalogues in locale/"
	@echo "make assets    rebuild the CSS/JS bundle from csam_portal/assets and Bootstrap"
	@echo "make lint      ruff, migrations in step with the models, Django's checks"
	@echo "make bench-outbox  request time with and without an outbox e-mail (real stack)"
	@echo "make bench-import  register imports against PostgreSQL COPY, 50k and 200k enterprises"
	@echo "make bench-pdf     the exceptional request's PDF against a minimal WeasyPrint page"
	@echo "make bench-pages   the access managers' pages against a bare view, 10 and 1,000 terms"
	@echo "make bench-users   100,000 users of a qualité: pages against a bare view, export against COPY"

$(VENV)/.installed: pyproject.toml
	@if ! { [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; }; then \
	  py=$$($(FIND_PYTHON)); echo "Creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the machine's is used.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-fund --no-audit --loglevel=error

var:
	mkdir -p var/static

run: $(VENV)/.installed | var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-test node_modules/.package-lock.json | var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses=8 $(PYTEST_ARGS)

services: $(VENV)/.installed | var
	@db=$$(env $(SERVICES_ENV) $(PY) -c 'import os; print(os.environ["DATABASE_URL"].rsplit("/", 1)[1])'); \
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres "$$db"
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	@env $(SERVICES_ENV) $(MANAGE) migrate --noinput -v 0
	@env $(SERVICES_ENV) $(MANAGE) collectstatic --noinput -v 0
	@env $(SERVICES_ENV) $(MANAGE) load_demo
	@echo "Portal on http://127.0.0.1:8000 ; e-mails received by the SMTP sink in var/mailbox/new/"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) -m aiosmtpd -n -l 127.0.0.1:1025 -c aiosmtpd.handlers.Mailbox var/mailbox & \
	env $(SERVICES_ENV) $(VENV)/bin/celery -A csam_portal worker -l info --concurrency 2 & \
	env $(SERVICES_ENV) $(VENV)/bin/celery -A csam_portal beat -l info & \
	env $(SERVICES_ENV) $(VENV)/bin/gunicorn csam_portal.wsgi -b 127.0.0.1:8000 -w 3 --access-logfile - & \
	wait

assets: node_modules/.package-lock.json
	# Source-map comments dropped: the maps are not shipped, and whitenoise's manifest refuses them.
	{ sed '/sourceMappingURL/d' node_modules/bootstrap/dist/css/bootstrap.min.css; echo; \
	  cat csam_portal/assets/portal.css; } > csam_portal/static/portal/portal.css
	{ sed '/sourceMappingURL/d' node_modules/bootstrap/dist/js/bootstrap.bundle.min.js; echo; \
	  cat csam_portal/assets/portal.js; } > csam_portal/static/portal/portal.js

messages: $(VENV)/.installed-test
	$(MANAGE) makemessages --locale fr --locale nl --locale de --locale en --no-obsolete \
	  --add-location file --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore="*.egg-info"
	$(MANAGE) typeset_catalogues

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

bench-outbox: $(VENV)/.installed-test | var
	$(PY) tests/bench/outbox.py

bench-import: $(VENV)/.installed-test | var
	$(PY) tests/bench/registry.py

bench-pdf: $(VENV)/.installed-test | var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) tests/bench/pdf.py

bench-pages: $(VENV)/.installed-test | var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) tests/bench/pages.py

bench-users: $(VENV)/.installed-test | var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) tests/bench/users.py

clean:
	rm -rf $(VENV) node_modules var
