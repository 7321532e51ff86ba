"""The playground: train a small network on a toy data set and watch it learn (lesson 06).

    helpers.Playground("data=xor layers=0 act=none", fixed=["layers"])   # the widget
    helpers.run_config("data=xor layers=1 units=4", epochs=200)          # headless
    helpers.generate_code("data=xor layers=1 units=4", epochs=200)       # the cell that reproduces it

The parts:

    config   a configuration, described by one table of fields (key, kind, range, choices, label)
    run      its data, model, optimizer and training, epoch by epoch
    code     the PyTorch cell that reproduces a run exactly
    widget   the ipywidgets front end
    experiments  lesson 06's experiments: compare configurations, repeat them over seeds, count dead units
    figures      their pictures: decision regions side by side (one dot per seed: helpers.spread)
"""

from helpers.playground.code import generate_code
from helpers.playground.config import PlaygroundConfig, as_config
from helpers.playground.experiments import compare, dead_units, froze_dead, over_seeds, seed_values, trained_run
from helpers.playground.figures import draw_boundaries
from helpers.playground.run import PlaygroundRun, RunResult, build_model, make_data, run_config
from helpers.playground.widget import Playground

__all__ = [
    "Playground",
    "PlaygroundConfig",
    "PlaygroundRun",
    "RunResult",
    "as_config",
    "build_model",
    "compare",
    "dead_units",
    "froze_dead",
    "draw_boundaries",
    "over_seeds",
    "seed_values",
    "trained_run",
    "generate_code",
    "make_data",
    "run_config",
]
