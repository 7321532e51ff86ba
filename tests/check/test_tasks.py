"""Each exercise check is fed right answers (several different ones: they pass), wrong ones (they
fail, and the message says what is off), the missing answer (not attempted), and the shortcuts a
learner might try (memorising the test set, predictions not from the model, torch.tanh in
disguise, a class instead of an object). A fault planted in a check gives the fourth status."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchmetrics.classification import MulticlassAccuracy

from helpers import check, plot_decision_boundary, set_seed
from helpers.check import protocol, reference, table, tasks
from helpers.environment import REPORT_ENV_VAR


def passed(result):
    assert result.status == "passed", repr(result)
    assert repr(result).startswith(f"✅ Task {result.task} passed: ")
    return result


def failed(result, *fragments):
    assert result.status == "failed", repr(result)
    assert repr(result).startswith(f"❌ Task {result.task} failed: ")
    for fragment in fragments:
        assert fragment in result.message, f"{fragment!r} not in {result.message!r}"
    return result


def not_attempted(result):
    assert result.status == "not attempted", repr(result)
    assert "not attempted yet" in repr(result)
    return result


class MoonModel(nn.Module):
    def __init__(self, activation=nn.ReLU, hidden=10, squash=None, squeeze=False):
        super().__init__()
        layers = [nn.Linear(2, hidden), activation(), nn.Linear(hidden, hidden), activation(), nn.Linear(hidden, 1)]
        self.layers = nn.Sequential(*layers, *([squash()] if squash else []))
        self.squeeze = squeeze

    def forward(self, x):
        out = self.layers(x)
        return out.squeeze(1) if self.squeeze else out


class SpiralModel(nn.Module):
    def __init__(self, n_classes=3, hidden=16, activation=nn.ReLU):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(2, hidden), activation(), nn.Linear(hidden, hidden), activation(), nn.Linear(hidden, n_classes)
        )

    def forward(self, x):
        return self.layers(x)


def train(model, X, y, loss_fn, epochs, lr, squeeze, optimizer=None):
    set_seed(42)
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        model.train()
        out = model(X)
        loss = loss_fn(out.squeeze(1) if squeeze and out.ndim == 2 else out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return optimizer


def loop_numbers(model, X_test, y_test, loss_fn):
    model.eval()
    with torch.inference_mode():
        logits = model(X_test).reshape(-1)
        return loss_fn(logits, y_test), (torch.round(torch.sigmoid(logits)) == y_test).float().mean() * 100


@pytest.fixture(scope="module")
def trained_moons(moons):
    set_seed(42)
    model = MoonModel()
    return model, train(model, moons[0], moons[2], nn.BCEWithLogitsLoss(), 100, 0.03, squeeze=True)


@pytest.fixture(scope="module")
def trained_spirals(spirals):
    set_seed(42)
    model = SpiralModel()
    return model, train(model, spirals[0], spirals[2], nn.CrossEntropyLoss(), 300, 0.02, squeeze=False)


# ------------------------------------------------------------------ task 1


def test_task_1(moons):
    not_attempted(check.task_1(None, None, None, None))
    passed(check.task_1(*moons))
    X_train, X_test, y_train, y_test = moons
    passed(check.task_1(X_train.clone().requires_grad_(), X_test, y_train, y_test))


def test_task_1_wrong_answers(moons):
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    failed(
        check.task_1(*train_test_split(X, y, test_size=0.3, random_state=42)),
        "X_train has shape [700, 2] (700 rows)",
        "800 training and 200 test",
    )
    failed(check.task_1(*train_test_split(X, y, test_size=0.2, random_state=0)), "random_state=42")
    X_train, X_test, y_train, y_test = moons
    failed(check.task_1(X_train.double(), X_test, y_train, y_test), "X_train has dtype torch.float64")
    failed(check.task_1(X_train.numpy(), X_test, y_train, y_test), "X_train is a numpy ndarray")
    failed(check.task_1(X_train, None, y_train, y_test), "X_test is still None")
    failed(check.task_1(X_train, X_test, y_train.long(), y_test), "y_train has dtype torch.int64")


# ------------------------------------------------------------------ task 2


@pytest.mark.parametrize(
    "model",
    [MoonModel(), MoonModel(nn.Tanh, hidden=32), MoonModel(nn.LeakyReLU, squeeze=True)],
    ids=["relu", "tanh-wide", "leaky-squeezed"],
)
def test_task_2_right_models(model):
    before = [p.clone() for p in model.parameters()]
    model.train()
    passed(check.task_2(model))
    assert model.training and all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_task_2_wrong_models():
    not_attempted(check.task_2(None))
    failed(check.task_2(MoonModel(nn.Identity)), "the model is linear", "nn.ReLU()")
    failed(check.task_2(nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))), "your own class")
    failed(check.task_2("a model"), "not a torch.nn.Module")
    failed(
        check.task_2(MoonModel),
        "model is the class MoonModel itself",
        "you assigned the class",
        "model = MoonModel().to(device)",
    )

    class TwoOutputs(MoonModel):
        def forward(self, x):
            return torch.cat([super().forward(x)] * 2, dim=1)

    failed(check.task_2(TwoOutputs()), "returned shape [200, 2]", "one logit per sample")


def test_task_2_a_model_ending_in_a_sigmoid_is_told_to_return_logits():
    failed(
        check.task_2(MoonModel(squash=nn.Sigmoid)),
        "model ends in a sigmoid",
        "probabilities rather than logits",
        "remove the last activation",
    )

    class Clamped(MoonModel):
        def forward(self, x):
            return torch.sigmoid(super().forward(x)).squeeze(1)  # the last op is a squeeze

    failed(check.task_2(Clamped()), "model ends in a sigmoid", "lie between")


class Squashed(nn.Module):
    """A sigmoid hidden behind arithmetic with a constant."""

    def __init__(self, after):
        super().__init__()
        self.net, self.after = MoonModel(), after

    def forward(self, x):
        return self.after(torch.sigmoid(self.net(x)))


def test_task_2_a_sigmoid_behind_arithmetic_with_a_constant_is_still_a_sigmoid():
    for after in (lambda p: p * 1.0, lambda p: p - 0.5, lambda p: 2 * p - 1, lambda p: -p / 3):
        failed(check.task_2(Squashed(after)), "model ends in a sigmoid", "Return logits")
    passed(check.task_2(Squashed(lambda p: torch.logit(p, eps=1e-6))))  # logit(sigmoid(z)) is the logit again


def test_task_2_errors_in_the_learners_forward_are_theirs():
    class Exploding(MoonModel):
        def forward(self, x):
            raise RuntimeError("boom")

    failed(check.task_2(Exploding()), "model's forward raised RuntimeError: boom")

    class WrongWidth(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(3, 1)

        def forward(self, x):
            return self.layer(x)

    failed(check.task_2(WrongWidth()), "model's forward raised RuntimeError", "mat1 and mat2")


# ------------------------------------------------------------------ task 3


@pytest.mark.parametrize(
    "make",
    [lambda p: torch.optim.SGD(p, lr=0.1), lambda p: torch.optim.Adam(p, lr=0.01), lambda p: torch.optim.RMSprop(p)],
    ids=["sgd", "adam", "rmsprop"],
)
def test_task_3_right_answers(make):
    model = MoonModel()
    passed(check.task_3(model, nn.BCEWithLogitsLoss(), make(model.parameters())))
    passed(check.task_3(model, F.binary_cross_entropy_with_logits, make(model.parameters())))


def test_task_3_wrong_answers():
    model = MoonModel()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    not_attempted(check.task_3(model, None, None))
    failed(
        check.task_3(model, nn.BCELoss(), sgd), "expects probabilities", "Which binary loss of lesson 01 takes logits"
    )
    failed(check.task_3(model, nn.L1Loss(), sgd), "binary cross-entropy on logits gives")
    failed(
        check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(MoonModel().parameters(), lr=0.1)),
        "does not update 6 of the model's 6 parameter tensors",
    )
    failed(check.task_3(model, nn.BCEWithLogitsLoss(), None), "optimizer is still None")
    failed(
        check.task_3(model, nn.BCEWithLogitsLoss, sgd),
        "loss_fn is the class BCEWithLogitsLoss itself",
        "loss_fn = nn.BCEWithLogitsLoss()",
    )
    failed(
        check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.Adam),
        "optimizer is the class Adam itself",
        "optimizer = torch.optim.Adam(params=",
    )
    failed(
        check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=0)),
        "learning rate must be a positive number",
    )
    failed(check.task_3(model, "BCE", sgd), "loss_fn is a str")


def test_task_3_a_sigmoid_model_with_bce_loss_is_told_about_the_sigmoid():
    model = MoonModel(squash=nn.Sigmoid)
    failed(check.task_3(model, nn.BCELoss(), torch.optim.SGD(model.parameters(), lr=0.1)), "model ends in a sigmoid")


# ------------------------------------------------------------------ task 4


def untrained_chain(model, X_test):
    model.eval()
    with torch.inference_mode():
        logits = model(X_test).squeeze(1)
    probs = torch.sigmoid(logits)
    return logits, probs, torch.round(probs)


def test_task_4a_right_answers(moons):
    model = MoonModel()
    not_attempted(check.task_4a(model, None, None, None))
    passed(check.task_4a(model, *untrained_chain(model, moons[1])))
    logits = untrained_chain(model, moons[1])[0].unsqueeze(1)  # kept as [200, 1]: the step asks for [200]
    failed(
        check.task_4a(model, logits, torch.sigmoid(logits), (torch.sigmoid(logits) > 0.5).float()),
        "y_logits has shape [200, 1]",
        ".squeeze(1)",
    )


def test_task_4a_wrong_answers(moons):
    model = MoonModel()
    logits, probs, preds = untrained_chain(model, moons[1])
    failed(
        check.task_4a(model, torch.zeros(200), torch.full((200,), 0.5), torch.zeros(200)),
        "y_logits are not your model's outputs on X_test (largest difference",
    )
    failed(check.task_4a(model, *untrained_chain(MoonModel(), moons[1])), "not your model's outputs")
    failed(
        check.task_4a(model, logits, torch.softmax(logits, dim=0), preds),
        "y_pred_probs are not the sigmoid of y_logits",
    )
    failed(check.task_4a(model, logits, probs, 1 - preds), "y_preds is not the rounding of y_pred_probs for 200 of 200")
    failed(check.task_4a(model, logits[:10], probs, preds), "y_logits has shape [10]")
    failed(check.task_4a(model, logits, None, preds), "y_pred_probs is still None")
    with_grad = model(moons[1]).squeeze(1)
    failed(
        check.task_4a(model, with_grad, torch.sigmoid(with_grad), torch.round(torch.sigmoid(with_grad))),
        "torch.inference_mode()",
    )
    sigmoid_model = MoonModel(squash=nn.Sigmoid)
    failed(check.task_4a(sigmoid_model, *untrained_chain(sigmoid_model, moons[1])), "ends in a sigmoid")


def test_task_4b(moons, trained_moons):
    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    test_loss, test_acc = loop_numbers(model, moons[1], moons[3], loss_fn)
    not_attempted(check.task_4b(model, loss_fn, None, None))
    passed(check.task_4b(model, loss_fn, test_loss, test_acc))
    passed(check.task_4b(model, loss_fn, test_loss.item(), test_acc.item() / 100))  # torchmetrics' 0..1
    failed(
        check.task_4b(model, loss_fn, test_loss, 50.0),
        "your loop's last test_acc is 50",
        "more than 10 percentage points away from the model's accuracy on the test set now",
    )
    failed(check.task_4b(model, loss_fn, 0.7, test_acc), "your loop's last test_loss is 0.7")


def test_task_4b_and_8d_failures_do_not_print_the_expected_numbers(moons, trained_moons, noisy_moons, chosen):
    """Typing in a number a failure message printed would pass: the messages say how far off, not the value."""
    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    test_loss, test_acc = loop_numbers(model, moons[1], moons[3], loss_fn)
    for wrong_acc in (50.0, float(test_acc) - 3):
        result = failed(check.task_4b(model, loss_fn, test_loss, wrong_acc), "away from the model's accuracy")
        assert f"{float(test_acc):.1f}" not in result.message
    result = failed(check.task_4b(model, loss_fn, test_loss.item() * 1.05, test_acc), "between 1 and 10 percent")
    for digits in (3, 4):
        assert f"{test_loss.item():.{digits}g}" not in result.message
    _, _, _, best_state = chosen
    best = noisy_model()
    best.load_state_dict(best_state)
    best.eval()
    with torch.inference_mode():
        preds = torch.round(torch.sigmoid(best(noisy_moons[2]).squeeze(1)))
    from torchmetrics.classification import BinaryConfusionMatrix

    confmat = BinaryConfusionMatrix()(preds, noisy_moons[5])
    acc = (preds == noisy_moons[5]).float().mean().item() * 100
    result = failed(check.task_8d(best, acc - 5, confmat, confmat[1, 0].item()), "between 1 and 10 percentage points")
    assert f"{acc:.1f}" not in result.message
    failed(check.task_4b(model, loss_fn, test_loss, torch.ones(3)), "test_acc is a tensor of shape [3]")
    failed(check.task_4b(model, loss_fn, test_loss, None), "test_acc is still None")


def test_task_4b_shortcuts_of_a_converged_model(moons, trained_moons):
    """Once the model has converged, its training-set loss and a typed-in 0 are close to the test
    loss; both must still fail (found by a cold review: they passed a looser tolerance)."""
    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    test_loss, test_acc = loop_numbers(model, moons[1], moons[3], loss_fn)
    train_loss, _ = loop_numbers(model, moons[0], moons[2], loss_fn)
    assert abs(train_loss.item() - test_loss.item()) < 2e-3  # the shortcut is a real one here
    failed(check.task_4b(model, loss_fn, train_loss, test_acc), "your loop's last test_loss is")
    failed(check.task_4b(model, loss_fn, 0.0, test_acc), "your loop's last test_loss is 0")


def test_task_4c_right_answers(moons, trained_moons):
    passed(check.task_4c(trained_moons[0]))
    set_seed(0)
    other = MoonModel(nn.Tanh, hidden=16, squeeze=True)
    train(other, moons[0], moons[2], nn.BCEWithLogitsLoss(), 300, 0.02, squeeze=True)
    result = passed(check.task_4c(other))
    assert "on 1000 fresh moons" in result.message


def test_task_4c_wrong_answers(moons):
    not_attempted(check.task_4c(None))
    failed(check.task_4c(MoonModel()), "on the test set", "the target is over 96%")
    linear = MoonModel(nn.Identity)
    train(linear, moons[0], moons[2], nn.BCEWithLogitsLoss(), 300, 0.03, squeeze=True)
    failed(check.task_4c(linear), "the target is over 96%")


def test_task_4c_and_7d_tell_a_trained_linear_model_it_is_linear_not_to_train_longer(moons, spirals):
    loss_fn = nn.BCEWithLogitsLoss()
    linear = MoonModel(nn.Identity)
    optimizer = train(linear, moons[0], moons[2], loss_fn, 100, 0.03, squeeze=True)
    result = failed(
        check.task_4c(linear, loss_fn, optimizer, moons[0], moons[2]),
        "the target is over 96%",
        "The model is linear",
        "nn.ReLU()",
        "More epochs cannot help a linear model.",
    )
    assert "more epochs" not in result.message.replace("More epochs cannot help", "")
    spiral_loss = nn.CrossEntropyLoss()
    linear_spirals = SpiralModel(activation=nn.Identity)
    optimizer = train(linear_spirals, spirals[0], spirals[2], spiral_loss, 100, 0.02, squeeze=False)
    failed(
        check.task_7d(linear_spirals, spiral_loss, optimizer, spirals[0], spirals[2]),
        "the target is over 95%",
        "spiral_model is linear",
        "More epochs cannot help a linear model.",
    )


def test_task_4c_does_not_call_a_model_with_a_constant_output_linear(moons):
    dead = MoonModel()
    with torch.no_grad():
        dead.layers[0].bias.fill_(-100.0)  # every ReLU dead: the output is the last bias everywhere
    result = failed(check.task_4c(dead), "the target is over 96%")
    assert "is linear" not in result.message


class LooksUpTheTestSet(nn.Module):
    """A shortcut: answers the test rows from a stored copy of their labels, anything else with a guess."""

    def __init__(self, X_test, y_test, multi_class=False):
        super().__init__()
        # A small network as a learned tilt, so that it has nn.Linear layers and its weights meet the
        # input (a plain lookup fails sooner: see test_hand_made_rules_and_lookups_are_not_models_that_learn).
        self.tilt = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3 if multi_class else 1))
        self.X, self.y, self.multi = X_test.clone(), y_test.clone(), multi_class

    def forward(self, x):
        match = (torch.cdist(x, self.X, compute_mode="donot_use_mm_for_euclid_dist") < 1e-6).float()
        known = match.sum(dim=1) > 0
        labels = torch.where(known, self.y[match.argmax(dim=1)].float(), (x[:, 0] > 0).float())
        if self.multi:
            return F.one_hot(labels.long(), 3).float() * 10 + 1e-3 * self.tilt(x)
        return (labels * 20 - 10).unsqueeze(1) + 1e-3 * self.tilt(x)


class ReturnsTheTestLabels(nn.Module):
    """A shortcut: returns the test labels in order, whatever the input rows."""

    def __init__(self, y_test):
        super().__init__()
        self.tilt = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
        self.y = y_test.clone()

    def forward(self, x):
        return (self.y[: len(x)] * 20 - 10).unsqueeze(1) + 1e-3 * self.tilt(x)


def test_memorising_the_test_set_does_not_pass(moons, spirals):
    result = failed(
        check.task_4c(LooksUpTheTestSet(moons[1], moons[3])),
        "100.0% on the test set but only",
        "fresh samples",
        "learned the test rows",
    )
    assert "%" in result.message
    failed(check.task_4c(ReturnsTheTestLabels(moons[3])), "in another order", "do not follow their rows")
    failed(check.task_7d(LooksUpTheTestSet(spirals[1], spirals[3], multi_class=True)), "fresh samples")


class HandMadeRule(nn.Module):
    """A shortcut: the moons' shape written by hand, with one parameter and an idle network so that
    it looks trainable."""

    def __init__(self):
        super().__init__()
        self.p = nn.Parameter(torch.zeros(1))
        self.idle = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))

    def forward(self, x):
        d0 = (x.pow(2).sum(1).sqrt() - 1).abs()
        d1 = ((x - torch.tensor([1.0, 0.5])).pow(2).sum(1).sqrt() - 1).abs()
        return ((d0 - d1) * 10 + self.p).unsqueeze(1) + 0 * self.idle(x)


class NearestTrainingRow(nn.Module):
    """A shortcut: the label of the nearest stored training row."""

    def __init__(self, X, y):
        super().__init__()
        self.p = nn.Parameter(torch.zeros(1))
        self.X, self.y = X.clone(), y.clone()

    def forward(self, x):
        return ((self.y[torch.cdist(x, self.X).argmin(1)] * 2 - 1) * 5 + self.p).unsqueeze(1)


class NearestTrainingRowWithLayers(NearestTrainingRow):
    """The same lookup, its rows in a buffer, with two idle nn.Linear layers so that it looks like a network."""

    def __init__(self, X, y):
        super().__init__(X, y)
        del self.X
        self.register_buffer("X", X.clone())
        self.idle = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))

    def forward(self, x):
        return super().forward(x) + 1e-3 * self.idle(x)


class OneLinearLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(2, 1)

    def forward(self, x):
        return self.layer(x)


def test_hand_made_rules_and_lookups_are_not_models_that_learn(moons):
    for result in (check.task_2(HandMadeRule()), check.task_4c(HandMadeRule())):
        failed(result, "change its output the same way at every input", "not learned", "nn.Linear")
    for lookup in (NearestTrainingRow(moons[0], moons[2]), NearestTrainingRowWithLayers(moons[0], moons[2])):
        for result in (check.task_2(lookup), check.task_4c(lookup)):
            if isinstance(lookup, NearestTrainingRowWithLayers):
                failed(result, "keeps 800 of the 800 training rows", "stores the data instead of learning")
            else:
                failed(result, "has 0 nn.Linear layer(s)", "a neural network with a hidden layer")
    failed(check.task_2(OneLinearLayer()), "has 1 nn.Linear layer(s)", "at least two")


def test_a_model_that_cannot_train_is_said_so():
    frozen = MoonModel()
    for p in frozen.parameters():
        p.requires_grad_(False)
    failed(check.task_2(frozen), "none of model's 151 parameters is trainable")
    weights = {k: v.clone() for k, v in MoonModel().state_dict().items()}
    model = MoonModel()
    model.load_state_dict(weights)
    passed(check.task_2(model))
    assert all(p.grad is None for p in model.parameters()), "the probe must not leave gradients on the model"


def test_an_in_place_forward_changes_neither_the_reference_data_nor_the_model(moons, trained_moons):
    model, _ = trained_moons

    class Vandal(nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            out = self.inner(x.clone())
            x.mul_(0)  # corrupts whatever it is given
            with torch.no_grad():
                self.inner.layers[0].weight.add_(1.0)  # and its own weights
            return out

    vandal = Vandal(model)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    check.task_4c(vandal)
    assert torch.equal(reference.split("moons")[1], moons[1]), "the checks' reference test set was changed"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), "the learner's model was changed"
    passed(check.task_4c(model))


# ------------------------------------------------------------------ task 5


def two_panels(model, split, titles=("train", "test")):
    X_train, X_test, y_train, y_test = split
    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_train, y_train, ax=axes[0], title=titles[0])
    plot_decision_boundary(model, X_test, y_test, ax=axes[1], title=titles[1])
    return axes


def test_task_5_right_answers(moons, trained_moons):
    from helpers.plotting import plot_train_test_boundaries

    model, _ = trained_moons
    not_attempted(check.task_5(model, None))
    passed(check.task_5(model, two_panels(model, moons)))
    passed(check.task_5(model, list(reversed(two_panels(model, moons)))))  # test panel first
    passed(check.task_5(model, two_panels(model, moons, titles=("Training set", "Test set"))))
    passed(check.task_5(model, plot_train_test_boundaries(model, moons[0], moons[2], moons[1], moons[3])))
    plt.close("all")


def test_task_5_wrong_answers(moons, trained_moons):
    model, _ = trained_moons
    X_train, X_test, y_train, y_test = moons
    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_test, y_test, ax=axes[0], title="test")
    plot_decision_boundary(model, X_test, y_test, ax=axes[1], title="test again")
    failed(check.task_5(model, axes), "both panels show the test set")
    failed(check.task_5(model, two_panels(model, moons, titles=(None, "test"))), "the left panel has no title")
    # Titles swapped: the picture would tell a reader the wrong story.
    failed(
        check.task_5(model, two_panels(model, moons, titles=("test", "train"))),
        "the left panel shows the train set, but its title is 'test'",
    )
    failed(check.task_5(model, two_panels(model, moons, titles=("Moons", "test"))), "its title is 'Moons'")
    failed(check.task_5(model, plt.subplots(1, 3)[1]), "should hold 2 matplotlib Axes")
    failed(check.task_5(model, plt.subplots()[1]), "is one Axes")
    # Random contours and random dots, no model at all.
    rng = np.random.default_rng(0)
    fig, axes = plt.subplots(1, 2)
    for ax in axes:
        grid = np.linspace(-2, 2, 50)
        ax.contourf(grid, grid, rng.random((50, 50)))
        ax.scatter(*rng.random((2, 800)))
        ax.set_title("looks right")
    failed(check.task_5(model, axes), "the left panel has no decision regions")
    # The regions of another model (here: untrained) drawn over the right points.
    failed(
        check.task_5(model, two_panels(MoonModel(), moons)),
        "agree with model's predictions at only",
        "they are not this model's",
    )
    # The right regions, but other points.
    fig, axes = plt.subplots(1, 2)
    plot_decision_boundary(model, X_train[:100], y_train[:100], ax=axes[0], title="train")
    plot_decision_boundary(model, X_test, y_test, ax=axes[1], title="test")
    failed(check.task_5(model, axes), "shows 100 points that are neither the 800 training samples nor the 200 test")
    plt.close("all")


def test_task_5_dots_coloured_by_other_labels_do_not_pass(moons, trained_moons):
    model, _ = trained_moons
    X_train, X_test, y_train, y_test = moons
    for train_labels, test_labels in ((torch.zeros_like(y_train), y_test), (y_train, 1 - y_test)):
        fig, axes = plt.subplots(1, 2)
        plot_decision_boundary(model, X_train, train_labels, ax=axes[0], title="train")
        plot_decision_boundary(model, X_test, test_labels, ax=axes[1], title="test")
        side, wrong, total = ("left", int(y_train.sum()), 800) if train_labels is not y_train else ("right", 200, 200)
        failed(
            check.task_5(model, axes),
            f"the {side} panel colours {wrong} of its {total} points in another class's colour than their label",
            "X_train with y_train",
        )
    plt.close("all")


# ------------------------------------------------------------------ task 6


def test_task_6_right_answers():
    not_attempted(check.task_6(None))

    def blank(x):
        return None

    not_attempted(check.task_6(blank))
    # 1 - 2 / (e^2x + 1) gives the right values, but e^2x overflows past x = 44.4: its gradient is nan there
    failed(check.task_6(lambda x: 1 - 2 / (torch.exp(2 * x) + 1)), "its gradient is nan", "first at x = 44.")
    passed(check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs()))))


@pytest.mark.parametrize(
    "squash",
    [
        lambda x: 2 * torch.sigmoid(2 * x) - 1,
        lambda x: 2 * torch.special.expit(2 * x) - 1,
        lambda x: 2 * torch.exp(F.logsigmoid(2 * x)) - 1,
        lambda x: 2 * torch.exp(-F.softplus(-2 * x)) - 1,
        lambda x: 2 * (F.silu(2 * x) / (2 * x)).nan_to_num(0.5) - 1,
        lambda x: torch.exp(2 * x - torch.logaddexp(2 * x, torch.zeros_like(x))) * 2 - 1,
        lambda x: 2 * torch.exp(2 * x - torch.logsumexp(torch.stack([2 * x, torch.zeros_like(x)]), dim=0)) - 1,
    ],
    ids=["sigmoid", "expit", "logsigmoid", "softplus", "silu", "logaddexp", "logsumexp"],
)
def test_task_6_tanh_through_a_safe_squash_is_not_the_task(squash):
    grid = torch.linspace(-5, 5, 11)
    assert torch.allclose(squash(grid), torch.tanh(grid), atol=1e-5)
    failed(check.task_6(squash), "2 * sigmoid(2x) - 1 is tanh indeed", "Build tanh from torch.exp yourself")


def test_checks_from_a_second_attack():
    """What a second attack on the checks found passing or misdescribed (its probes, shortened)."""
    X_train = reference.split("moons")[0]

    class HandSigmoid(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = MoonModel()

        def forward(self, x):
            return 1 / (1 + torch.exp(-self.net(x)))

    failed(check.task_2(HandSigmoid()), "ends in a sigmoid", "Return logits")

    class HandSoftmax(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = SpiralModel()

        def forward(self, x):
            e = torch.exp(self.net(x))
            return e / e.sum(dim=1, keepdim=True)

    failed(check.task_7b(HandSoftmax()), "ends in a softmax")

    class LookupInNumpy(nn.Module):
        def __init__(self, X, y):
            super().__init__()
            self.decoy = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
            self.rows, self.labels = X.numpy().copy(), y.clone()

        def forward(self, x):
            nearest = torch.cdist(x, torch.from_numpy(self.rows)).argmin(1)
            return ((self.labels[nearest] * 2 - 1) * 5).unsqueeze(1) + 1e-3 * self.decoy(x)

    class LookupInFrozenParameter(LookupInNumpy):
        def __init__(self, X, y):
            super().__init__(X, y)
            self.kept = nn.Parameter(X.clone(), requires_grad=False)

        def forward(self, x):
            nearest = torch.cdist(x, self.kept).argmin(1)
            return ((self.labels[nearest] * 2 - 1) * 5).unsqueeze(1) + 1e-3 * self.decoy(x)

    y_train = reference.split("moons")[2]
    for lookup in (LookupInNumpy(X_train, y_train), LookupInFrozenParameter(X_train, y_train)):
        failed(check.task_2(lookup), "keeps 800 of the 800 training rows")


def test_task_1_a_test_set_taken_from_the_training_rows_is_a_leak(moons):
    X_train, X_test, y_train, y_test = moons
    failed(
        check.task_1(X_train, X_train[:200], y_train, y_train[:200]),
        "rows are in both your X_train and your X_test",
        "leak",
    )


def test_task_8a_validation_and_test_the_same_rows_is_a_leak(noisy_moons):
    X_train, X_val, X_test, y_train, y_val, y_test = noisy_moons
    failed(
        check.task_8a(X_train, X_test, X_test, y_train, y_test, y_test),
        "rows are in both your X_noisy_val and your X_noisy_test",
    )


def test_task_8b_a_condition_that_never_holds(noisy_moons, chosen):
    model, val_losses, _, _ = chosen
    failed(check.task_8b(model, val_losses, None, None), "the condition that notes a new lowest loss never held", "<=")


def test_task_4c_flipped_labels_are_named(moons):
    X_train, X_test, y_train, y_test = moons
    set_seed(42)
    model = MoonModel()
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
    train(model, X_train, 1 - y_train, loss_fn, 100, 0.03, squeeze=True, optimizer=optimizer)
    failed(
        check.task_4c(model, loss_fn, optimizer, X_train, y_train), "far below the 50% of guessing", "labels flipped"
    )


@pytest.mark.parametrize(
    "title, fails",
    [
        ("Test set, after training", False),
        ("Trained model: test set", False),
        ("Held-out set", False),
        ("train and test", True),
    ],
)
def test_task_5_titles_are_read_by_whole_words(trained_moons, moons, title, fails):
    model, _ = trained_moons
    X_train, X_test, y_train, y_test = moons
    axes = helpers_boundaries(model, X_train, y_train, X_test, y_test)
    axes[0].set_title("Training set")
    axes[1].set_title(title)
    result = check.task_5(model, axes)
    if fails:
        assert result.status == "failed" and "its title is" in result.message, repr(result)
    else:
        passed(result)
    plt.close("all")
    axes = helpers_boundaries(model, X_train, y_train, X_test, y_test)
    axes[0].set_title("Train set (latest model)")
    axes[1].set_title("Test set")
    passed(check.task_5(model, axes))
    plt.close("all")


def helpers_boundaries(model, X_train, y_train, X_test, y_test):
    from helpers import plot_train_test_boundaries

    return plot_train_test_boundaries(model, X_train, y_train, X_test, y_test, title="moons")


@pytest.mark.parametrize(
    "shortcut",
    [
        torch.tanh,
        lambda x: x.tanh(),
        F.tanh,
        nn.Tanh(),
        lambda x: x.clone().tanh_(),
        lambda x: x - F.tanhshrink(x),
        lambda x: torch.ops.aten.tanh(x),
    ],
    ids=["torch.tanh", "x.tanh()", "F.tanh", "nn.Tanh()", "tanh_", "tanhshrink", "aten.tanh"],
)
def test_task_6_pytorchs_own_tanh_does_not_pass(shortcut):
    failed(check.task_6(shortcut), "your tanh calls PyTorch's own tanh", "from exponentials")


def test_task_6_leaving_pytorch_does_not_pass():
    failed(check.task_6(lambda x: torch.from_numpy(np.tanh(x.numpy()))), "leaves PyTorch (numpy")
    failed(check.task_6(lambda x: torch.tan(1j * x).imag), "tan of an imaginary number")


def test_task_6_python_per_element_tables_and_float64_do_not_pass():
    import math

    def per_element(x):
        return x.clone().apply_(lambda v: (math.exp(v) - math.exp(-v)) / (math.exp(v) + math.exp(-v)))

    failed(check.task_6(per_element), "your tanh leaves PyTorch (apply_", "torch.exp")

    def mapped(x):
        y = x.clone()
        y.map_(x, lambda a, _: math.tanh(a))
        return y

    failed(check.task_6(mapped), "your tanh leaves PyTorch (map_")
    table = torch.tanh(torch.linspace(-100, 100, 2_000_001))  # made outside the function, with torch.tanh

    def looked_up(x):
        position = (x + 100) * 10000
        i = position.floor().long().clamp(0, 1_999_999)
        f = position - i
        return table[i] * (1 - f) + table[(i + 1).clamp(max=2_000_000)] * f

    failed(check.task_6(looked_up), "reads a tensor of more than 64 numbers it did not compute from x", "torch.exp")
    small_table = torch.tanh(torch.linspace(-100, 100, 4096))  # a table small enough to pass a looser rule

    def interpolated(x):
        position = (x + 100) / 200 * 4095
        i = position.floor().long().clamp(0, 4094)
        f = position - i
        return small_table[i] * (1 - f) + small_table[i + 1] * f

    failed(check.task_6(interpolated), "reads a tensor of more than 64 numbers it did not compute from x")

    def in_float64(x):
        x = x.double()
        return ((torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))).float()

    failed(check.task_6(in_float64), "computes in float64", "from |x| > 88 to |x| > 709")


def test_task_6_stored_answers_for_the_grid_do_not_pass():
    grid = torch.linspace(-100, 100, 2001)
    stored = 1 - 2 / (torch.exp(2 * grid) + 1)
    failed(check.task_6(lambda x: stored.clone()), "reads a tensor of more than 64 numbers it did not compute")
    failed(
        check.task_6(lambda x: stored.clone() if x.shape == grid.shape else torch.zeros_like(x)),
        "reads a tensor of more than 64 numbers it did not compute",
    )


def test_task_6_wrong_answers():
    def textbook(x):
        return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))

    failed(check.task_6(textbook), "tanh returns nan for 226 inputs", "overflows float32")
    failed(check.task_6(torch.sigmoid), "your tanh calls sigmoid")
    failed(check.task_6(lambda x: 1 / (1 + torch.exp(-x))), "largest gap from torch.tanh is", "at x = ")

    def in_place(x):
        return x.clamp_(-1, 1)

    failed(check.task_6(in_place), "changed its input tensor in place")
    failed(check.task_6(lambda x: (1 - 2 / (torch.exp(2 * x) + 1)).sum()), "returned shape []")
    failed(check.task_6(lambda x: 1 / 0), "your tanh raised ZeroDivisionError")
    failed(check.task_6(3.0), "tanh is a float")


# ------------------------------------------------------------------ task 7


def test_task_7a(spirals):
    not_attempted(check.task_7a(None, None, None, None))
    passed(check.task_7a(*spirals))
    X_train, X_test, y_train, y_test = spirals
    failed(check.task_7a(X_train, X_test, y_train.float(), y_test), "y_spiral_train has dtype torch.float32")
    failed(check.task_7a(X_test, X_train, y_test, y_train), "X_spiral_train has shape [60, 2]")


def test_task_7b():
    not_attempted(check.task_7b(None))
    passed(check.task_7b(SpiralModel()))
    passed(check.task_7b(nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 3))))
    failed(check.task_7b(SpiralModel(n_classes=4)), "shape [60, 4]", "3 logits per sample")
    failed(check.task_7b(SpiralModel(activation=nn.Identity)), "spiral_model is linear")
    failed(check.task_7b(nn.Sequential(SpiralModel(), nn.Softmax(dim=1))), "ends in a softmax")
    failed(check.task_7b(SpiralModel), "the class SpiralModel itself")


def test_task_7c():
    model = SpiralModel()
    adam = torch.optim.Adam(model.parameters(), lr=0.02)
    not_attempted(check.task_7c(model, None, None, None))
    failed(
        check.task_7c(model, nn.CrossEntropyLoss(), adam, MulticlassAccuracy(num_classes=3)),
        "gives 0.833 for 4 samples of which 3 are right",
        "average='macro'",
        'average="micro"',
    )
    passed(check.task_7c(model, nn.CrossEntropyLoss(), adam, MulticlassAccuracy(num_classes=3, average="micro")))
    passed(check.task_7c(model, F.cross_entropy, adam, MulticlassAccuracy(num_classes=3, average="micro")))
    failed(
        check.task_7c(model, nn.NLLLoss(), adam, MulticlassAccuracy(num_classes=3, average="micro")),
        "treats the logits as log-probabilities (as nn.NLLLoss does",
    )
    failed(check.task_7c(model, nn.CrossEntropyLoss(), adam, MulticlassAccuracy(num_classes=4)), "num_classes=4")
    failed(
        check.task_7c(model, nn.BCEWithLogitsLoss(), adam, MulticlassAccuracy(num_classes=3)),
        "spiral_loss_fn(logits of 3 classes, class indices) raised",
    )
    failed(
        check.task_7c(
            model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), MulticlassAccuracy(num_classes=3)
        ),
        "asks for torch.optim.Adam",
    )
    failed(check.task_7c(model, nn.CrossEntropyLoss(), adam, MulticlassAccuracy), "the class MulticlassAccuracy itself")
    failed(
        check.task_7c(model, nn.CrossEntropyLoss, adam, MulticlassAccuracy(num_classes=3)),
        "spiral_loss_fn = nn.CrossEntropyLoss()",
    )
    failed(
        check.task_7c(model, nn.CrossEntropyLoss(), None, MulticlassAccuracy(num_classes=3)),
        "spiral_optimizer is still None",
    )
    from types import SimpleNamespace

    failed(
        check.task_7c(model, nn.CrossEntropyLoss(), adam, SimpleNamespace(num_classes=3)),
        "asks for a torchmetrics metric",
    )
    metric = MulticlassAccuracy(num_classes=3, average="micro")
    metric(torch.tensor([0, 1]), torch.tensor([0, 0]))
    before = metric.compute().item()
    passed(check.task_7c(model, nn.CrossEntropyLoss(), adam, metric))
    assert metric.compute().item() == before, "the check changed the learner's metric"


def test_task_7c_asks_for_an_accuracy_not_another_metric():
    from torchmetrics import Accuracy
    from torchmetrics.classification import MulticlassF1Score, MulticlassPrecision, MulticlassRecall

    model = SpiralModel()
    adam = torch.optim.Adam(model.parameters(), lr=0.02)
    passed(check.task_7c(model, nn.CrossEntropyLoss(), adam, Accuracy(task="multiclass", num_classes=3)))
    from torchmetrics.classification import BinaryAccuracy

    failed(check.task_7c(model, nn.CrossEntropyLoss(), adam, BinaryAccuracy()), "num_classes=None", "3 classes")
    for metric in (MulticlassF1Score, MulticlassPrecision, MulticlassRecall):
        failed(
            check.task_7c(model, nn.CrossEntropyLoss(), adam, metric(num_classes=3)),
            f"spiral_accuracy is torchmetrics' {metric.__name__}, not an accuracy",
        )


@pytest.mark.parametrize("seed,hidden", [(42, 16), (0, 32), (7, 64)])
def test_task_7d_correct_models_pass(spirals, seed, hidden):
    set_seed(seed)
    model = SpiralModel(hidden=hidden)
    train(model, spirals[0], spirals[2], nn.CrossEntropyLoss(), 400, 0.02, squeeze=False)
    result = passed(check.task_7d(model))
    assert "fresh spiral points" in result.message and "Not checked" in result.message


def test_task_7d_wrong_answers(spirals):
    not_attempted(check.task_7d(None))
    failed(check.task_7d(SpiralModel()), "the target is over 95%")
    failed(check.task_7d(SpiralModel(n_classes=4)), "3 logits per sample")


def test_task_7e(spirals, trained_spirals):
    model, _ = trained_spirals
    not_attempted(check.task_7e(model, None))
    passed(check.task_7e(model, two_panels(model, spirals)))
    failed(check.task_7e(model, two_panels(SpiralModel(), spirals)), "spiral_model's predictions at only")
    plt.close("all")


# ------------------------------------------------------------------ the four statuses, the report


def test_a_fault_in_a_check_is_reported_as_the_checks_own(monkeypatch, moons):
    def broken(*args, **kwargs):
        raise KeyError("planted")

    monkeypatch.setattr(tasks, "check_split", broken)
    result = check.task_1(*moons)
    assert result.status == protocol.CHECK_ERROR
    assert repr(result).startswith("⚠️ Task 1: the check itself failed (KeyError: 'planted')")
    assert "not in your answer" in repr(result) and protocol.ISSUES_URL in repr(result)


def test_results_are_recorded_for_the_grader(tmp_path, monkeypatch):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV_VAR, str(report))
    check.task_1(None, None, None, None)
    check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(r["check"], r["status"]) for r in records] == [("1", "not attempted"), ("6", "passed")]


def test_every_check_of_the_protocol_exists():
    for check_id in table.CHECKS:
        assert getattr(check, f"task_{check_id}").check_id == check_id


def test_the_reference_data_is_not_in_the_learners_hands(moons):
    """Test scaffolding is not part of the notebook's `check`: task 1 passes only a split the
    learner made (the `moons` fixture makes its own), and no data set is one call away."""
    assert not hasattr(check, "moons_data") and not hasattr(check, "spirals_data")
    assert not [name for name in check.__all__ if "data" in name or "reference" in name]
    passed(check.task_1(*moons))


def test_task_5_compares_the_model_with_the_regions_plotting_computed(moons, trained_moons):
    """The check reads the numbers plotting returned (drawn_regions), not the pixels: regions whose
    numbers are not the model's fail although the picture is unchanged."""
    import dataclasses

    from helpers.plotting import REGIONS_GID, drawn_regions

    model, _ = trained_moons
    X_train, X_test, y_train, y_test = moons
    axes = helpers_plot(model, X_train, y_train, X_test, y_test)
    passed(check.task_5(model, axes))
    for ax in axes:
        image = next(image for image in ax.get_images() if image.get_gid() == REGIONS_GID)
        regions = drawn_regions(ax)
        image.regions = dataclasses.replace(regions, labels=1 - regions.labels)
    failed(check.task_5(model, axes), "agree with model's predictions at only")
    plt.close("all")


