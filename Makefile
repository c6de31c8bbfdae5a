# Homecare: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Celery job tests (@pytest.mark.jobs) use a real broker: RabbitMQ with SQLite,
# Redis with PostgreSQL, so both brokers are proven on every `make test`.
AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672//
REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: demo test lint check-migrations check-deploy test-sqlite test-postgres venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

demo: venv
	$(BIN)/homecare demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: venv
	mkdir -p var
	$(BIN)/homecare makemigrations --check --dry-run

check-deploy: venv
	DJANGO_SETTINGS_MODULE=homecare.settings.production \
	SECRET_KEY=ci-only-$$(printf '%064d' 0 | tr 0 x) \
	ALLOWED_HOSTS=homecare.example.org \
	$(BIN)/python -m django check --deploy --fail-level WARNING

test-sqlite: venv
	CELERY_BROKER_URL=$(AMQP_URL) $(BIN)/pytest -q

# PostgreSQL runs every test again when one is reachable (CI always has one).
test-postgres: venv
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) CELERY_BROKER_URL=$(REDIS_URL) $(BIN)/pytest -q; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): skipped here (.ci/run starts one)"; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

test: lint check-migrations check-deploy test-sqlite test-postgres

clean:
	rm -rf $(VENV) var
