"""helpers: the chores of the course "Neural-network classification with PyTorch".

One module a concern (README.md has the table):
    helpers.device       the device, seeding            helpers.data        the spirals data set
    helpers.metrics      accuracy                       helpers.validation  checking arguments
    helpers.decision     what a model predicts where    helpers.plotting    the course's figures
    helpers.live         the live training view         helpers.environment the environment variables
    helpers.style        the palette, the figure style  helpers.compare     comparing stored outputs
    helpers.colab        the setup cell's Colab line    helpers.playground  the playground (lesson 06)
    helpers.curves       thresholds, ROC and precision-recall curves, reliability diagrams (lesson 07)
    helpers.spread       one dot per seed: how much a result varies over runs (lessons 05 to 07)
    helpers.doctor       examine(...) and watch(...): what is wrong with a training setup (lesson 08)
    helpers.check        what the exercise notebook calls ``check``, and ``python -m helpers.check``

``_PUBLIC`` below is the one list of the public names, and of where each lives. They are imported
on first use, so that ``python -m helpers.check`` never imports torch and matplotlib (the
notebook's kernel does, and runs the checks).
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
    "precision_recall_at": "helpers.curves",
    "roc_curve": "helpers.curves",
    "pr_curve": "helpers.curves",
    "threshold_for_recall": "helpers.curves",
    "reliability_bins": "helpers.curves",
    "plot_roc_curve": "helpers.curves",
    "plot_pr_curve": "helpers.curves",
    "plot_reliability_diagram": "helpers.curves",
    "plot_pr_and_roc": "helpers.curves",
    "apply_course_style": "helpers.style",
    "seed_spread": "helpers.spread",
    "plot_spread": "helpers.spread",
    "describe_spread": "helpers.spread",
    "LiveView": "helpers.live",
    "Playground": "helpers.playground.widget",
    "PlaygroundConfig": "helpers.playground.config",
    "run_config": "helpers.playground.run",
    "generate_code": "helpers.playground.code",
    "doctor": "helpers.doctor",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        module = import_module(_PUBLIC[name])
        value = module if module.__name__ == f"{__name__}.{name}" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
