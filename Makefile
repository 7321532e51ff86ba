# The course's commands. See README.md.
#   make lab      set up .venv (first time only) and start JupyterLab on the course
#   make test     set up .venv if missing, then run every test (helpers, checks, notebooks)
#   make outputs  re-execute the lesson and solution notebooks in place (refresh stored outputs)
#   make bench    time the notebooks and the test suite (writes benchmarks/README.md)
#   make test-other-cpu  the notebooks under other machines' rounding (torch, MKL and oneDNN knobs)
#   make test-claims  re-run each lesson's experiments over other seeds and check its conclusions
#   make test-browser-all  the browser tests with every lesson run (Run All) in JupyterLab (CI runs it)
#   make lint     ruff check and ruff format --check over .py and .ipynb (make test runs it too)
#   make colab-test  the course in an environment with Colab's versions (see colab/versions.txt)
#   make marimo-test each lesson converted to a marimo app and run as a script (marimo in .marimo/)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra options for JupyterLab, e.g. make lab LAB_ARGS="--no-browser --ip=0.0.0.0 --port=8888"
LAB_ARGS ?=
# Extra options for pytest, e.g. make test PYTEST_ARGS="-n 2" or PYTEST_ARGS="tests/test_metrics.py"
PYTEST_ARGS ?=
# Extra options for the first pip install, e.g. the CPU-only build of torch on Linux (README):
#   make lab PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple"
PIP_ARGS ?=
# The Python the course is tested on, and the oldest it accepts (pyproject.toml: requires-python).
MIN_PYTHON := 3.11
# JupyterLab refuses to run as root unless told to; containers (and Colab-like machines) run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# One intra-op thread: several torch processes (pytest workers, notebook kernels) on a small
# machine otherwise oversubscribe the cores and run ~20x slower. The models are tiny.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