def helpers_plot(model, X_train, y_train, X_test, y_test):
    from helpers import plot_train_test_boundaries

    return plot_train_test_boundaries(model, X_train, y_train, X_test, y_test, title="moons")


def test_a_check_imports_only_what_it_needs():
    """The first check cell of a notebook runs in a kernel that may not have imported sklearn,
    matplotlib or torchmetrics yet (seconds each): a not-attempted check pulls in none of them."""
    import subprocess
    import sys

    code = (
        "import sys, torch; from helpers import check; check.task_1(None, None, None, None); check.task_6(None); "
        "print(sorted(m for m in ('sklearn', 'matplotlib.pyplot', 'torchmetrics') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


# ------------------------------------------------------------------ issue 20: the slips a learner makes


def test_task_1_and_7a_say_what_differs_in_a_wrong_split(moons, spirals):
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    for wrong in (dict(random_state=0), dict(random_state=42, stratify=y), dict(shuffle=False)):
        failed(
            check.task_1(*train_test_split(X, y, test_size=0.2, **wrong)),
            "the points are the right 1000, but split otherwise",
            "of the 800 rows of your X_train belong to the reference's test set",
            "no stratify= or shuffle=False",
        )
    X_noisy, y_noisy = make_moons(n_samples=1000, noise=0.1, random_state=42)
    X_noisy, y_noisy = torch.tensor(X_noisy, dtype=torch.float32), torch.tensor(y_noisy, dtype=torch.float32)
    failed(
        check.task_1(*train_test_split(X_noisy, y_noisy, test_size=0.2, random_state=42)),
        "1000 of your 1000 points are not among the reference's points",
        "another noise, number of samples or seed of the generator",
    )
    X_train, X_test, y_train, y_test = moons
    order = torch.randperm(len(X_train), generator=torch.Generator().manual_seed(0))
    failed(check.task_1(X_train[order], X_test, y_train[order], y_test), "the same rows in each set, in another order")
    y_apart = train_test_split(y, test_size=0.2, random_state=1)
    failed(
        check.task_1(X_train, X_test, *y_apart),
        "y_train has the right shape",
        "labels do not belong to the row beside them",
        "one train_test_split call",
    )
    S_train, S_test, s_train, s_test = spirals
    X_all, y_all = torch.cat([S_train, S_test]), torch.cat([s_train, s_test])
    failed(
        check.task_7a(*train_test_split(X_all, y_all, test_size=0.2, random_state=42, stratify=y_all)),
        "but split otherwise",
    )


def test_a_model_whose_only_activation_follows_the_output_layer_is_not_non_linear():
    class ReluAtTheEnd(nn.Module):
        def __init__(self, n_out=1):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(2, 10), nn.Linear(10, n_out), nn.ReLU())

        def forward(self, x):
            return self.layers(x)

    set_seed(0)
    failed(
        check.task_2(ReluAtTheEnd()),
        "model ends in an activation (relu) after its last layer",
        "are exactly 0",
        "between two nn.Linear layers",
    )
    failed(check.task_4c(ReluAtTheEnd()), "ends in an activation (relu)")
    failed(check.task_7b(ReluAtTheEnd(3)), "spiral_model ends in an activation (relu)")
    failed(check.task_7d(ReluAtTheEnd(3)), "spiral_model ends in an activation (relu)")


