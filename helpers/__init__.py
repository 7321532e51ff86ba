"""helpers: the chores of the course "Neural-network classification with PyTorch".

One module a concern:
    helpers.device          get_device, set_seed
    helpers.data            make_spirals
    helpers.metrics         accuracy_fn
    helpers.plotting        plot_decision_boundary, plot_predictions, plot_loss_curves,
                            plot_confusion_matrix
    helpers.exercise_checks the checks run after each exercise task
    helpers.check           ``python -m helpers.check NOTEBOOK``: grade a saved exercise notebook
"""
from helpers.data import make_spirals
from helpers.device import DEVICE_ENV_VAR, get_device, set_seed
from helpers.metrics import accuracy_fn
from helpers.plotting import (
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_loss_curves,
    plot_predictions,
)

__all__ = [
    "DEVICE_ENV_VAR",
    "accuracy_fn",
    "get_device",
    "make_spirals",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_loss_curves",
    "plot_predictions",
    "set_seed",
]
