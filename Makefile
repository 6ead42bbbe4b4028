# Two commands on a fresh machine: `make run` and `make test`; `make lint` runs the checks CI runs too.
# Each creates the virtualenv and installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-test clean conformance benchmark vendor catalogues

# The query editor (YASGUI) and the API pages' Swagger UI (/docs) and ReDoc (/redoc) are installed from the
# npm registry with the versions locked in web/package-lock.json and their dist files copied into the package,
# so the service serves them offline and wheels carry them. Built, not committed: kgservice/interfaces/web/
# static/vendor/ is in .gitignore.
VENDOR := kgservice/interfaces/web/static/vendor
YASGUI := web/node_modules/@zazuko/yasgui
SWAGGER := web/node_modules/swagger-ui-dist
REDOC := web/node_modules/redoc

$(VENDOR)/.built: web/package.json web/package-lock.json web/.npmrc
	@command -v npm >/dev/null || { echo "npm is needed to build the query editor (Node.js 18+ with npm)" >&2; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/yasgui $(VENDOR)/swagger-ui $(VENDOR)/redoc
	cp $(YASGUI)/build/yasgui.min.js $(YASGUI)/build/yasgui.min.css $(YASGUI)/package.json $(VENDOR)/yasgui/
	cp $(SWAGGER)/swagger-ui-bundle.js $(SWAGGER)/swagger-ui.css $(SWAGGER)/favicon-32x32.png $(SWAGGER)/LICENSE \
		$(SWAGGER)/package.json $(VENDOR)/swagger-ui/
	cp $(REDOC)/bundles/redoc.standalone.js $(REDOC)/bundles/redoc.standalone.js.LICENSE.txt $(REDOC)/LICENSE \
		$(REDOC)/package.json $(VENDOR)/redoc/
	sed -i '/^\/\/# sourceMappingURL=/d' $(VENDOR)/yasgui/yasgui.min.js $(VENDOR)/swagger-ui/swagger-ui-bundle.js \
		$(VENDOR)/redoc/redoc.standalone.js
	sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' $(VENDOR)/swagger-ui/swagger-ui.css
	@# ReDoc's menu shows Redocly's logo from their CDN; an empty image instead, which ReDoc hides as it does an unloadable one
	sed -i 's|https://cdn.redoc.ly/redoc/logo-mini.svg|data:,|' $(VENDOR)/redoc/redoc.standalone.js
	touch $@

vendor: $(VENDOR)/.built

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENDOR)/.built | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENDOR)/.built | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/kgservice serve --host 127.0.0.1 --port 8000

test: install-test
	$(BIN)/python -m pytest

# Every check runs even when an earlier one fails, so one run shows all findings; the target fails if any did.
# mypy's files are [tool.mypy] packages, lint-imports' contracts [tool.importlinter] (both in pyproject.toml).
LINTED := kgservice tests benchmarks conformance

lint: install-test
	@status=0; \
	for check in "ruff check $(LINTED)" "ruff format --check $(LINTED)" "mypy" "lint-imports --no-logo"; do \
		echo "$$ $$check"; $(BIN)/$$check || { echo "FAILED: $$check" >&2; status=1; }; \
	done; \
	exit $$status

# The gettext catalogues (kgservice/locale/*/LC_MESSAGES/kgservice.po) in step with the marked texts of the code
# (babel.cfg): new texts added (fill their cs and pl), unused ones dropped. The service reads the .po files as they are.
catalogues: install-test
	$(BIN)/python -m kgservice.catalogues

conformance: install-test
	$(BIN)/python -m conformance.self_check --report docs/conformance-report.md

benchmark: install-test
	$(BIN)/pip install --quiet rdflib-endpoint
	$(BIN)/python -m benchmarks.run --out docs/benchmarks.md

clean:
	rm -rf $(VENV) build dist *.egg-info web/node_modules $(VENDOR)