def test_nan_weights_are_named_in_every_check_of_a_model(moons):
    model = MoonModel()
    with torch.no_grad():
        model.layers[0].weight[0, 0] = float("nan")
        model.layers[2].bias[0] = float("inf")
    for result in (
        check.task_2(model),
        check.task_4c(model),
        check.task_4b(model, nn.BCEWithLogitsLoss(), 0.1, 50.0),
        check.task_5(model, plt.subplots(1, 2)[1]),
    ):
        failed(
            result,
            "weights hold NaN or infinity: 2 of its 151 numbers",
            "first: layers.0.weight",
            "smaller learning rate",
        )
    plt.close("all")


def test_lazy_layers_are_said_plainly_never_a_check_error(moons):
    class Lazy(nn.Module):
        def __init__(self, n_out=1):
            super().__init__()
            self.layers = nn.Sequential(
                nn.LazyLinear(10), nn.ReLU(), nn.LazyLinear(10), nn.ReLU(), nn.LazyLinear(n_out)
            )

        def forward(self, x):
            return self.layers(x)

    for result in (check.task_2(Lazy()), check.task_7b(Lazy(3)), check.task_4c(Lazy())):
        failed(result, "do not exist yet", "nn.Linear(in_features, out_features)")
    model = Lazy()
    model(moons[0][:1])  # a lazy model run once has its weights: it is a model like any other
    passed(check.task_2(model))


