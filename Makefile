# Bridgework: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install lint format migrate demo system-deps clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Exactly the pinned set, nothing resolved again (the lock holds every dependency, and
	@# the sentence model without the PyTorch its metadata asks for); the project is not
	@# built or installed: a .pth puts this folder on the path, so nothing can shadow it.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'bridgework.pth').write_text(str(pathlib.Path.cwd()) + chr(10))"
	touch $(STAMP)

install: $(STAMP)

## Debian libraries WeasyPrint needs, Chromium for browser tests, pdftoppm, docker-compose.
system-deps:
	@bash scripts/system-deps.sh

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_cafe
	$(BIN)/python manage.py seed_demo_series

## Set up, load the demo series, and start the web server and a Celery worker (Ctrl-C stops both).
run: demo
	@PORT=$(PORT) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} bash scripts/serve.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Set up, lint and run the whole suite (PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set).
test: install system-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache .ruff_cache
