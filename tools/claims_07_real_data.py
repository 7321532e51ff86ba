"""Lesson 07's claims over other seeds: run the lesson's code with every seed shifted.

The stored outputs of notebooks/07_real_data.ipynb come from seed 42 and split 42. The lesson keeps
a few ``assert``s on its key results; the other conclusions its prose draws are the ``CHECKS``
below, evaluated in the notebook's namespace after its last cell (they read the numbers the lesson
printed, so the lesson stays short to read). This script runs all the notebook's code cells
again with ``helpers.set_seed(s)`` turned into ``helpers.set_seed(s + offset)`` and
``train_test_split(..., random_state=r)`` into ``random_state=r + offset`` (models, training loops,
the lesson's split and the spreads' own splits alike: every offset is a new data split), records
every assert instead of stopping at the first, and prints which held for each offset, with the
lesson's key numbers.

    python tools/claims_07_real_data.py                # offsets 0..6 (0: the stored run)
    python tools/claims_07_real_data.py 0 10 20 30     # chosen offsets

Exit status 1 when a claim failed for some offset. Runs on one CPU thread, about 10 s of CPU time an offset.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("COURSE_DEVICE", "cpu")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_real_data.ipynb"
REPORTED = [
    "threshold",
    "val_recall",
    "val_precision",
    "test_auc",
    "test_recall",
    "recall_low",
    "recall_high",
    "test_precision",
    "test_missed",
]


class SoftAsserts(ast.NodeTransformer):
    """`assert test, message` becomes `_claim(test, cell, line, source)`: recorded, not raised."""

    def __init__(self, cell: int):
        self.cell = cell

    def visit_Assert(self, node):  # noqa: N802 (ast's naming)
        call = ast.Call(
            func=ast.Name("_claim", ast.Load()),
            args=[node.test, ast.Constant(self.cell), ast.Constant(node.lineno), ast.Constant(ast.unparse(node.test))],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(call), node)


def shifted_split(split, offset: int):
    """`split` (scikit-learn's train_test_split) with its random_state moved by offset; an unseeded call is an error."""

    def train_test_split(*arrays, random_state, **options):
        return split(*arrays, random_state=random_state + offset, **options)

    return train_test_split


def run(offset: int) -> tuple[list[tuple], dict]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import sklearn.model_selection
    import torch

    import helpers
    from helpers.device import set_seed

    torch.set_num_threads(1)
    helpers.set_seed = lambda seed=42: set_seed(seed + offset)
    # The splits too: the lesson's split (random_state=42) and each spread's own split (random_state=seed).
    split = sklearn.model_selection.train_test_split
    sklearn.model_selection.train_test_split = shifted_split(split, offset)
    claims = []

    def _claim(held, cell, line, source):
        claims.append((bool(held), cell, line, source))

    namespace = {"_claim": _claim, "__name__": "__main__"}
    plt.show = lambda *args, **kwargs: plt.close("all")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    import contextlib
    import io

    try:
        for index, cell in enumerate(cells):
            tree = ast.fix_missing_locations(SoftAsserts(index).visit(ast.parse(cell.source)))
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(tree, f"<cell {index}>", "exec"), namespace)
            plt.close("all")
    finally:
        sklearn.model_selection.train_test_split = split
        helpers.set_seed = set_seed
    return claims, namespace


