"""Property tests of every public helpers function: random shapes, dtypes, NumPy or torch,
empty, NaN, mismatched lengths, wrong feature counts, models in train or eval mode.

Each call either works or raises ValueError/TypeError whose message names the argument at
fault, and no call changes its inputs (values, device, mode, parameters).
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import helpers

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DTYPES = ["float16", "float32", "float64", "int32", "int64"]


@st.composite
def arrays(draw, shape=None, kinds=DTYPES, allow_nan=True):
    """A NumPy array or a torch tensor of a random dtype and shape, possibly with NaN."""
    if shape is None:
        ndim = draw(st.integers(0, 3))
        shape = tuple(draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim)))
    dtype = draw(st.sampled_from(kinds))
    size = int(np.prod(shape)) if shape else 1
    values = np.array(draw(st.lists(st.integers(-3, 3), min_size=size, max_size=size)), dtype=np.float64)
    values = values.reshape(shape)
    if dtype.startswith("float") and allow_nan and size and draw(st.booleans()):
        values.flat[draw(st.integers(0, size - 1))] = np.nan
    values = values.astype(dtype)
    return torch.from_numpy(values) if draw(st.booleans()) else values


def snapshot(value):
    if isinstance(value, torch.Tensor):
        return ("tensor", value.clone(), value.device, value.dtype)
    if isinstance(value, np.ndarray):
        return ("array", value.copy(), value.dtype)
    return ("other", value)


def unchanged(before, value):
    if before[0] == "tensor":
        return (
            value.device == before[2]
            and value.dtype == before[3]
            and torch.equal(torch.nan_to_num(value), torch.nan_to_num(before[1]))
        )
    if before[0] == "array":
        return value.dtype == before[2] and np.array_equal(value, before[1], equal_nan=value.dtype.kind == "f")
    return True


def call(function, names, args, **kwargs):
    """Call function; accept success or a ValueError/TypeError naming one of the arguments."""
    snapshots = [snapshot(a) for a in args]
    try:
        result = function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        assert any(name in str(error) for name in names), f"message names no argument: {error}"
        result = None
    for before, value in zip(snapshots, args):
        assert unchanged(before, value), f"{function.__name__} changed its input"
    plt.close("all")
    return result


@SETTINGS
@given(arrays(), arrays())
def test_accuracy_fn(y_true, y_pred):
    result = call(helpers.accuracy_fn, ["y_true", "y_pred"], [y_true, y_pred])
    if result is not None:
        assert 0.0 <= result <= 100.0


@SETTINGS
@given(n=st.integers(1, 12), data=st.data())
def test_accuracy_fn_agrees_with_counting(n, data):
    labels = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    preds = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    as_column = data.draw(st.booleans())
    y_pred = torch.tensor(preds, dtype=torch.float32)
    y_pred = y_pred.unsqueeze(1) if as_column else y_pred
    expected = 100.0 * sum(a == b for a, b in zip(labels, preds)) / n
    assert helpers.accuracy_fn(np.array(labels), y_pred) == pytest.approx(expected)


def model_for(n_outputs, training, dtype):
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Dropout(0.2), nn.Linear(4, n_outputs)).to(dtype)
    model.train(training)
    return model


@SETTINGS
@given(
    X=arrays(),
    y=arrays(),
    n_outputs=st.sampled_from([1, 2, 3]),
    training=st.booleans(),
    model_dtype=st.sampled_from([torch.float32, torch.float64]),
)
def test_plot_decision_boundary(X, y, n_outputs, training, model_dtype):
    model = model_for(n_outputs, training, model_dtype)
    params = [p.clone() for p in model.parameters()]
    call(helpers.plot_decision_boundary, ["model", "X", "y"], [model, X, y], grid_resolution=5)
    assert model.training == training and all(m.training == training for m in model.modules())
    assert all(torch.equal(a, b) for a, b in zip(params, model.parameters()))
    assert all(p.dtype == model_dtype and p.device.type == "cpu" for p in model.parameters())


@SETTINGS
@given(n=st.integers(1, 20), n_outputs=st.sampled_from([1, 4]), data=st.data())
def test_plot_decision_boundary_valid_inputs_always_draw(n, n_outputs, data):
    X = data.draw(arrays(shape=(n, 2), kinds=["float16", "float32", "float64", "int64"], allow_nan=False))
    y = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    ax = helpers.plot_decision_boundary(model_for(n_outputs, True, torch.float32), X, y, grid_resolution=4)
    assert ax is not None
    plt.close("all")


@SETTINGS
@given(arrays(), arrays(), arrays(), arrays(), st.one_of(st.none(), arrays()))
def test_plot_predictions(train_data, train_labels, test_data, test_labels, predictions):
    names = ["train_data", "train_labels", "test_data", "test_labels", "predictions"]
    call(
        lambda *a: helpers.plot_predictions(*a[:4], predictions=predictions),
        names,
        [train_data, train_labels, test_data, test_labels],
    )


history_values = st.lists(
    st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=32), st.integers(-5, 5), st.text(max_size=2)),
    max_size=5,
)


@SETTINGS
@given(
    st.one_of(
        st.dictionaries(
            st.sampled_from(["train_loss", "test_loss", "train_acc", "test_acc", "epoch", "other"]), history_values
        ),
        st.lists(st.integers()),
        st.none(),
    )
)
def test_plot_loss_curves(history):
    call(helpers.plot_loss_curves, ["history"], [history])


@SETTINGS
@given(arrays(kinds=["float32", "float64", "int64"]), st.one_of(st.none(), st.lists(st.text(max_size=3), max_size=4)))
def test_plot_confusion_matrix(confmat, class_names):
    call(lambda m: helpers.plot_confusion_matrix(m, class_names=class_names), ["confmat", "class_names"], [confmat])


@SETTINGS
@given(
    n_per_class=st.one_of(st.integers(-2, 30), st.floats(0, 5), st.text(max_size=2)),
    n_classes=st.one_of(st.integers(-1, 6), st.none()),
    noise=st.one_of(st.floats(allow_nan=True), st.integers(-1, 2), st.none()),
)
def test_make_spirals(n_per_class, n_classes, noise):
    result = call(
        lambda *a: helpers.make_spirals(*a, noise=noise),
        ["n_per_class", "n_classes", "noise"],
        [n_per_class, n_classes],
    )
    if result is not None:
        X, y = result
        assert X.dtype == torch.float32 and y.dtype == torch.int64 and X.shape == (n_per_class * n_classes, 2)


@SETTINGS
@given(st.one_of(st.integers(-5, 2**33), st.floats(), st.text(max_size=3), st.none(), st.booleans()))
def test_set_seed(seed):
    call(helpers.set_seed, ["seed"], [seed])


@SETTINGS
@given(st.text(max_size=8))
def test_get_device_with_any_forced_value(value):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DEVICE", value.replace("\x00", ""))
        try:
            device = helpers.get_device()
        except (ValueError, RuntimeError) as error:
            assert "COURSE_DEVICE" in str(error)
        else:
            assert device in ("cpu", "cuda", "mps")