def test_task_6_math_exp_is_said_to_leave_pytorch():
    import math

    def tanh(x):
        return (math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x))

    failed(
        check.task_6(tanh),
        "your tanh turns the tensor into a Python number",
        "fails for the 2001 numbers of x",
        "Use torch's functions (torch.exp)",
    )


def test_the_pair_plt_subplots_returns_is_said_so(moons, trained_moons):
    failed(
        check.task_5(trained_moons[0], plt.subplots(1, 2)), "is a pair (Figure, Axes)", "fig, axes = plt.subplots(1, 2)"
    )
    plt.close("all")


def test_task_4b_test_numbers_computed_on_the_training_set(moons):
    X_train, X_test, y_train, y_test = moons
    loss_fn = nn.BCEWithLogitsLoss()
    set_seed(0)
    model = MoonModel()
    train(model, X_train, y_train, loss_fn, 15, 0.03, squeeze=True)  # train and test accuracies differ here
    with torch.inference_mode():
        train_logits, test_logits = model(X_train).squeeze(1), model(X_test).squeeze(1)
    train_acc = (torch.round(torch.sigmoid(train_logits)) == y_train).float().mean().item() * 100
    test_acc = (torch.round(torch.sigmoid(test_logits)) == y_test).float().mean().item() * 100
    assert abs(train_acc - test_acc) >= 0.5, (train_acc, test_acc)
    failed(
        check.task_4b(model, loss_fn, loss_fn(test_logits, y_test), train_acc),
        "the model's accuracy on the training set",
        "not on the test set",
    )
    failed(
        check.task_4b(model, loss_fn, loss_fn(train_logits, y_train), test_acc),
        "loss_fn on the training set",
        "not on the test set",
    )
    passed(check.task_4b(model, loss_fn, loss_fn(test_logits, y_test), test_acc))