# The lesson's conclusions, as expressions over its variables (cell numbers: code cells, from 0).
# Each reads what the lesson computed for its own seed and split (42 + offset) and its spread.
ONE_TUMOUR = "100 / len(y_val)"
CHECKS = [
    # Section 5: raw features
    ("raw, lr 0.1: within 2 tumours of always-benign", f"raw_fast['val_acc'][-1] <= baseline_acc + 2 * {ONE_TUMOUR}"),
    ("raw, lr 0.1: no better than answering the prior", "raw_fast['val_loss'][-1] > prior_loss - 0.02"),
    ("raw, lr 0.1: flat after the first five epochs", "np.ptp(raw_fast['val_loss'][5:]) < 0.01"),
    ("raw, lr 0.1: most hidden units stop responding", "responding[LR] <= 4"),
    (
        "pos_weight barely changes the ranking: ROC AUC and average precision within 0.01 of the rare model's",
        "max(abs(areas['rare + pos_weight'][k] - areas['rare (5% malignant)'][k]) for k in (0, 1)) < 0.01",
    ),
    (
        "raw, smaller steps: validation loss > 1.5 times the standardised run's",
        "all(run['val_loss'][-1] > 1.5 * history['val_loss'][-1] for run in (raw_slow, raw_slowest))",
    ),
    ("raw: the widest feature's weights moved > 1000 times as far, every lr", "min(moved_ratio.values()) > 1_000"),
    (
        "spread, raw lr 0.1: near always-benign, no better than the prior, flat, in every run",
        "all(r['val_acc'][-1] <= 100 * (1 - s['y_val'].mean().item()) + 2 * 100 / len(s['y_val'])"
        " and r['val_loss'][-1] > loss_fn(torch.full_like(s['y_val'], np.log(s['y_train'].mean().item()"
        " / (1 - s['y_train'].mean().item()))), s['y_val']).item() - 0.02"
        " and np.ptp(r['val_loss'][5:]) < 0.01 for r, s in zip(runs_raw[LR], splits.values()))",
    ),
    (
        "spread, raw smaller steps: > 1.5 times the standardised loss in every run",
        "all((np.array([r['val_loss'][-1] for r in runs_raw[lr]]) > 1.5 * std_loss).all() for lr in RAW_LRS[1:])",
    ),
    ("spread, raw lr 0.001: jumps of more than 20 points in most runs", "sum(j > 20 for j in jumps) > len(jumps) / 2"),
    (
        "spread, raw features: Adam lr 0.001 below raw SGD lr 0.1 in most runs",
        "(adam_loss < raw_sgd_loss).sum() > len(adam_loss) / 2",
    ),
    (
        "spread, raw features: Adam still above 1.5 times standardised SGD in most runs",
        "(adam_loss > 1.5 * std_loss).sum() > len(adam_loss) / 2",
    ),
    # Section 6: sorted batches
    ("sorted: below the true share after the benign-only batches", "after_benign < true_share"),
    ("sorted: pulled back up by the malignant batches", "end_of_epoch > after_benign + 0.05"),
    ("spread, sorted: the drag in every run", "all(a < t for a, t in zip(after_s, true_s))"),
    ("spread, sorted: below 3/4 of the true share in most runs", "sum(far_below) > len(far_below) / 2"),
    ("spread, sorted: back up in every run", "all(e > a + 0.05 for a, e in zip(after_s, end_s))"),
    (
        "after 3 epochs, sorted and shuffled about equal (validation loss within 0.03), every run",
        "max(abs(g) for g in [final_sorted[0] - final_shuffled[0], *loss_gap_s]) < 0.03",
    ),
    # Section 7: batch size
    (
        "the smaller the batch, the noisier the step losses (seed 42)",
        "step_noise(step_losses[8]) > step_noise(step_losses[BATCH_SIZE]) > step_noise(step_losses[full])",
    ),
    ("spread: the smaller the batch, the noisier, in every run", "all(noisier)"),
    (
        "full batch usually ends behind (> 1.2 times the worse mini-batch loss): the lesson's run and the spread",
        "sum(b > 1.2 for b in [final_val_loss[full] / max(final_val_loss[8], final_val_loss[BATCH_SIZE]), *behind])"
        " > (len(behind) + 1) / 2",
    ),
    # Section 8: imbalance
    ("the rare model looks fine by its training accuracy", "rare['train acc'] > rare_baseline"),
    ("the rare split lowers validation recall", "rare['recall'] < balanced['recall']"),
    (
        "on the full validation set accuracy still shows the rare model's loss: down by a tumour or more, and by"
        " more tumours than at 5%",
        f"balanced['val acc'] - rare['val acc'] >= {ONE_TUMOUR} - 1e-9"
        f" and (balanced['val acc'] - rare['val acc']) / ({ONE_TUMOUR}) > -gap_5 / one_tumour_5",
    ),
    (
        "at 5%: the rare model no more than about one tumour behind all data (1.5 tumours, in accuracy points)",
        "gap_5 > -1.5 * one_tumour_5",
    ),
    (
        "at 5%: the rare model's accuracy near its baseline",
        "abs(at_5['rare (5% malignant)'][0] - rare_val_baseline) < 6",
    ),
    ("recall does not depend on the prevalence", "abs(at_5['rare (5% malignant)'][1] - rare['recall']) < 0.15"),
    ("at 5%: the rare model still misses more", "recall_rare_5 < recall_all_5"),
    (
        "at 5%: the same false alarms weigh more in precision",
        "balanced['precision'] == 1 or at_5['all training data'][2] < balanced['precision']",
    ),
    ("spread: the rare split costs recall in every run", "(recall_rare < recall_all).all()"),
    (
        "spread: pos_weight raises recall in most runs, lowers it in none",
        "(recall_weighted >= recall_rare).all() and (recall_weighted > recall_rare).sum() > len(recall_rare) / 2",
    ),
    (
        "spread, at 5%: accuracy does not show the loss: the rare model at worst 2 tumours behind, in most runs"
        " no more than one",
        "gaps_s.min() > -2 * one_tumour_5 and (gaps_s >= -one_tumour_5).sum() > len(gaps_s) / 2",
    ),
    (
        "spread, at 5%: the rare model's recall lower in every run",
        "(recall_drops_5 > 0).all()",
    ),
    ("spread: the rare model misses more at 0.5 in every run", "all(np.greater(missed_rare, missed_all))"),
    # Section 9: thresholds
    (
        "the table: below 0.5 the rare model's recall recovers",
        "table[('rare (5% malignant)', 'recall')][0.1] > table[('rare (5% malignant)', 'recall')][0.5]",
    ),
    ("1/(1 + w) against pos_weight: as many found or more", "found_r >= found_w and (diffs[:, 0] >= 0).all()"),
    ("1/(1 + w) against pos_weight: as many false alarms or more", "alarms_r >= alarms_w and (diffs[:, 1] >= 0).all()"),
    (
        "the written-out threshold rule: at or below helpers.threshold_for_recall's edge, with its counts, every model",
        "all(choose_threshold(y_val, p, goal) <= helpers.threshold_for_recall(y_val, p, goal)"
        " and precision_recall(y_val, (p >= choose_threshold(y_val, p, goal)).float())"
        " == precision_recall(y_val, (p >= helpers.threshold_for_recall(y_val, p, goal)).float())"
        " for p in [val_probs, *val_probs_of.values()])",
    ),
    (
        "the chosen threshold reaches the goal on validation, for every model of the spread",
        "all(precision_recall(s['y_val'], (r['probs'] >= choose_threshold(s['y_val'], r['probs'], RECALL_GOAL"
        " + 1 / int(s['y_val'].sum()))).float())[1] >= RECALL_GOAL + 1 / int(s['y_val'].sum()) - 1e-12"
        " for runs in spread_results.values() for r, s in zip(runs, splits.values()))",
    ),
    (
        "scikit-learn's areas equal the helpers' curves' areas",
        "all(abs(roc_auc_score(y_val, p) - helpers.roc_curve(y_val, p).area) < 1e-6"
        " and abs(average_precision_score(y_val, p) - helpers.pr_curve(y_val, p).area) < 1e-6 for p in val_probs_of.values())",
    ),
    ("the curves: every model ranks well (ROC AUC > 0.95)", "min(a for a, _ in areas.values()) > 0.95"),
    ("the curves: all data's average precision > 0.9", "areas['all training data'][1] > 0.9"),
    (
        "pos_weight: about the same ranking (ROC AUC within 0.02)",
        "abs(areas['rare + pos_weight'][0] - areas['rare (5% malignant)'][0]) < 0.02",
    ),
    (
        "the rare model misses the goal at 0.5",
        "precision_recall(y_val, (val_probs_of['rare (5% malignant)'] >= 0.5).float())[1] < goal",
    ),
    ("the rare model needs a threshold below 0.5", "threshold_of['rare (5% malignant)'] < 0.5"),
    # Section 10: reliability
    ("most tumours in the two outer bins", "bins.count[[0, -1]].sum() > 0.8 * bins.count.sum()"),
    (
        "the outer bins near the diagonal",
        "(np.abs(bins.fraction_positive[[0, -1]] - bins.mean_predicted[[0, -1]]) < 0.1).all()",
    ),
    (
        "the rare model's reliability points at or above the diagonal (seed 42's figure)",
        "(lambda b: (b.fraction_positive[b.count > 0] >= b.mean_predicted[b.count > 0] - 0.05).all())("
        "helpers.reliability_bins(y_val, val_probs_of['rare (5% malignant)'], n_bins=5))",
    ),
    (
        "the all-data model's mean predicted probability near the true share (within 0.05): seed 42 and every run",
        "abs(val_probs_of['all training data'].mean().item() - true_share_val) < 0.05"
        " and (np.abs(mean_prob_gap['all training data']) < 0.05).all()",
    ),
    (
        "training at 5% pulls the probabilities down: the rare model's mean predicted probability below the true share"
        " by more than 0.03, seed 42 and every run",
        "val_probs_of['rare (5% malignant)'].mean().item() < true_share_val - 0.03"
        " and (mean_prob_gap['rare (5% malignant)'] < -0.03).all()",
    ),
    (
        "pos_weight pushes them back up: its mean above the rare model's and closer to the true share, seed 42 and"
        " every run",
        "(mean_prob_gap['rare + pos_weight'] > mean_prob_gap['rare (5% malignant)']).all()"
        " and (np.abs(mean_prob_gap['rare + pos_weight']) < np.abs(mean_prob_gap['rare (5% malignant)'])).all()"
        " and abs(val_probs_of['rare + pos_weight'].mean().item() - true_share_val)"
        " < abs(val_probs_of['rare (5% malignant)'].mean().item() - true_share_val)"
        " and val_probs_of['rare + pos_weight'].mean() > val_probs_of['rare (5% malignant)'].mean()",
    ),
    # Section 11: the test set
    (
        "sklearn's confusion matrix agrees with the counts",
        "confmat[1, 0] == test_missed and confmat[1].sum() == n_test_malignant",
    ),
    (
        "the rule gives the all-data model a higher threshold than the rare model",
        "threshold_of['all training data'] > threshold_of['rare (5% malignant)']",
    ),
    # Section 11: the test set, on the rare model, and the recipe over the spread
    ("the rare model's chosen threshold finds at least as many on test as 0.5", "test_recall >= recall_half_42"),
    ("spread: the rare model's threshold below 0.5 in every run", "(np.array(rare_thresholds) < 0.5).all()"),
    ("spread: test ROC AUC at least 0.95 in every run", "min(test_aucs) >= 0.95"),
    (
        "spread: test recall at the chosen threshold never lower than at 0.5, higher in most runs",
        "(recall_chosen >= recall_half).all() and (recall_chosen > recall_half).sum() > len(recall_chosen) / 2",
    ),
    ("spread: mean test recall higher by more than 0.1", "recall_chosen.mean() > recall_half.mean() + 0.1"),
    (
        "test: at 5% malignant the same recall and false-positive rate give a precision no higher than the test's",
        "precision_at_5 <= test_precision + 1e-9 and test_labels.mean().item() > PREVALENCE",
    ),
    ("spread: paid for in precision (mean test precision lower)", "precision_chosen.mean() < precision_half.mean()"),
    (
        "spread: the recipe cannot promise the goal on every test set (test recall below it in some run)",
        "(recall_chosen < RECALL_GOAL).any()",
    ),
]


