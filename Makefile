# Migrations for the Communication & Engagement Suite. `make help` lists the targets.
#
# DATABASE_URL picks the database and, from its scheme, the dialect folder:
#   sqlite:///abs/path.db   mysql://user:pass@host:3306/db   postgresql+psycopg://user:pass@host:5432/db
# Unset, it is the local SQLite file var/local.db.

.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DATABASE_URL
# The runner (tools/run.py) reads these; see docs/operations.md. Unset means the default.
export LOCK_RETRIES LOCK_RETRY_MAX_S VERBOSE DROP_BASELINE
PYTEST_ARGS ?=

.PHONY: help venv servers migrate rollback status mark break-lock test test-all-dialects \
        test-sqlite test-mysql test-postgres clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e .
	touch $@

venv: $(VENV)/.installed ## Create .venv with the pinned packages (every target does this itself)

servers: ## Make sure tests can get PostgreSQL and MariaDB (installs Debian packages as root if needed)
	@tools/install-servers.sh

migrate: venv ## Apply every pending migration to DATABASE_URL (default: var/local.db), then show status; retries lock timeouts (LOCK_RETRIES=, LOCK_RETRY_MAX_S=)
	@$(PY) -m tools.run apply
	@$(PY) -m tools.run list

rollback: venv ## Roll back the last migration; REVISION=<id> rolls back <id> and all after it; ALL=1 all (the baseline only with DROP_BASELINE=1)
	@$(PY) -m tools.run rollback $(if $(REVISION),--revision "$(REVISION)") $(if $(ALL),--all)

status: venv ## Show which migrations are applied (A) or pending (U) on DATABASE_URL
	@$(PY) -m tools.run list

mark: venv ## Record migrations as applied without running them: REVISION=<id> marks <id> and its ancestors
	@test -n "$(REVISION)" || { echo "usage: make mark REVISION=<id>  (see README: adopting an existing database)"; exit 2; }
	@$(PY) -m tools.run mark --revision "$(REVISION)"

break-lock: venv ## Remove a stale yoyo lock left by a killed run (only when no run is active)
	@$(PY) -m tools.run break-lock

test: test-all-dialects ## Same as test-all-dialects

test-all-dialects: venv servers ## Run the whole suite on SQLite, the MySQL family and PostgreSQL; fails if one cannot run
	$(PY) -m pytest --all-dialects $(PYTEST_ARGS)

test-sqlite: venv ## Run the tests of one dialect: SQLite
	$(PY) -m pytest -m sqlite $(PYTEST_ARGS)

test-mysql: venv servers ## Run the tests of one dialect: the MySQL family
	$(PY) -m pytest -m mysql $(PYTEST_ARGS)

test-postgres: venv servers ## Run the tests of one dialect: PostgreSQL
	$(PY) -m pytest -m postgres $(PYTEST_ARGS)

# --- schema snapshots, parity and lint ---

.PHONY: schema lint

schema: venv servers ## Rewrite schema/<dialect>.txt and docs/schema.md from what the migrations build (commit them)
	$(PY) -m tools.schema

$(VENV)/.lint-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[lint]'
	touch $@

lint: venv $(VENV)/.lint-installed ## Lint the SQL: squawk over migrations/postgres (.squawk.toml) and the repository checks
	$(PY) -m tools.lint

# --- DBA workflow: scaffold, preview, checksums ---

.PHONY: new plan plan-rollback sum verify record-checksums

new: venv ## Create the six files of a new migration: NAME=<kebab-case verb phrase>, e.g. NAME=add-feed-post-pins
	@test -n "$(NAME)" || { echo "usage: make new NAME=<kebab-case verb phrase>, e.g. make new NAME=add-feed-post-pins"; exit 2; }
	@$(PY) -m tools.scaffold "$(NAME)"

plan: venv ## Print the SQL `make migrate` would run on DATABASE_URL, without running it
	@$(PY) -m tools.plan apply

plan-rollback: venv ## Print the SQL `make rollback` would run (same REVISION=<id> / ALL=1), without running it
	@$(PY) -m tools.plan rollback $(if $(REVISION),--revision "$(REVISION)") $(if $(ALL),--all)

sum: venv ## Rewrite migrations/checksums.sum (and the post-apply hooks) after a deliberate change to a migration
	@$(PY) -m tools.checksums sum

verify: venv ## Report which applied migrations on DATABASE_URL have files changed since they were applied
	@$(PY) -m tools.checksums verify

record-checksums: venv ## Record checksums for applied migrations that have none (after make mark); ACCEPT=<id> re-records one
	@$(PY) -m tools.checksums record $(if $(ACCEPT),--accept "$(ACCEPT)")

# --- benchmarks ---

ROWS ?= 1000000

.PHONY: bench

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[bench]'
	touch $@

bench: venv servers $(VENV)/.bench-installed ## Writer stalls during the online migrations vs their naive forms, PostgreSQL and MariaDB/MySQL (ROWS=1000000)
	$(PY) -m bench --rows $(ROWS) --out bench-results

clean: ## Remove the virtualenv and the local SQLite database
	rm -rf $(VENV) var/local.db *.egg-info
