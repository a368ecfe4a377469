# DeZero in 60 steps: venv, demos, tests and checks. `make` lists the targets.
# Steps are found by globbing step??/, never listed by hand.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:

# Interpreter that builds the venv and runs the stdlib-only tools.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
# pip records no mtime on bin/python (a symlink to the base interpreter), so
# this file marks when requirements.txt was last installed into the venv.
STAMP := $(VENV)/.requirements-installed
# The CPU build that lies on disk on the project's machines: never unpinned.
TORCH := torch==2.13.0
# `make notebook` installs it into the venv on first use; make test does not need it.
JUPYTERLAB := jupyterlab==4.6.6
# The lecture site's generator (MkDocs, Material) and its browser-test driver
# (Selenium): installed into the venv by `make site` or `make site-deps`.
SITE_REQS := requirements-site.txt
SITE_STAMP := $(VENV)/.site-requirements-installed

STEPS := $(sort $(patsubst %/,%,$(wildcard step??/)))
BENCHES := $(sort $(wildcard benchmarks/bench_*.py))
JOBS ?=
ARGS ?=

# STEP=7 or STEP=07 -> STEP_NUM=7, STEP_DIR=step07 (the same for FROM).
num = $(shell expr '$(strip $(1))' + 0 2>/dev/null)
ifneq ($(strip $(STEP)),)
STEP_NUM := $(call num,$(STEP))
STEP_DIR := $(if $(STEP_NUM),step$(shell printf '%02d' '$(STEP_NUM)'))
endif
ifneq ($(strip $(FROM)),)
FROM_NUM := $(call num,$(FROM))
FROM_DIR := $(if $(FROM_NUM),step$(shell printf '%02d' '$(FROM_NUM)'))
endif

# $(call need_step,TARGET): stop unless STEP names an existing step directory.
define need_step
test -n "$(STEP_DIR)" || { echo "usage: make $(1) STEP=N  (N: 7 or 07; steps here: $(firstword $(STEPS))..$(lastword $(STEPS)))" >&2; exit 2; }; \
test -d "$(STEP_DIR)" || { echo "make $(1): no directory $(STEP_DIR)/ (steps here: $(firstword $(STEPS))..$(lastword $(STEPS)))" >&2; exit 2; }
endef

# $(call need_from,TARGET): stop unless FROM is unset or names an existing step directory.
define need_from
test -z "$(strip $(FROM))" -o -n "$(FROM_DIR)" || { echo "make $(1): FROM=$(FROM) is not a step number (expected e.g. FROM=7 or FROM=07; steps here: $(firstword $(STEPS))..$(lastword $(STEPS)))" >&2; exit 2; }; \
test -z "$(FROM_DIR)" -o -d "$(FROM_DIR)" || { echo "make $(1): no directory $(FROM_DIR)/ for FROM=$(FROM) (steps here: $(firstword $(STEPS))..$(lastword $(STEPS)))" >&2; exit 2; }
endef

# One line that says what is missing when CuPy or a GPU is not there.
CUPY_CHECK := import cupy; cupy.cuda.runtime.getDeviceCount()

.PHONY: help venv torch demo notebook test test-gpu diff practice practice-check \
	practice-solution practice-hint practice-progress lint check bench site site-deps \
	clean distclean

help: ## list the targets
	@echo "DeZero in 60 steps ($(words $(STEPS)) step directories here)"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
		sed -E 's/^([a-z-]+):.*## (.*)/\1|\2/' | awk -F'|' '{printf "  make %-17s %s\n", $$1, $$2}'
	@echo
	@echo "  STEP=N accepts 7 or 07; ARGS=\"...\" is passed on to the script;"
	@echo "  JOBS=N sets how many steps test in parallel (default: all cores)."

venv: $(PY) ## build .venv from requirements.txt (done on demand by the others)

$(PY): $(STAMP)
	@test -x $@ || { echo "$(VENV) is incomplete: run 'make distclean venv'" >&2; exit 1; }

$(STAMP): requirements.txt
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

torch: $(PY) ## install the pinned PyTorch (reference tests skip without it)
	$(PY) -m pip install --disable-pip-version-check -q $(TORCH)

demo: $(if $(wildcard $(STEP_DIR)/demo.py),$(PY)) ## run a step's demo: make demo STEP=7 [ARGS="..."]
	@$(call need_step,demo)
	$(PY) $(STEP_DIR)/demo.py $(ARGS)

notebook: $(if $(wildcard $(STEP_DIR)/$(STEP_DIR).ipynb),$(PY)) ## open a step's notebook in JupyterLab: make notebook STEP=9 [ARGS="..."]
	@$(call need_step,notebook)
	@test -f $(STEP_DIR)/$(STEP_DIR).ipynb || { echo "make notebook: no $(STEP_DIR)/$(STEP_DIR).ipynb; write it with: $(PY) tools/notebooks.py --steps $(STEP_NUM)" >&2; exit 2; }
	@test -x $(VENV)/bin/jupyter-lab || { echo "installing $(JUPYTERLAB) into $(VENV) (first use)"; $(PY) -m pip install --disable-pip-version-check -q $(JUPYTERLAB); }
	$(VENV)/bin/jupyter-lab --ServerApp.root_dir=. $(STEP_DIR)/$(STEP_DIR).ipynb $(ARGS)