def check_all(namespace: dict) -> list[tuple]:
    """Every CHECKS entry, evaluated in the lesson's namespace: (held, description, expression)."""
    from sklearn.metrics import average_precision_score  # the lesson reads the areas from helpers.plot_pr_and_roc

    namespace.setdefault("average_precision_score", average_precision_score)
    results = []
    for description, expression in CHECKS:
        try:
            held = bool(eval(expression, namespace))  # noqa: S307 (our own expressions over the lesson's variables)
        except Exception as error:  # a check that cannot be computed is a failed check, said so
            description = f"{description} (could not be computed: {type(error).__name__}: {error})"
            held = False
        results.append((held, description, expression))
    return results


def main(argv: list[str]) -> int:
    offsets = [int(a) for a in argv] or [0, 1, 2, 3, 4, 5, 6]
    failed = 0
    for offset in offsets:
        claims, namespace = run(offset)
        claims += [(held, "CHECKS", 0, f"{text}: {expression}") for held, text, expression in check_all(namespace)]
        numbers = {name: namespace.get(name) for name in REPORTED}
        bad = [c for c in claims if not c[0]]
        failed += bool(bad)
        shown = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in numbers.items())
        print(
            f"seeds shifted by {offset:3d} (42 -> {42 + offset}): {len(claims) - len(bad)}/{len(claims)} claims held | {shown}"
        )
        for _, cell, line, source in bad:
            where = "a check of CHECKS" if cell == "CHECKS" else f"code cell {cell}, line {line}"
            print(f"    FAILED {where}: {source}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
