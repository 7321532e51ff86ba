"""Each exercise check is fed a right answer (passes), wrong ones (fail, saying what is off) and
a missing one (not attempted), as learntools tests its own checkers."""
import json

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn
from torchmetrics.classification import MulticlassAccuracy

from helpers import exercise_checks as check
from helpers import plot_decision_boundary, set_seed


def passed(result):
    assert result.status == "passed", repr(result)
    return result


def failed(result, *fragments):
    assert result.status == "failed", repr(result)
    for fragment in fragments:
        assert fragment in result.message, f"{fragment!r} not in {result.message!r}"
    return result


def not_attempted(result):
    assert result.status == "not attempted", repr(result)
    assert "not attempted yet" in repr(result)
    return result


class MoonModel(nn.Module):
    def __init__(self, activation=True):
        super().__init__()
        act = nn.ReLU() if activation else nn.Identity()
        self.layers = nn.Sequential(nn.Linear(2, 10), act, nn.Linear(10, 10), act, nn.Linear(10, 1))

    def forward(self, x):
        return self.layers(x)


class SpiralModel(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, n_classes))

    def forward(self, x):
        return self.layers(x)


def train(model, X, y, loss_fn, epochs, lr, squeeze):
    set_seed(42)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        model.train()
        out = model(X)
        loss = loss_fn(out.squeeze(1) if squeeze else out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return optimizer


@pytest.fixture(scope="module")
def moons():
    return check.moons_data()


def trained(model, split, loss_fn, epochs, lr, squeeze):
    """model trained with Adam on the split's training data; returns (model, optimizer)."""
    X_train, _, y_train, _ = split
    return model, train(model, X_train, y_train, loss_fn, epochs, lr, squeeze)


@pytest.fixture(scope="module")
def trained_moons(moons):
    set_seed(42)
    return trained(MoonModel(), moons, nn.BCEWithLogitsLoss(), 100, 0.03, squeeze=True)


@pytest.fixture(scope="module")
def spirals():
    return check.spirals_data()


@pytest.fixture(scope="module")
def trained_spirals(spirals):
    set_seed(42)
    return trained(SpiralModel(), spirals, nn.CrossEntropyLoss(), 300, 0.02, squeeze=False)


# ------------------------------------------------------------------ task 1

def test_task_1(moons):
    not_attempted(check.task_1(None, None, None, None))
    passed(check.task_1(*moons))


def test_task_1_wrong_sizes():
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    split = train_test_split(X, y, test_size=0.3, random_state=42)
    failed(check.task_1(*split), "X_train has shape [700, 2] (700 rows)", "800 training and 200 test")


def test_task_1_wrong_seed_dtype_type_and_partial(moons):
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    failed(check.task_1(*train_test_split(X, y, test_size=0.2, random_state=0)), "random_state=42")
    X_train, X_test, y_train, y_test = moons
    failed(check.task_1(X_train.double(), X_test, y_train, y_test), "X_train has dtype torch.float64")
    failed(check.task_1(X_train.numpy(), X_test, y_train, y_test), "X_train is a numpy ndarray")
    failed(check.task_1(X_train, None, y_train, y_test), "X_test is still None")


# ------------------------------------------------------------------ task 2

def test_task_2():
    not_attempted(check.task_2(None))
    model = MoonModel()
    before = [p.clone() for p in model.parameters()]
    model.train()
    passed(check.task_2(model))
    assert model.training and all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_task_2_linear_model_fails():
    failed(check.task_2(MoonModel(activation=False)), "the model is linear", "nn.ReLU()")


def test_task_2_wrong_kinds_of_model():
    failed(check.task_2(nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))), "your own class")
    failed(check.task_2("a model"), "not a torch.nn.Module")

    class TwoOutputs(MoonModel):
        def forward(self, x):
            return torch.cat([super().forward(x)] * 2, dim=1)

    failed(check.task_2(TwoOutputs()), "returned shape [200, 2]", "one logit per sample")


# ------------------------------------------------------------------ task 3

def test_task_3():
    model = MoonModel()
    not_attempted(check.task_3(model, None, None))
    passed(check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=0.1)))


def test_task_3_wrong_losses_and_optimizers():
    model = MoonModel()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    failed(check.task_3(model, nn.BCELoss(), sgd), "expects probabilities", "BCEWithLogitsLoss")
    failed(check.task_3(model, nn.L1Loss(), sgd), "binary cross-entropy on logits gives")
    failed(check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(MoonModel().parameters(), lr=0.1)),
           "does not update 6 of the model's 6 parameter tensors")
    failed(check.task_3(model, nn.BCEWithLogitsLoss(), None), "optimizer is still None")


# ------------------------------------------------------------------ task 4

def untrained_chain(model, X_test):
    model.eval()
    with torch.inference_mode():
        logits = model(X_test).squeeze(1)
    probs = torch.sigmoid(logits)
    return logits, probs, torch.round(probs)


def test_task_4(moons, trained_moons):
    model, _ = trained_moons
    not_attempted(check.task_4(model, None, None, None))
    logits, probs, preds = untrained_chain(MoonModel(), moons[1])
    result = passed(check.task_4(model, logits, probs, preds))
    assert "test accuracy" in result.message


