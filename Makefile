# The two commands a new machine needs: `make demo` and `make test`.
# Everything is installed into .venv (and .venv-3.X for the engine suite on other Pythons).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(wildcard plugins/*)
PLUGIN_PYPROJECTS := $(wildcard plugins/*/pyproject.toml)
# What mypy checks: linea_core and every importable package or module of every plugin
# distribution (plugins/<dist>/<pkg>/, plugins/<dist>/src/<pkg>/, plugins/<dist>/<mod>.py),
# found anew on each run so a new plugin is in the gate without editing this file.
PLUGIN_PACKAGES := $(filter-out %/tests %/test,$(patsubst %/__init__.py,%,$(wildcard plugins/*/*/__init__.py plugins/*/src/*/__init__.py)))
PLUGIN_MODULES := $(filter-out %/setup.py %/conftest.py %/noxfile.py,$(wildcard plugins/*/*.py plugins/*/src/*.py))
TYPED := linea_core tools $(PLUGIN_PACKAGES) $(PLUGIN_MODULES)
# Every other CPython 3.10-3.13 on the machine runs the engine suite too.
OTHER_PYTHONS := $(filter-out $(shell $(PYTHON) -c 'import sys;print("%d.%d"%sys.version_info[:2])'),3.10 3.11 3.12 3.13)
PYENV_ROOT ?= $(HOME)/.pyenv
# Generated programs per soundness class (tests/proof) on the other Pythons; the main
# Python runs the default (tests/proof/test_generated.py).
PROOF_EXAMPLES_OTHER_PYTHONS ?= 30

.PHONY: demo test lint typecheck bench engine-other-pythons clean graphviz lineage-picture

# uv installs in seconds what pip takes minutes for; pip stays in the venv for the tests
# that pip-install a package the way a user would.
$(BIN)/.installed: pyproject.toml $(PLUGIN_PYPROJECTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]' $(foreach p,$(PLUGINS),-e $(p))
	touch $@

# graphviz's `dot` draws lineage pictures; installed from Debian when missing (CI runs as root).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Installing graphviz (dot) with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz </dev/null >/dev/null; \
	}

demo: $(BIN)/.installed graphviz
	$(BIN)/python examples/demo.py
	$(BIN)/python examples/notebook_demo.py

# The lineage picture the README shows (docs/iris_model_lineage.svg), from the example notebook.
lineage-picture: $(BIN)/.installed graphviz
	$(BIN)/python examples/notebook_demo.py --picture

# The gate every change passes (CI and .pre-commit-config.yaml run the same four checks).
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(TYPED)

typecheck: $(BIN)/.installed
	$(BIN)/mypy $(TYPED)

test: $(BIN)/.installed graphviz lint
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider
	$(MAKE) engine-other-pythons

# The engine (tracing + slicing) suite on each other installed CPython 3.10-3.13.
engine-other-pythons:
	@for v in $(OTHER_PYTHONS); do \
	  py=$$(ls -d $(PYENV_ROOT)/versions/$$v.*/bin/python3 2>/dev/null | sort -V | tail -n 1); \
	  if [ -z "$$py" ]; then echo "Python $$v not installed: engine suite not run on it"; continue; fi; \
	  venv=.venv-$$v; \
	  if [ ! -f $$venv/.installed ] || [ pyproject.toml -nt $$venv/.installed ]; then \
	    $$py -m venv $$venv && $$venv/bin/python -m pip install --quiet --upgrade pip uv && \
	    $$venv/bin/uv pip install --quiet --python $$venv/bin/python -e '.[dev]' && touch $$venv/.installed || exit 1; \
	  fi; \
	  echo "== engine suite on Python $$v"; \
	  PROOF_EXAMPLES=$(PROOF_EXAMPLES_OTHER_PYTHONS) $$venv/bin/python -m pytest -q -n 2 -m engine -p no:cacheprovider tests || exit 1; \
	done

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .venv-3.* *.egg-info
