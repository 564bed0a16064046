# Two commands do all the set-up on a fresh Debian machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# community.general (the chroot connection of the fleet test), copied out of the ansible wheel.
COLLECTIONS := $(VENV)/share/ansible/collections
DEB_PACKAGES := bubblewrap uidmap busybox dash shellcheck chromium fonts-wqy-microhei locales-all util-linux util-linux-locales \
  nodejs dropbear-bin openssh-client libc-l10n

.PHONY: venv serve site render test check deb-deps lint clean

venv: $(STAMP)

# Reinstall when the dependency ranges or pins change. constraints.txt holds the exact versions, for
# the packages and for the build of nskb itself (PIP_CONSTRAINT reaches pip's isolated build env).
CONSTRAINTS := constraints.txt
PIP_INSTALL := PIP_CONSTRAINT=$(CONSTRAINTS) $(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

$(STAMP): pyproject.toml $(CONSTRAINTS) scripts/install-community-general.py
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "python3 -m venv needs Debian's python3-venv; installing it"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "make: python3 -m venv failed; install Debian's python3-venv (sudo apt-get install python3-venv)" >&2; exit 1; \
	  fi; }
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) -e '.[site,test,fleet]'
	$(PY) scripts/install-community-general.py $(COLLECTIONS)
	touch $@

# Debian packages the tests drive for real. Installed only when running as root;
# otherwise the list is printed so a person can install it.
deb-deps:
	@if [ "$$(id -u)" = 0 ]; then \
	  missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	      || { echo "make: cannot install Debian packages: $$missing (check apt sources and network)" >&2; exit 1; }; \
	  fi; \
	else \
	  echo "not root: make sure these Debian packages are installed: $(DEB_PACKAGES)"; \
	fi

lint: venv
	$(VENV)/bin/kb-lint kb

render: venv
	$(VENV)/bin/python -m nskb.site --out .site-src

site: venv render
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

serve: site
	@echo "serving site/ on http://127.0.0.1:8000 (Ctrl-C stops)"
	@echo "kb-match links to this copy with: export NSKB_SITE_URL=http://127.0.0.1:8000/"
	$(PY) -m http.server --directory site --bind 127.0.0.1 8000

# The architecture (import-linter contracts), the types (mypy) and the style (ruff); settings in pyproject.toml.
check: venv
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/ruff check src tests bench setup.py

# Two or more workers (pytest-xdist): the suite is mostly independent processes and browser pages.
test: venv deb-deps check
	$(VENV)/bin/pytest -n auto

clean:
	rm -rf build dist .site-src site .pytest_cache .mypy_cache .ruff_cache tests/artifacts