def test_task_4_linear_model_cannot_pass(moons):
    X_train, X_test, y_train, _ = moons
    set_seed(42)
    linear = MoonModel(activation=False)
    train(linear, X_train, y_train, nn.BCEWithLogitsLoss(), 300, 0.03, squeeze=True)
    failed(check.task_4(linear, *untrained_chain(linear, X_test)), "the target is over 96%")


def test_task_4_untrained_model_and_broken_chain(moons):
    model = MoonModel()
    logits, probs, preds = untrained_chain(model, moons[1])
    failed(check.task_4(model, logits, probs, preds), "on the test set; the target is over 96%")
    failed(check.task_4(model, logits, torch.softmax(logits, dim=0), preds), "y_pred_probs is not torch.sigmoid(y_logits)")
    failed(check.task_4(model, logits, probs, (probs > 0.9).float()), "y_preds is not torch.round(y_pred_probs)")
    failed(check.task_4(model, logits[:10], probs, preds), "y_logits has shape [10]")


# ------------------------------------------------------------------ task 5

def test_task_5(moons, trained_moons):
    model, _ = trained_moons
    X_train, X_test, y_train, y_test = moons
    not_attempted(check.task_5(None))
    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_train, y_train, ax=axes[0], title="train")
    plot_decision_boundary(model, X_test, y_test, ax=axes[1], title="test")
    passed(check.task_5(axes))

    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_test, y_test, ax=axes[0], title="test")
    plot_decision_boundary(model, X_test, y_test, ax=axes[1], title="test again")
    failed(check.task_5(axes), "the panels show 200 and 200 points")

    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_train, y_train, ax=axes[0])
    failed(check.task_5(axes), "the left panel has no title")

    fig, axes = plt.subplots(1, 3)
    failed(check.task_5(axes), "should hold 2 matplotlib Axes")
    plt.close("all")


# ------------------------------------------------------------------ task 6

def test_task_6():
    not_attempted(check.task_6(None))

    def blank(x):
        return None

    not_attempted(check.task_6(blank))
    passed(check.task_6(lambda x: 1 - 2 / (torch.exp(2 * x) + 1)))
    passed(check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs()))))


def test_task_6_overflow_and_wrong_formulas():
    def textbook(x):
        return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))

    failed(check.task_6(textbook), "tanh returns nan for 226 inputs", "overflows float32")
    failed(check.task_6(torch.sigmoid), "largest gap from torch.tanh is", "at x = ")

    def in_place(x):
        return x.tanh_()

    failed(check.task_6(in_place), "changed its input tensor in place")
    failed(check.task_6(lambda x: x.tanh().sum()), "returned shape []")
    failed(check.task_6(lambda x: x.tolist()), "should return a tensor")


# ------------------------------------------------------------------ task 7

def spiral_answer(spirals, trained_spirals, **changes):
    model, optimizer = trained_spirals
    X_train, X_test, y_train, y_test = spirals
    answer = dict(model=model, loss_fn=nn.CrossEntropyLoss(), optimizer=optimizer,
                  metric=MulticlassAccuracy(num_classes=3), X_train=X_train, X_test=X_test,
                  y_train=y_train, y_test=y_test)
    answer.update(changes)
    return answer


def test_task_7(spirals, trained_spirals):
    not_attempted(check.task_7())
    not_attempted(check.task_7(None, None, None, None, None, None, None, None))
    passed(check.task_7(**spiral_answer(spirals, trained_spirals)))


def test_task_7_wrong_answers(spirals, trained_spirals):
    answer = lambda **c: spiral_answer(spirals, trained_spirals, **c)  # noqa: E731
    model, _ = trained_spirals
    failed(check.task_7(**answer(metric=MulticlassAccuracy(num_classes=4))), "num_classes=4", "3 classes")
    failed(check.task_7(**answer(model=SpiralModel(n_classes=4))), "shape [60, 4]", "3 logits per sample")
    failed(check.task_7(**answer(optimizer=torch.optim.SGD(model.parameters(), lr=0.1))), "asks for torch.optim.Adam")
    failed(check.task_7(**answer(loss_fn=nn.BCEWithLogitsLoss())), "nn.CrossEntropyLoss()")
    failed(check.task_7(**answer(y_train=spirals[2].float())), "y_train has dtype torch.float32")
    untrained = SpiralModel()
    failed(check.task_7(**answer(model=untrained, optimizer=torch.optim.Adam(untrained.parameters()))),
           "the target is over 95%")
    failed(check.task_7(**answer(X_test=None)), "X_test is still None")


# ------------------------------------------------------------------ reporting

def test_results_are_recorded_for_the_command_line_checker(tmp_path, monkeypatch):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("COURSE_CHECK_REPORT", str(report))
    check.task_1(None, None, None, None)
    check.task_6(lambda x: x.tanh())
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["task"], r["status"]) for r in records] == [(1, "not attempted"), (6, "passed")]


def test_a_check_never_crashes_on_odd_answers():
    class Exploding(nn.Module):
        def forward(self, x):
            raise RuntimeError("boom")

    failed(check.task_2(Exploding()), "RuntimeError: boom")
    failed(check.task_6(lambda x: 1 / 0), "ZeroDivisionError")
