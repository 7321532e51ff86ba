"""Lesson 04's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop; the blobs and the split are the lesson's)."""

import pytest
from _lesson_runs import SEEDS, lesson_04
from torchmetrics.classification import MulticlassPrecision, MulticlassRecall


@pytest.mark.parametrize("seed", SEEDS)
def test_blob_model_reaches_99(seed):
    acc = lesson_04(seed)["test_acc"][-1]
    assert acc >= 99, f"04: 'BlobModel after 100 epochs: test accuracy' at least 99% (seed {seed}: {acc:.1f}%)"


@pytest.mark.parametrize("seed", SEEDS)
def test_test_curves_stay_close_to_training(seed):
    r = lesson_04(seed)
    train, test = r["train_loss"][-1], r["test_loss"][-1]
    assert test < train + 0.02, (
        f"04: 'the test curves stay close to the training ones ... it is not memorising' "
        f"(seed {seed}: train {train:.4f}, test {test:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_losses_fall_and_flatten(seed):
    losses = lesson_04(seed)["test_loss"]
    assert losses[-1] < losses[0] / 10 and losses[90] - losses[-1] < 0.02, (
        f"04: 'Both losses fall quickly and flatten' (seed {seed}: {losses[0]:.3f} -> {losses[-1]:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_linear_model_does_as_well(seed):
    r = lesson_04(seed)
    assert r["linear_test_acc"] >= 98 and abs(r["linear_test_acc"] - r["test_acc"][-1]) <= 1, (
        f"04: 'a linear boundary does as well as a bent one' (seed {seed}: without ReLU "
        f"{r['linear_test_acc']:.1f}%, with {r['test_acc'][-1]:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_mistakes_are_between_the_blobs_that_touch(seed):
    mistakes = lesson_04(seed)["mistakes"]
    assert mistakes <= {(0, 3), (3, 0)}, (
        f"04: 'such a mistake happens where it does: classes 0 and 3 are the two blobs that touch' "
        f"(seed {seed}: (true, predicted) {sorted(mistakes)})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_each_mistake_lowers_its_true_class_recall_and_predicted_class_precision(seed):
    r = lesson_04(seed)
    precision = MulticlassPrecision(num_classes=4, average=None)(r["test_preds"], r["y_test"])
    recall = MulticlassRecall(num_classes=4, average=None)(r["test_preds"], r["y_test"])
    true_classes = {t for t, _ in r["mistakes"]}
    predicted_classes = {p for _, p in r["mistakes"]}
    below_1 = ({c for c in range(4) if precision[c] < 1}, {c for c in range(4) if recall[c] < 1})
    assert below_1 == (predicted_classes, true_classes), (
        f"04: 'the lower precision belongs to the predicted class, the lower recall to the true one, and every "
        f"class no mistake touches scores 1.0' (seed {seed}: mistakes {sorted(r['mistakes'])}, precision "
        f"{precision.tolist()}, recall {recall.tolist()})"
    )