def test_task_4b_on_a_converged_model_says_what_it_cannot_tell(moons, trained_moons):
    model, _ = trained_moons
    test_loss, test_acc = loop_numbers(model, moons[1], moons[3], nn.BCEWithLogitsLoss())
    result = passed(check.task_4b(model, nn.BCEWithLogitsLoss(), test_loss, test_acc))
    assert "training on the test rows cannot be seen" in result.message
    assert "nor which set test_acc came from, as the model scores 100.0% on both" in result.message


def test_passing_lines_of_4c_and_7d_name_what_they_cannot_check(trained_moons, trained_spirals):
    message = passed(check.task_4c(trained_moons[0])).message
    assert "never trained on the test rows" in message and "looks up stored rows through its weights" in message
    message = passed(check.task_7d(trained_spirals[0])).message
    assert "how many epochs it took" in message and "never trained on the test rows" in message
    assert "nor your loop's printed test loss and accuracy" in message


def test_7d_rejects_a_softmax_model_as_7b_does(spirals):
    set_seed(0)
    model = nn.Sequential(SpiralModel(), nn.Softmax(dim=1))
    train(model, spirals[0], spirals[2], nn.CrossEntropyLoss(), 300, 0.02, squeeze=False)
    for result in (check.task_7b(model), check.task_7d(model)):
        failed(result, "spiral_model ends in a softmax", "probabilities rather than logits")


def test_failure_messages_do_not_give_the_solutions_learning_rates_away():
    from helpers.check.help import solutions

    rates = [solutions()[check_id].split("lr=")[1].split(")")[0] for check_id in ("3", "7c")]
    model, other = SpiralModel(), SpiralModel()
    messages = [
        check.task_7c(model, nn.CrossEntropyLoss(), torch.optim.Adam(other.parameters()), None).message,
        check.task_7c(model, nn.CrossEntropyLoss(), torch.optim.Adam, MulticlassAccuracy(num_classes=3)).message,
        check.task_3(MoonModel(), nn.BCEWithLogitsLoss(), torch.optim.SGD(MoonModel().parameters(), lr=1)).message,
    ]
    assert all("still None" in m or "does not update" in m or "itself" in m for m in messages), messages
    assert not any(rate in message for rate in rates for message in messages), messages


