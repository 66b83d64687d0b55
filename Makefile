# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run seed test system-packages install install-dev lint fmt migrations-check importlint typecheck check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Serve the app on 127.0.0.1:$(PORT) (SQLite unless DATABASE_URL is set), migrated and seeded.
## The demo data (data/seed.json) is loaded only into a database without products; the admin URL,
## login, storefront keys and (on that first run only) an admin API token are printed.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed data/seed.json --if-empty --print-credentials --base-url http://127.0.0.1:$(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Load a seed file (SEED_FILE, default data/seed.json): all or nothing, and safe to run again.
SEED_FILE ?= data/seed.json
seed: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed $(SEED_FILE)

## Run the whole test suite (SQLite unless DATABASE_URL is set), on the test settings: the
## DJANGO_SETTINGS_MODULE exported above for `make run` would otherwise win over pyproject's.
test: install-dev system-packages
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

## Compatibility suite: the real @medusajs/medusa-js client (tests/compat) against a fresh, seeded
## server. SQLite unless DATABASE_URL is set (then a throw-away database on that PostgreSQL server).
.PHONY: test-compat
test-compat: install tests/compat/node_modules/.installed
	tests/compat/run.sh

tests/compat/node_modules/.installed: tests/compat/package.json tests/compat/package-lock.json
	cd tests/compat && npm ci --legacy-peer-deps --no-audit --no-fund
	touch $@

## Debian packages the tests need (Chromium for the admin browser tests); installs when missing.
system-packages:
	@.ci/system-packages

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

importlint: install-dev
	$(VENV)/bin/lint-imports

## mypy with the Django and DRF plugins over the apps, config and bench (settings in pyproject).
typecheck: install-dev
	$(VENV)/bin/mypy

check: lint migrations-check importlint typecheck

clean:
	rm -rf $(VENV) db.sqlite3

## Benchmark on PostgreSQL at realistic scale (never SQLite); writes docs/benchmarks.{md,json}.
## DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench  (created if missing;
## the dataset is generated on the first run, ~4 minutes). See docs/benchmarks.md.
.PHONY: bench
bench: install
	$(PY) bench/run.py

## Batch jobs at 100,000 products (export, import, channel moves): time and peak RSS of each.
## DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_jobs make bench-jobs  (its own dataset,
## generated on the first run). BENCH_JOBS_WRITE=1 writes the table into docs/benchmarks.md.
.PHONY: bench-jobs
bench-jobs: install
	$(PY) bench/jobs.py

## Read replicas (a few minutes, loopback only): a throw-away PostgreSQL primary and a streaming
## replica of it (initdb, pg_basebackup -R; ports 5498 and 5499 under /tmp), a smaller dataset
## (BENCH_REPLICA_PRODUCTS, default 10,000), the store cases on the primary alone and with
## DATABASE_REPLICA_URLS, the lag a reader sees, and read-your-writes of carts. No DATABASE_URL
## needed. BENCH_REPLICA_WRITE=1 writes the table into docs/benchmarks.md. See docs/deployment.md §3.
.PHONY: bench-replica
bench-replica: install
	$(PY) bench/replica.py

## Fault suite (a few minutes, loopback only): a throw-away PostgreSQL cluster (initdb into a
## temporary directory), the app under gunicorn with production settings behind nginx
## (deploy/nginx.conf); a checkout soak, worker SIGKILLs, a PostgreSQL restart, slow clients and
## overload; then the invariants in SQL and a table. Not part of `make test`. Needs nginx and the
## PostgreSQL server binaries (Debian: nginx-light, postgresql). See docs/reliability.md, "Faults".
.PHONY: faults
faults: install system-packages
	$(PY) bench/faults.py