LESSONS   := $(sort $(wildcard notebooks/*.ipynb))
SOLUTIONS := $(sort $(wildcard solutions/*.ipynb))
EXERCISES := $(sort $(wildcard exercises/*.ipynb))

.PHONY: venv lab test test-browser-all test-claims test-other-cpu lint outputs sync bench colab-test marimo-test clean

venv: $(STAMP)

# torch is pinned in requirements.txt and installed in the same pip command as everything else.
# Not --quiet: pip says what it downloads; the first install takes minutes (README).
# setuptools' default editable mode (new modules are found without reinstalling); its framed
# "Editable installation" note is announced by the recipe below, so that it does not alarm (its 'compat' mode,
# which prints none, is deprecated and prints a deprecation notice instead).
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(MIN_PYTHON)".split("."))))' 2>/dev/null || \
		{ echo "The course needs Python $(MIN_PYTHON) or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo missing)." \
		       "Install Python $(MIN_PYTHON) and run e.g. make lab PYTHON=python$(MIN_PYTHON)"; exit 1; }
	@echo "Setting up .venv (first time only): torch and the other pinned packages, a few minutes."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "pip lists what it downloads. setuptools then prints a framed note about 'Editable installation' (the course folder is on the path, as intended: nothing to do), and after 'Installing collected packages' pip is quiet for a minute or so while it unpacks them."
	$(BIN)/python -m pip install $(PIP_ARGS) -r requirements.txt -e ".[grader]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
		--display-name "Python 3 (PyTorch classification course)"
	touch $(STAMP)

# The notebooks are trusted (their stored figures come from `make outputs`), so JupyterLab does
# not warn "Notebook ... is not trusted" for each; kernels get CurveZMQ keys, so they do not
# warn that they run over unencrypted TCP. What a learner meets first is the lesson:
# - no news toast and no update check (tools/lab_overrides.json, JupyterLab's admin overrides);
# - terminals opened in JupyterLab find the course's Python first (PATH), so that
#   `python -m helpers.check ...` works there as in the README;
# - the *.egg-info folder the editable install leaves is hidden, with JupyterLab's usual globs.
LAB_HIDDEN := ['__pycache__','*.pyc','*.pyo','.DS_Store','*~','*.so','*.dylib','*.egg-info']
lab: $(STAMP)
	@$(BIN)/jupyter trust --log-level=WARN $(LESSONS) $(SOLUTIONS) $(EXERCISES) >/dev/null
	@# Copied through a temporary file and a rename: the browser tests start several servers at once.
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cmp -s tools/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json || \
		{ cp tools/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json.$$$$ && \
		  mv -f $(VENV)/share/jupyter/lab/settings/overrides.json.$$$$ $(VENV)/share/jupyter/lab/settings/overrides.json; }
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" \
		--KernelManager.transport_encryption=auto \
		--ContentsManager.hide_globs="$(LAB_HIDDEN)" \
		--LabApp.default_url=/lab/tree/notebooks/01_binary_classification_circles.ipynb $(LAB_ARGS)

# Parallel: one worker per core; --dist loadscope keeps each notebook's cells in one worker
# (nbval runs them in order in one kernel); each browser test is a unit of its own (conftest.py).
# benchmarks/README.md has the times with and without the browser tests.
# The browser tests (tests/browser/) run when Chromium is installed, and say so when it is not.
test: $(STAMP)
	@command -v chromium >/dev/null || echo "Chromium not found: the browser tests will be skipped (Debian: apt-get install chromium)."
	$(BIN)/python -m pytest -n auto --dist loadscope $(PYTEST_ARGS)

# make test opens every lesson in the browser and runs those whose outputs change while they run
# (the live view, the playground); this runs every lesson with Run All in JupyterLab as well.
test-browser-all: $(STAMP)
	COURSE_BROWSER_RUN_ALL=1 $(BIN)/python -m pytest -n auto --dist loadscope tests/browser $(PYTEST_ARGS)

# Every conclusion a lesson draws from an experiment, re-checked over seeds other than the stored
# 42 (claims/: one module per lesson, the lesson's runs written out again in claims/_lesson_runs.py).
# Not part of make test (claims/ is outside pytest's testpaths): it trains every lesson's models
# several times over, some minutes on two cores.
test-claims: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope claims $(PYTEST_ARGS)

# The notebooks as learners on other machines run them, under two sets of rounding knobs that
# each differ from the recording platform in more than one way: torch's generic kernels with MKL
# and oneDNN limited to AVX2, and torch's AVX2 kernels with MKL's "compatible" code path.
# Measured (tools/rounding_spread.py, benchmarks/README.md): ATEN_CPU_CAPABILITY and MKL_CBWR
# each move training logs' digits here, as another CPU vendor does. Training logs' numbers are
# then not compared; every other number is, within rounding (helpers/compare.py).
OTHER_CPUS := "ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=AVX2 ONEDNN_MAX_CPU_ISA=AVX2" \
	"ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=COMPATIBLE"
test-other-cpu: $(STAMP)
	@set -e; for knobs in $(OTHER_CPUS); do \
		echo "== the notebooks with $$knobs"; \
		env $$knobs $(BIN)/python -m pytest -n auto --dist loadscope notebooks solutions $(PYTEST_ARGS); \
	done

lint: $(STAMP)
	$(BIN)/python -m pytest -p no:xdist -q tests/test_lint.py

# Stored outputs are produced here and only here: on CPU, one thread, each notebook in its own
# folder (as nbval runs it). Exercise templates are stored without outputs.
# COURSE_LIVE_VIEW=final: live displays store one picture (the live view its last frame, the
# playground a picture of itself and how to start it), and no widget state is stored, so a
# notebook opened before its cells run shows no controls that nothing answers.
outputs: $(STAMP) sync
	COURSE_DEVICE=cpu COURSE_LIVE_VIEW=final $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.store_widget_state=False \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.extra_arguments='["--log-level=ERROR"]' \
		--ExecutePreprocessor.timeout=300 \
		--NotebookExporter.preprocessors='["nbconvert.preprocessors.CoalesceStreamsPreprocessor"]' \
		$(LESSONS) $(SOLUTIONS)
	$(if $(EXERCISES),$(BIN)/jupyter nbconvert --clear-output --inplace $(EXERCISES))
	COURSE_DEVICE=cpu $(BIN)/python tools/outputs_platform.py --write

# Every notebook's setup cell and metadata from one source (tools/sync_notebooks.py).
sync: $(STAMP)
	$(BIN)/python tools/sync_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --write benchmarks/README.md

# ------------------------------------------------------------------ Colab stand-in
# An environment with Colab's versions (colab/versions.txt, dated, with its source), the course
# installed into it the way the setup cell's Colab branch does (tools/colab_install.py asserts
# that none of Colab's packages changed), then the unit tests and every notebook there: exact
# text comparison off (--nbval-lax), the notebooks' own asserts on.
COLAB_VENV   := .venv-colab
COLAB_PYTHON ?= python3.11
COLAB_STAMP  := $(COLAB_VENV)/.installed
# The test tools, at the course's pins, constrained so that they change none of Colab's versions.
TEST_TOOLS = $(shell grep -E '^(pytest|pytest-xdist|nbval|hypothesis|PyYAML)==' requirements.txt)
# Not run there: tests of this repository's files and pinned environment (make test runs them),
# the benchmark and the browser (JupyterLab is not Colab's front end).
COLAB_SKIP = --ignore=tests/test_environment.py --ignore=tests/test_lint.py --ignore=tests/browser \
	--ignore=tests/test_bench.py --ignore=tests/test_notebook_structure.py \
	--ignore=tests/test_exercises_structure.py

$(COLAB_STAMP): colab/versions.txt requirements.txt
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet -r colab/versions.txt
	$(COLAB_VENV)/bin/python -m pip install --quiet -c colab/versions.txt $(TEST_TOOLS)
	touch $(COLAB_STAMP)

colab-test: $(COLAB_STAMP)
	env -u PYTHONPATH $(COLAB_VENV)/bin/python tools/colab_install.py
	env -u PYTHONPATH $(COLAB_VENV)/bin/python -m pytest -o addopts= -p no:cacheprovider \
		-n auto --dist loadscope --nbval-lax --nbval-current-env \
		--nbval-sanitize-with=tests/sanitize.cfg --nbval-cell-timeout=120 --nbval-kernel-startup-timeout=60 \
		tests notebooks solutions exercises $(COLAB_SKIP) $(PYTEST_ARGS)

# ------------------------------------------------------------------ marimo
# Each lesson converted with `marimo convert` and run as a script (tools/marimo_run.py). marimo is
# not a course dependency: it goes into .marimo/site with pip --target, behind the course's pins.
MARIMO_VERSION := 0.25.2
MARIMO_STAMP   := .marimo/site/.installed-$(MARIMO_VERSION)

$(MARIMO_STAMP): $(STAMP)
	rm -rf .marimo/site
	$(BIN)/python -m pip install --quiet --target .marimo/site marimo==$(MARIMO_VERSION)
	touch $(MARIMO_STAMP)

marimo-test: $(MARIMO_STAMP)
	$(BIN)/python tools/marimo_run.py .marimo/site $(LESSONS)

clean:
	rm -rf $(VENV) $(COLAB_VENV) .marimo models .pytest_cache .hypothesis test-artifacts