# ------------------------------------------------------------------ task 8: validation, test once, save


@pytest.fixture(autouse=True)
def no_choice_remembered():
    """Step 8c's check remembers the choice it passed (8d and 8e hold the model to it): each test starts
    without one."""
    from helpers.check import tasks

    tasks._CHOSEN.clear()
    yield
    tasks._CHOSEN.clear()


def noisy_model(width=64):
    return nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))


def early_stopping(split, *, copy_state=True, val_on="val", epochs=300, train_on="train", width=64, lr=0.01):
    """Step 8b (8c with another width) as a learner writes it: (model, val_losses, best_epoch, best_state);
    train_on "train+val" or "val" plants the slip of training on the validation rows."""
    import copy

    X_train, X_val, X_test, y_train, y_val, y_test = split
    if train_on != "train":
        X_train, y_train = {
            "train+val": (torch.cat([X_train, X_val]), torch.cat([y_train, y_val])),
            "val": (X_val, y_val),
        }[train_on]
    X_eval, y_eval = {"val": (X_val, y_val), "train": (X_train, y_train)}[val_on]
    set_seed(42)
    model, loss_fn = noisy_model(width), nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    val_losses, best_epoch, best_state = [], None, None
    for epoch in range(epochs):
        model.train()
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            val_losses.append(loss_fn(model(X_eval).squeeze(1), y_eval).item())
        if val_losses[-1] <= min(val_losses):
            best_epoch, best_state = epoch, copy.deepcopy(model.state_dict()) if copy_state else model.state_dict()
    return model, val_losses, best_epoch, best_state


@pytest.fixture(scope="module")
def chosen(noisy_moons):
    return early_stopping(noisy_moons)


def test_task_8a(noisy_moons):
    from sklearn.model_selection import train_test_split

    not_attempted(check.task_8a(None, None, None, None, None, None))
    passed(check.task_8a(*noisy_moons))
    X = torch.cat(noisy_moons[:3])
    y = torch.cat(noisy_moons[3:])
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.2, random_state=42)
    failed(
        check.task_8a(X_train, X_val, X_test, y_train, y_val, y_test),
        "a 60/20/20 split of 500 samples has 300 training, 100 validation and 100 test samples",
    )
    X_train, X_val, X_test, y_train, y_val, y_test = noisy_moons
    X_rest, y_rest = torch.cat([X_train, X_val]), torch.cat([y_train, y_val])
    X_train2, X_val2, y_train2, y_val2 = train_test_split(X_rest, y_rest, test_size=0.25, random_state=0)
    failed(
        check.task_8a(X_train2, X_val2, X_test, y_train2, y_val2, y_test),
        "but split otherwise",
        "of the 300 rows of your X_noisy_train belong to the reference's validation or test set",
    )


def test_task_8a_validation_and_test_swapped_are_said_so(noisy_moons):
    X_train, X_val, X_test, y_train, y_val, y_test = noisy_moons
    result = failed(
        check.task_8a(X_train, X_test, X_val, y_train, y_test, y_val),
        "your X_noisy_train holds the reference's training rows",
        "100 of the 100 rows of your X_noisy_val belong to the reference's test set",
        "your validation and test sets are swapped",
    )
    assert "another order" not in result.message


def test_task_8b(noisy_moons, chosen):
    model, val_losses, best_epoch, best_state = chosen
    not_attempted(check.task_8b(model, [], None, None))
    result = passed(check.task_8b(model, val_losses, best_epoch, best_state))
    assert f"epoch {best_epoch} of 300" in result.message
    assert best_epoch < 100, "the noisy moons must make early stopping matter"
    failed(check.task_8b(model, val_losses, best_epoch + 1, best_state), f"at epoch {best_epoch}")
    failed(
        check.task_8b(*early_stopping(noisy_moons, copy_state=False)),
        "best_state holds the weights of the last epoch",
        "copy.deepcopy(model.state_dict())",
    )
    result = failed(
        check.task_8b(*early_stopping(noisy_moons, val_on="train")), "loss on the training set", "percent away from it"
    )
    assert f"({_validation_loss(model, noisy_moons):.4g})" not in result.message, "the expected number is not printed"
    failed(check.task_8b(model, val_losses, best_epoch, "weights"), "best_state is a str")
    # A shortcut: the last epoch's weights, with a made-up curve whose lowest point is the last.
    import copy

    last_state = copy.deepcopy(model.state_dict())
    failed(
        check.task_8b(model, [9.0] * 299 + [val_losses[-1]], 299, last_state),
        "early stopping on this loop finds epochs under 0.24",
    )


def _validation_loss(model, split):
    model.eval()
    with torch.inference_mode():
        return F.binary_cross_entropy_with_logits(model(split[1]).squeeze(1), split[4]).item()


def test_task_8b_fewer_epochs_than_the_step_asks_for_do_not_pass(noisy_moons):
    # Stopping the loop by hand near the lowest point: 60 epochs, all of it consistent.
    model, val_losses, best_epoch, best_state = early_stopping(noisy_moons, epochs=60)
    failed(
        check.task_8b(model, val_losses, best_epoch, best_state),
        "val_losses holds 60 number(s); the step asks for 300 epochs",
        "epochs=300",
    )


def test_task_8b_takes_best_epoch_from_argmin_and_numpy(chosen):
    model, val_losses, best_epoch, best_state = chosen
    as_tensor = torch.tensor(val_losses).argmin()
    assert as_tensor.ndim == 0 and int(as_tensor) == val_losses.index(min(val_losses))
    passed(check.task_8b(model, val_losses, as_tensor, best_state))
    passed(check.task_8b(model, val_losses, np.int64(best_epoch), best_state))
    result = failed(check.task_8b(model, val_losses, float(best_epoch), best_state), "it should be one whole number")
    assert f"at epoch {best_epoch}" not in result.message, "equal numbers are never said as a mismatch"
    result = failed(
        check.task_8b(model, val_losses, torch.tensor(best_epoch + 1), best_state), f"at epoch {best_epoch}"
    )
    assert f"best_epoch is {best_epoch + 1}," in result.message


def test_task_8d(noisy_moons, chosen):
    from torchmetrics.classification import BinaryConfusionMatrix

    model, _, _, best_state = chosen
    X_test, y_test = noisy_moons[2], noisy_moons[5]
    not_attempted(check.task_8d(model, None, None, None))
    # model holds the last epoch's weights (best_state not loaded); a fresh model holds none trained
    failed(check.task_8d(model, 90.0, torch.zeros(2, 2), 0), "not the weights chosen on validation", "step 8c")
    failed(check.task_8d(noisy_model(), 90.0, torch.zeros(2, 2), 0), "not the weights chosen on validation")
    best = noisy_model()
    best.load_state_dict(best_state)
    best.eval()
    with torch.inference_mode():
        preds = torch.round(torch.sigmoid(best(X_test).squeeze(1)))
    confmat = BinaryConfusionMatrix()(preds, y_test)
    acc = (preds == y_test).float().mean().item() * 100
    assert confmat[0, 1] != confmat[1, 0]
    passed(check.task_8d(best, acc, confmat, confmat[1, 0].item()))
    failed(check.task_8d(best, acc, confmat.T, confmat[1, 0].item()), "rows and columns swapped")
    failed(
        check.task_8d(best, acc, confmat, confmat[0, 1].item()),
        "(that is the class-0 samples predicted as 1)",
    )
    failed(check.task_8d(best, acc - 5, confmat, confmat[1, 0].item()), "noisy_test_acc is")


@pytest.fixture(scope="module")
def narrow(noisy_moons):
    return early_stopping(noisy_moons, width=16)


def holding(state, width=64):
    model = noisy_model(width)
    model.load_state_dict(state)
    return model


def test_task_8c(noisy_moons, chosen, narrow):
    from helpers.check.tasks import NOISY_TIE

    _, val_losses, _, best_state = chosen
    model, narrow_losses, narrow_epoch, narrow_state = narrow
    assert min(narrow_losses) - min(val_losses) > NOISY_TIE, "width 16 must lose clearly for this test"
    run = (model, narrow_losses, narrow_epoch, narrow_state, val_losses)
    not_attempted(check.task_8c(None, None, None, None, val_losses, None, None))
    line = passed(check.task_8c(*run, 64, holding(best_state)))
    assert "you kept 64, the lower" in line.message and "Not checked: that both runs used the same seed" in line.message
    failed(check.task_8c(*run, 16, holding(narrow_state, 16)), "the lowest validation loss of width 64 is lower")
    failed(check.task_8c(*run, 64, noisy_model()), "chosen_model's validation loss is", "load best_state into it")
    failed(check.task_8c(*run, 64, holding(narrow_state, 16)), "first layer has 16 units, but chosen_width is 64")
    failed(check.task_8c(*run, 32, holding(best_state)), "the candidates are 64 (step 8b) and 16")
    failed(check.task_8c(*run, "64", holding(best_state)), "chosen_width is a str")
    wide_again = chosen
    failed(check.task_8c(*wide_again, val_losses, 64, holding(best_state)), "the second candidate is a narrower one")
    failed(
        check.task_8c(model, val_losses, narrow_epoch, narrow_state, val_losses, 64, holding(best_state)),
        "hold the same numbers",
    )
    failed(
        check.task_8c(model, narrow_losses, narrow_epoch + 1, narrow_state, val_losses, 64, holding(best_state)),
        f"narrow_best_epoch is {narrow_epoch + 1}",
    )
    failed(
        check.task_8c(*early_stopping(noisy_moons, width=16, copy_state=False), val_losses, 64, holding(best_state)),
        "narrow_best_state holds the weights of the last epoch",
    )


def test_task_8c_a_tie_lets_either_width_be_chosen(narrow):
    """Lowest losses closer than NOISY_TIE are a tie: the narrow width passes although it is not the lower."""
    from helpers.check.tasks import NOISY_TIE

    model, narrow_losses, narrow_epoch, narrow_state = narrow
    wide_losses = [min(narrow_losses) - NOISY_TIE / 2] * 300  # step 8b's lowest, just below the narrow one's
    line = passed(
        check.task_8c(model, narrow_losses, narrow_epoch, narrow_state, wide_losses, 16, holding(narrow_state, 16))
    )
    assert "either is a fair choice" in line.message
    wide_losses = [min(narrow_losses) - 2 * NOISY_TIE] * 300
    failed(
        check.task_8c(model, narrow_losses, narrow_epoch, narrow_state, wide_losses, 16, holding(narrow_state, 16)),
        "the lowest validation loss of width 64 is lower",
    )