test: $(if $(strip $(STEP)),$(if $(wildcard $(STEP_DIR)),$(PY)),$(PY)) ## run every step's tests and tests/; make test STEP=7 for one step
ifneq ($(strip $(STEP)),)
	@$(call need_step,test)
	$(PY) tools/run_tests.py --steps $(STEP_NUM) --no-top $(if $(JOBS),-j $(JOBS)) $(ARGS)
else
	$(PY) tools/run_tests.py $(if $(JOBS),-j $(JOBS)) $(ARGS)
endif

test-gpu: $(PY) ## the CuPy cases of steps 52+ on a GPU machine (a skip fails)
	@if ! err=$$($(PY) -c '$(CUPY_CHECK)' 2>&1); then \
		echo "make test-gpu: needs CuPy and an NVIDIA GPU ($$(printf '%s\n' "$$err" | tail -n 1)); on a GPU machine: $(VENV)/bin/pip install cupy-cuda12x" >&2; \
		exit 1; \
	fi
	@rc=0; ran=0; \
	for d in $(STEPS); do \
		grep -q '^    gpu:' $$d/pytest.ini 2>/dev/null || continue; ran=1; \
		echo "== $$d"; \
		(cd $$d && DEZERO_REQUIRE_GPU=1 ../$(PY) -m pytest -q -m gpu) || rc=1; \
	done; \
	test $$ran = 1 || { echo "no step has GPU tests yet"; exit 1; }; \
	exit $$rc

diff: ## what a step changed: make diff STEP=7, or FROM=1 STEP=10 [ARGS=--all]
	@$(call need_step,diff)
	@$(call need_from,diff)
	$(PYTHON) tools/stepdiff.py $(FROM_NUM) $(STEP_NUM) $(ARGS)

# Practice mode (tools/practice.py): practice/stepNN/, which git ignores.
practice: $(PY) ## a step as an exercise: make practice STEP=9 [FROM=mine] [FORCE=1]
	@$(call need_step,practice)
	@test -z "$(FROM)" -o "$(FROM)" = mine || { echo "make practice: FROM=$(FROM) is not understood; FROM=mine starts from your own practice/step(N-1)/" >&2; exit 2; }
	$(PY) tools/practice.py make $(STEP_NUM)$(if $(filter mine,$(FROM)), --from-mine)$(if $(FORCE), --force) $(ARGS)

practice-check: $(PY) ## run a step's tests on your practice copy: make practice-check STEP=9
	@$(call need_step,practice-check)
	$(PY) tools/practice.py check $(STEP_NUM) $(ARGS)

practice-solution: $(PY) ## your practice copy against the step: make practice-solution STEP=9 [ARGS="--html f.html"]
	@$(call need_step,practice-solution)
	$(PY) tools/practice.py solution $(STEP_NUM) $(ARGS)

practice-hint: $(PY) ## the lesson's words on what to write next: make practice-hint STEP=9
	@$(call need_step,practice-hint)
	$(PY) tools/practice.py hint $(STEP_NUM) $(ARGS)

practice-progress: $(PY) ## which steps your practice copies pass
	$(PY) tools/practice.py progress $(ARGS)

lint: $(PY) ## ruff check and ruff format --check over the whole repository
	@rc=0; \
	echo "$(RUFF) check ."; $(RUFF) check . || rc=1; \
	echo "$(RUFF) format --check ."; $(RUFF) format --check . || rc=1; \
	exit $$rc

check: $(PY) ## lint, then tools/check_steps.py (STEP=N checks step N against N-1)
	@rc=0; \
	$(MAKE) --no-print-directory lint || rc=1; \
	echo "$(PYTHON) tools/check_steps.py $(if $(STEP_NUM),--steps $(STEP_NUM))"; \
	$(PYTHON) tools/check_steps.py $(if $(STEP_NUM),--steps $(STEP_NUM)) || rc=1; \
	exit $$rc

bench: $(if $(BENCHES),$(PY)) ## run benchmarks/bench_*.py (speed and memory targets)
ifeq ($(BENCHES),)
	@echo "no benchmarks/bench_*.py yet: nothing to measure"
else
	@for b in $(BENCHES); do echo "== $$b"; $(PY) $$b $(ARGS) || exit 1; done
endif

site: $(SITE_STAMP) ## build the lecture site into site/ (then: python -m http.server -d site)
	$(PY) tools/build_site.py $(ARGS)

site-deps: $(SITE_STAMP) ## install requirements-site.txt (site generator, browser tests)

$(SITE_STAMP): $(SITE_REQS) $(STAMP)
	@echo "installing $(SITE_REQS) into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check -q -r $(SITE_REQS)
	@touch $@

clean: ## remove caches and the figures demos wrote (keeps .venv)
	find . \( -name .git -o -name $(VENV) \) -prune -o -type d \
		\( -name __pycache__ -o -name .pytest_cache -o -name .hypothesis -o -name .ruff_cache -o -name .ipynb_checkpoints \) \
		-prune -exec rm -rf {} +
	rm -rf step??/output output site build/site build/site-cache site-screenshots

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
