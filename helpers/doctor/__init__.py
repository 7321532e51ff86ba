"""helpers.doctor: what is wrong with a training setup, measured and said in beginner terms.

Two entry points, one report:
    examine(model, loss_fn, optimizer, X, y)          checks the objects, experiments on copies
    with watch(model, loss_fn, optimizer) as report:  observes the learner's own loop

One module a concern:
    helpers.doctor.report       Finding, Report (✅ / ❌ / ℹ️ lines; terminal, IPython, notebook)
    helpers.doctor.task         what the loss expects (binary, multi-class, other)
    helpers.doctor.static       checks of the objects as they are (optimizer, data, loss inputs)
    helpers.doctor.experiments  forward, backward, learning-rate range test, one small batch (on copies)
    helpers.doctor.copies       copies of the model and optimizer; the random state kept
    helpers.doctor.examine      examine(): the stages in order, stopping at the first problem
    helpers.doctor.watch        watch(): hooks on the learner's loop, removed on exit
    helpers.doctor.validate     the doctor's own arguments
"""

from helpers.doctor.examine import examine
from helpers.doctor.report import Finding, Report
from helpers.doctor.watch import watch

__all__ = ["Finding", "Report", "examine", "watch"]