def test_task_8c_a_candidate_still_learning_at_the_end_is_said_so(noisy_moons, chosen):
    _, val_losses, _, best_state = chosen
    slow = early_stopping(noisy_moons, width=8, lr=0.001)
    assert slow[2] == 299, "at lr 0.001 the narrow model's validation loss is still falling at the end"
    line = passed(check.task_8c(*slow, val_losses, 64, holding(best_state)))
    assert "still falling at the last epoch" in line.message


def test_task_8e(tmp_path, chosen, noisy_moons):
    _, _, _, best_state = chosen
    best = noisy_model()
    best.load_state_dict(best_state)
    path = tmp_path / "best.pth"
    torch.save(best.state_dict(), path)
    reloaded = noisy_model()
    reloaded.load_state_dict(torch.load(path, weights_only=True))
    not_attempted(check.task_8e(best, None, path))
    result = passed(check.task_8e(best, reloaded, path))
    # A copy of the model is not a reload, and the check cannot tell them apart: the passing line says so.
    import copy

    copied = passed(check.task_8e(best, copy.deepcopy(best), path))
    for line in (result, copied):
        assert "Not checked: that reloaded_model's weights came from the file" in line.message
    failed(check.task_8e(best, best, path), "reloaded_model is chosen_model itself")
    failed(check.task_8e(best, noisy_model(), path), "reloaded_model predicts otherwise than chosen_model")
    failed(check.task_8e(best, reloaded, tmp_path / "nowhere.pth"), "there is no file")
    whole = tmp_path / "whole.pth"
    torch.save(best, whole)
    failed(check.task_8e(best, reloaded, whole), "does not load with weights_only=True", "state_dict()")


# ------------------------------------------------------------------ what an attack on the checks found


def test_task_1_unpacked_in_the_wrong_order_is_said_so(moons):
    X_train, X_test, y_train, y_test = moons
    failed(
        check.task_1(X_train, y_train, X_test, y_test),  # X_train, y_train, X_test, y_test = train_test_split(...)
        "X_test holds labels (one number per sample) and y_train features",
        "returns X_train, X_test, y_train, y_test, in that order",
    )


def test_task_3_maximize_and_a_tensor_learning_rate():
    model = MoonModel()
    failed(
        check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=0.1, maximize=True)),
        "maximize=True",
        "make the loss larger",
    )
    passed(check.task_3(model, nn.BCEWithLogitsLoss(), torch.optim.Adam(model.parameters(), lr=torch.tensor(0.01))))


class EndsWith(nn.Module):
    """A moons model whose last operation, after the logit layer, is ``last``."""

    def __init__(self, last):
        super().__init__()
        self.net, self.last = MoonModel(), last

    def forward(self, x):
        return self.last(self.net(x))


@pytest.mark.parametrize(
    "last, name",
    [(torch.exp, "exp"), (F.logsigmoid, "logsigmoid"), (lambda z: z**2 - 1, "pow")],
    ids=["exp", "logsigmoid", "square"],
)
def test_task_2_an_operation_after_the_logits_that_keeps_them_from_any_value(last, name):
    failed(check.task_2(EndsWith(last)), f"ends in an activation ({name})", "the logits cannot take every value")


def test_task_4b_test_loss_on_the_sigmoid_names_the_sigmoid(moons, trained_moons):
    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    X_test, y_test = moons[1], moons[3]
    with torch.inference_mode():
        logits = model(X_test).squeeze(1)
    squashed_loss = loss_fn(torch.sigmoid(logits), y_test)
    test_acc = helpers_accuracy(y_test, torch.round(torch.sigmoid(logits)))
    failed(
        check.task_4b(model, loss_fn, squashed_loss, test_acc),
        "loss_fn on the sigmoid of the test logits",
        "applies the sigmoid itself",
    )


def helpers_accuracy(y, preds):
    from helpers import accuracy_fn

    return accuracy_fn(y, preds)


def test_task_4b_a_loop_that_never_ran_says_epochs(trained_moons):
    model, _ = trained_moons
    result = not_attempted(check.task_4b(model, nn.BCEWithLogitsLoss(), None, None))
    assert "epochs above 0" in result.message


def test_task_8b_takes_val_losses_as_a_tensor_or_an_array(chosen):
    model, val_losses, best_epoch, best_state = chosen
    passed(check.task_8b(model, torch.tensor(val_losses), best_epoch, best_state))
    passed(check.task_8b(model, np.array(val_losses), best_epoch, best_state))
    not_attempted(check.task_8b(model, torch.zeros(0), None, None))


@pytest.mark.parametrize("train_on", ["train+val", "val"])
def test_task_8b_training_on_the_validation_rows_is_seen(noisy_moons, train_on):
    model, val_losses, best_epoch, best_state = early_stopping(noisy_moons, train_on=train_on)
    failed(
        check.task_8b(model, val_losses, best_epoch, best_state),
        "its loss on the training set",
        "The training step used the validation rows",
    )


def test_task_8b_training_on_the_training_rows_is_not_taken_for_it(noisy_moons, chosen):
    """The bars hold with margin for the right loop (the check's comment gives the range over seeds)."""
    from helpers.check.tasks import NOISY_SEEN_GAP, NOISY_SEEN_VAL_BAR

    model, val_losses, best_epoch, best_state = chosen
    line = passed(check.task_8b(model, val_losses, best_epoch, best_state))
    assert (
        min(val_losses) > NOISY_SEEN_VAL_BAR
        and "Not checked: that the training step never saw the test" in line.message
    )
    assert NOISY_SEEN_GAP > 0


def test_task_8d_a_normalised_confusion_matrix_is_said_so(noisy_moons, chosen):
    from torchmetrics.classification import BinaryConfusionMatrix

    model, _, _, best_state = chosen
    best = noisy_model()
    best.load_state_dict(best_state)
    X_test, y_test = noisy_moons[2], noisy_moons[5]
    with torch.inference_mode():
        preds = torch.round(torch.sigmoid(best(X_test).squeeze(1)))
    fractions = BinaryConfusionMatrix(normalize="true")(preds, y_test.long())
    failed(check.task_8d(best, 90.0, fractions, 3), "holds fractions", "leave normalize out")


@pytest.mark.parametrize("saved", ["last epoch", "untrained"])
def test_task_8e_a_file_of_other_weights_than_the_chosen_ones_is_seen(tmp_path, noisy_moons, chosen, saved):
    model, _, _, _ = chosen  # after the loop: the last epoch's weights, best_state not loaded
    if saved == "untrained":
        set_seed(0)
        model = noisy_model()
    path = tmp_path / "model.pth"
    torch.save(model.state_dict(), path)
    reloaded = noisy_model()
    reloaded.load_state_dict(torch.load(path, weights_only=True))
    failed(
        check.task_8e(model, reloaded, path),
        "not the weights chosen on validation",
        "Load the chosen candidate's best state",
    )


def test_a_clamp_after_the_logits_is_named_a_clamp_not_a_sigmoid():
    failed(check.task_2(EndsWith(lambda z: z.clamp(0, 1))), "ends in an activation (clamp)")


def test_an_optimizer_over_an_older_model_is_named_not_the_loop_order(moons):
    X_train, _, y_train, _ = moons
    set_seed(0)
    older, model, loss_fn = MoonModel(), MoonModel(), nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(older.parameters(), lr=0.03)
    for _ in range(50):
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    result = failed(check.task_4c(model, loss_fn, optimizer, X_train, y_train), "holds none of this model's")
    assert "zero_grad() comes between" not in result.message


def test_task_6_is_checked_at_zero():
    """The grid holds no exact 0: a sign written as x / x.abs() gives nan there, and is caught."""

    def sign_by_division(x):
        e = torch.exp(-2 * x.abs())
        return (x / x.abs()) * (1 - e) / (1 + e)

    failed(check.task_6(sign_by_division), "at x = 0")


def test_task_8b_a_loss_still_lowest_at_the_last_epoch_chose_nothing(noisy_moons):
    import copy

    X_train, X_val, _, y_train, y_val, _ = noisy_moons
    set_seed(42)
    model, loss_fn = noisy_model(), nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    val_losses, best_epoch, best_state = [], None, None
    for epoch in range(300):
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.inference_mode():
            val_losses.append(loss_fn(model(X_val).squeeze(1), y_val).item())
        if val_losses[-1] <= min(val_losses):
            best_epoch, best_state = epoch, copy.deepcopy(model.state_dict())
    assert best_epoch == 299, "at lr 0.001 the validation loss is still falling at the end"
    failed(check.task_8b(model, val_losses, best_epoch, best_state), "best_epoch is the last epoch", "chose nothing")


@pytest.mark.parametrize("width", [1e-4, 1e-3, 1e-2])
def test_task_6_a_tanh_wrong_only_near_zero_fails_every_time(width):
    def flat_near_zero(x):
        e = torch.exp(-2 * x.abs())
        return torch.where(x.abs() < width, torch.zeros_like(x), torch.sign(x) * (1 - e) / (1 + e))

    for _ in range(3):  # the check's other inputs are random: this must not depend on them
        failed(check.task_6(flat_near_zero), "the largest gap from torch.tanh is")


# ------------------------------------------------------------------ task 8c/8e: what the attack on the new steps found


def test_task_8c_a_narrow_model_that_never_trained_is_said_so(chosen, noisy_moons):
    """An optimizer of another model (noisy_optimizer passed for the narrow run) leaves narrow_model as it
    started: the same validation loss at every epoch, and no 'still falling' note."""
    _, val_losses, _, best_state = chosen
    set_seed(42)
    untrained = noisy_model(16)
    with torch.inference_mode():
        flat = nn.functional.binary_cross_entropy_with_logits(untrained(noisy_moons[1]).squeeze(1), noisy_moons[4])
    losses = [flat.item()] * 300
    failed(
        check.task_8c(untrained, losses, 299, untrained.state_dict(), val_losses, 64, holding(best_state)),
        "at every epoch: narrow_model's weights never changed",
        "made from narrow_model.parameters()",
    )


