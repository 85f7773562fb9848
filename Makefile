# The README's two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench clean

run: $(STAMP)
	$(VENV)/bin/newsreader

test: $(STAMP)
	$(VENV)/bin/lint-imports --no-logo --no-cache
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench $(ARGS)

# Reinstall whenever pyproject.toml changes (new or re-pinned dependencies).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache build dist
