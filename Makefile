# The course's commands. See README.md.
#   make lab      set up .venv (first time only) and start JupyterLab on the course
#   make test     set up .venv if missing, then run every test (helpers, checks, notebooks)
#   make outputs  re-execute the lesson and solution notebooks in place (refresh stored outputs)
#   make bench    time the notebooks and the test suite (writes benchmarks/README.md)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra options for JupyterLab, e.g. make lab LAB_ARGS="--no-browser --ip=0.0.0.0 --port=8888"
LAB_ARGS ?=
# Extra options for pytest, e.g. make test PYTEST_ARGS="-n 2" or PYTEST_ARGS="tests/test_metrics.py"
PYTEST_ARGS ?=
# JupyterLab refuses to run as root unless told to; containers (and Colab-like machines) run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# One intra-op thread: several torch processes (pytest workers, notebook kernels) on a small
# machine otherwise oversubscribe the cores and run ~20x slower. The models are tiny.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

LESSONS   := $(sort $(wildcard notebooks/*.ipynb))
SOLUTIONS := $(sort $(wildcard solutions/*.ipynb))
EXERCISES := $(sort $(wildcard exercises/*.ipynb))

.PHONY: venv lab test outputs bench clean

venv: $(STAMP)

# torch is pinned in requirements.txt and installed in the same pip command as everything else.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
		--display-name "Python 3 (PyTorch classification course)"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks/01_binary_classification_circles.ipynb $(LAB_ARGS)

# Parallel: one worker per core; --dist loadscope keeps each notebook's cells in one worker
# (nbval runs them in order in one kernel). benchmarks/README.md has serial vs parallel times.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope $(PYTEST_ARGS)

# Stored outputs are produced here and only here: on CPU, one thread, each notebook in its own
# folder (as nbval runs it). Exercise templates are stored without outputs.
outputs: $(STAMP)
	COURSE_DEVICE=cpu $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.extra_arguments='["--log-level=ERROR"]' \
		--ExecutePreprocessor.timeout=300 \
		--NotebookExporter.preprocessors='["nbconvert.preprocessors.CoalesceStreamsPreprocessor"]' \
		$(LESSONS) $(SOLUTIONS)
	$(if $(EXERCISES),$(BIN)/jupyter nbconvert --clear-output --inplace $(EXERCISES))

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --write benchmarks/README.md

clean:
	rm -rf $(VENV) models .pytest_cache .hypothesis