def test_task_8c_a_copy_of_step_8b_losses_is_said_so(chosen, narrow):
    _, val_losses, _, best_state = chosen
    model, _, narrow_epoch, narrow_state = narrow
    failed(
        check.task_8c(model, list(val_losses), narrow_epoch, narrow_state, val_losses, 64, holding(best_state)),
        "hold the same numbers",
        "Keep each run in its own names",
    )


def test_task_8c_passes_a_narrow_model_loaded_with_its_best_state_and_a_tensor_width(chosen, narrow):
    _, val_losses, _, best_state = chosen
    _, narrow_losses, narrow_epoch, narrow_state = narrow
    loaded = holding(narrow_state, 16)  # the learner loaded the narrow run's best weights: more than asked, not wrong
    passed(check.task_8c(loaded, narrow_losses, narrow_epoch, narrow_state, val_losses, 64, holding(best_state)))
    passed(
        check.task_8c(
            loaded, narrow_losses, narrow_epoch, narrow_state, val_losses, torch.tensor(64), holding(best_state)
        )
    )


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
def test_task_8c_a_width_of_zero_is_no_candidate(chosen):
    _, val_losses, _, best_state = chosen
    empty = noisy_model(0)
    failed(
        check.task_8c(empty, [0.69] * 300, 0, empty.state_dict(), val_losses, 64, holding(best_state)),
        "first layer has 0 units",
    )


def test_task_8e_another_width_in_the_file_or_the_reload_is_named(tmp_path, chosen, narrow):
    _, _, _, best_state = chosen
    _, _, _, narrow_state = narrow
    best = holding(best_state)
    path = tmp_path / "best.pth"
    torch.save(narrow_state, path)  # the loser's weights saved
    failed(check.task_8e(best, holding(best_state), path), "weights of another shape", "Save chosen_model.state_dict()")
    torch.save(best.state_dict(), path)
    failed(check.task_8e(best, noisy_model(16), path), "reloaded_model's first layer has 16 units, chosen_model's 64")
    failed(check.task_8e(best, holding(best_state), tmp_path / "none.pth"), "there is no file at '")


def test_task_6_a_patched_overflow_is_caught_by_its_gradient():
    """The textbook formula with its nans replaced has the right values and a nan gradient (review 33)."""

    def patched(x):
        r = (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))
        return torch.where(torch.isnan(r), torch.sign(x), r)

    failed(check.task_6(patched), "tanh's values are right, but its gradient is nan", "e^(-2|x|)")
    clamped = passed(
        check.task_6(lambda x: (torch.exp(2 * x.clamp(-20, 20)) - 1) / (torch.exp(2 * x.clamp(-20, 20)) + 1))
    )
    assert "its gradient is finite on [-100, 100]" in clamped.message


def test_task_8d_after_the_wrong_choice_points_at_step_8c(narrow, noisy_moons):
    """Review 33: width 16 kept in 8c (its best weights rightly loaded), although 64 was lower."""
    _, _, _, narrow_state = narrow
    failed(
        check.task_8d(holding(narrow_state, 16), 90.0, torch.zeros(2, 2), 0), "width-16 candidate", "step 8c's choice"
    )


def test_task_4b_after_task_1_failed_names_task_1_first(moons, trained_moons):
    """Review 38: a right loop over another split's X_test gets 'fix task 1 first', not advice on the loop."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = moons
    X, y = torch.cat([X_train, X_test]), torch.cat([y_train, y_test])
    other = train_test_split(X, y, test_size=0.2, random_state=0)  # the learner's split: another random_state
    failed(check.task_1(*other), "")
    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    test_loss, test_acc = loop_numbers(model, other[1], other[3], loss_fn)
    result = check.task_4b(model, loss_fn, test_loss * 1.5, test_acc)
    assert result.status == "failed" and "task 1's check failed" in result.message, result.message
    passed(check.task_1(*moons))
    result = check.task_4b(model, loss_fn, test_loss * 1.5, test_acc)
    assert result.status == "failed" and "task 1's check failed" not in result.message, result.message


def test_task_8d_a_matrix_of_another_model_is_said_possible(chosen, noisy_moons):
    """Review 38: labels from noisy_model (the last epoch's weights), chosen_model passed to the check."""
    from torchmetrics.classification import BinaryConfusionMatrix

    last, _, _, best_state = chosen
    with torch.inference_mode():
        preds = torch.round(torch.sigmoid(last(noisy_moons[2]).squeeze(1)))
    confmat = BinaryConfusionMatrix()(preds, noisy_moons[5])
    acc = (preds == noisy_moons[5]).float().mean().item() * 100
    best = holding(best_state)
    with torch.inference_mode():
        assert not torch.equal(torch.round(torch.sigmoid(best(noisy_moons[2]).squeeze(1))), preds)
    failed(check.task_8d(best, acc, confmat, confmat[1, 0].item()), "may come from another model than chosen_model")


# ------------------------------------------------------------------ what the second attack on task 8 and 6 found (review 37)


def test_task_6_a_tanh_without_a_gradient_fails():
    def no_grad_patch(x):
        with torch.no_grad():
            r = (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))
            return torch.where(torch.isnan(r), torch.sign(x), r)

    def on_detached(x):
        x = x.detach()
        e = torch.exp(-2 * x.abs())
        return torch.sign(x) * (1 - e) / (1 + e)

    for shortcut in (no_grad_patch, on_detached):
        failed(check.task_6(shortcut), "no gradient flows through it")

    def abs_as_sqrt(x):  # |x| as sqrt(x*x): its gradient is nan at exactly 0
        e = torch.exp(-2 * torch.sqrt(x * x))
        return torch.sign(x) * (1 - e) / (1 + e)

    failed(check.task_6(abs_as_sqrt), "its gradient is nan", "x = 0")


def test_task_4b_a_loop_that_raised_is_named_even_when_its_numbers_match(moons, trained_moons):
    from types import SimpleNamespace

    from helpers.check import cells

    model, _ = trained_moons
    loss_fn = nn.BCEWithLogitsLoss()
    test_loss, test_acc = loop_numbers(model, moons[1], moons[3], loss_fn)
    raised = SimpleNamespace(
        error_in_exec=RuntimeError("boom in epoch 37"),
        error_before_exec=None,
        info=SimpleNamespace(raw_cell="for epoch in ..."),
    )
    cells._after_cell(raised)
    try:
        failed(
            check.task_4b(model, loss_fn, test_loss, test_acc),
            "raised RuntimeError: boom in epoch 37",
            "your loop stopped",
        )
    finally:
        cells._after_cell(
            SimpleNamespace(error_in_exec=None, error_before_exec=None, info=SimpleNamespace(raw_cell="x = 1"))
        )
    passed(check.task_4b(model, loss_fn, test_loss, test_acc))


def test_task_8b_training_on_other_data_than_the_noisy_training_set_is_seen(noisy_moons, moons):
    """The function trained on task 1's clean moons (X_train, y_train) instead of X_noisy_train."""
    clean_train = (moons[0], noisy_moons[1], noisy_moons[2], moons[2], noisy_moons[4], noisy_moons[5])
    failed(check.task_8b(*early_stopping(clean_train)), "does about as well on X_noisy_train", "train on X_noisy_train")


def test_task_8b_a_validation_loss_on_the_sigmoid_is_named(noisy_moons, chosen):
    model, val_losses, best_epoch, best_state = chosen
    with torch.inference_mode():
        on_sigmoid = nn.functional.binary_cross_entropy_with_logits(
            torch.sigmoid(model(noisy_moons[1]).squeeze(1)), noisy_moons[4]
        ).item()
    failed(
        check.task_8b(model, val_losses[:-1] + [on_sigmoid], best_epoch, best_state),
        "on the sigmoid of the validation logits",
    )


def test_task_8c_a_function_that_used_the_wide_model_is_named(chosen, narrow):
    _, val_losses, _, best_state = chosen
    model, _, _, narrow_state = narrow
    stuck = [val_losses[-1]] * 300  # what the narrow run records when the function computes with noisy_model
    failed(
        check.task_8c(model, stuck, 299, narrow_state, val_losses, 64, holding(best_state)),
        "step 8b's last validation loss",
        "use model (its argument), never noisy_model",
    )


def test_task_7c_an_optimizer_of_another_model_names_spiral_model():
    model = SpiralModel()
    other = torch.optim.Adam(MoonModel().parameters(), lr=0.02)
    failed(
        check.task_7c(model, nn.CrossEntropyLoss(), other, MulticlassAccuracy(num_classes=3, average="micro")),
        "spiral_model.parameters()",
    )


def test_task_8e_a_checkpoint_dict_names_its_own_keys(tmp_path, chosen):
    _, _, _, best_state = chosen
    best = holding(best_state)
    path = tmp_path / "checkpoint.pth"
    torch.save({"model": best.state_dict(), "width": 64}, path)
    failed(check.task_8e(best, holding(best_state), path), "with the keys model, width", "whose keys are")


def test_task_8d_and_8e_hold_chosen_model_to_the_choice_step_8c_passed(chosen, narrow, noisy_moons, tmp_path):
    """Attack 37: a model rebound after 8c, or trained again on the test rows, was measured as the chosen one."""
    _, val_losses, _, best_state = chosen
    model, narrow_losses, narrow_epoch, narrow_state = narrow
    best = holding(best_state)
    passed(check.task_8c(model, narrow_losses, narrow_epoch, narrow_state, val_losses, 64, best))
    failed(check.task_8d(holding(narrow_state, 16), 90.0, torch.zeros(2, 2), 0), "width-16 candidate")
    tuned = holding(best_state)
    optimizer = torch.optim.SGD(tuned.parameters(), lr=0.1)
    for _ in range(20):  # trained again on the test rows after step 8c
        loss = nn.functional.binary_cross_entropy_with_logits(tuned(noisy_moons[2]).squeeze(1), noisy_moons[5])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    failed(check.task_8d(tuned, 90.0, torch.zeros(2, 2), 0), "when step 8c's check passed it was", "have changed since")
    path = tmp_path / "tuned.pth"
    torch.save(tuned.state_dict(), path)
    failed(check.task_8e(tuned, holding(tuned.state_dict()), path), "have changed since")
