"""helpers: the chores of the course "Neural-network classification with PyTorch".

One module a concern:
    helpers.device          get_device, set_seed
    helpers.data            make_spirals
    helpers.metrics         accuracy_fn
    helpers.decision        predict_classes, decision_regions (what a model predicts where)
    helpers.plotting        plot_data, plot_decision_boundary, plot_train_test_boundaries,
                            plot_predictions, plot_loss_curves, plot_confusion_matrix
    helpers.exercise_checks the checks run after each exercise task
    helpers.grading         the grading protocol (tasks, targets, statuses, the grader's kernel)
    helpers.exercise_hints  hints and solutions for the exercises
    helpers.live            LiveView: decision regions and curves redrawn while a loop trains
    helpers.playground      the playground (ipywidgets)
    helpers.check           ``python -m helpers.check NOTEBOOK``: grade a saved exercise notebook

The public names below are imported on first use, so that ``python -m helpers.check`` never
imports torch and matplotlib (the notebook's kernel does, and runs the checks).
"""

from importlib import import_module

_PUBLIC = {
    "DEVICE_ENV_VAR": "helpers.environment",
    "get_device": "helpers.device",
    "set_seed": "helpers.device",
    "make_spirals": "helpers.data",
    "accuracy_fn": "helpers.metrics",
    "plot_decision_boundary": "helpers.plotting",
    "plot_predictions": "helpers.plotting",
    "plot_loss_curves": "helpers.plotting",
    "plot_confusion_matrix": "helpers.plotting",
    "plot_data": "helpers.plotting",
    "plot_train_test_boundaries": "helpers.plotting",
    "predict_classes": "helpers.decision",
    "LiveView": "helpers.live",
    "Playground": "helpers.playground",
    "PlaygroundConfig": "helpers.playground_core",
    "run_config": "helpers.playground_core",
    "generate_code": "helpers.playground_core",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
