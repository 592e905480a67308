# The two commands of the README: `make run` (the demo) and `make test` (the whole suite).
# Everything they need is installed here, into .venv, from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export ZHAOSHANG_DEBUG ?= 1

.PHONY: run test install install-test browser office pgclient bench check-deploy clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "打开 http://$(HOST):$(PORT)/ 登录（Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's chromium; fonts-noto-cjk renders the Chinese.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
		echo "安装 chromium 与中文字体 (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# The bulletin's PDF is made by LibreOffice headless; its tests read the PDF back with poppler-utils
# (pdfinfo, pdftotext, pdftoppm). The server needs only LibreOffice; without it the page offers Word.
office:
	@command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
		echo "安装 LibreOffice Writer 与 poppler-utils (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui poppler-utils >/dev/null; }

# On PostgreSQL the backup tests run pg_dump, pg_restore and psql: Debian's postgresql-client.
pgclient:
	@case "$$DATABASE_URL" in postgres*) \
		command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 || { \
		echo "安装 postgresql-client (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-client >/dev/null; };; \
	esac

test: install-test browser office pgclient
	$(VENV)/bin/ruff check zhaoshang tests bench tools
	$(VENV)/bin/lint-imports  # the apps' layers (pyproject.toml [tool.importlinter], docs/architecture.md)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-test
	$(PY) bench/bench_pages.py

check-deploy: install
	ZHAOSHANG_DEMO=0 ZHAOSHANG_DEBUG=0 ZHAOSHANG_SECURE=1 ZHAOSHANG_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ZHAOSHANG_ALLOWED_HOSTS=zhaoshang.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles
