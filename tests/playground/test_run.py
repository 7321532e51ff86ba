"""A playground run: the model and data a configuration makes, and its training."""

import numpy as np
import pytest
import torch
from torch import nn

from helpers.playground.config import PlaygroundConfig
from helpers.playground.run import PlaygroundRun, build_model, first_layer_maps, make_data


@pytest.mark.parametrize("layers, activation", [(0, "relu"), (1, "none"), (2, "tanh"), (4, "sigmoid")])
def test_the_model_has_the_configured_shape(layers, activation):
    model = build_model(PlaygroundConfig(layers=layers, units=5, activation=activation))
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert len(linears) == layers + 1
    assert [(layer.in_features, layer.out_features) for layer in linears] == [(2, 5)] * min(layers, 1) + [(5, 5)] * max(
        layers - 1, 0
    ) + [(5 if layers else 2, 1)]
    activations = [m for m in model if not isinstance(m, nn.Linear)]
    assert len(activations) == (0 if activation == "none" else layers)
    assert all(type(m).__name__.lower() == activation for m in activations)


def test_the_seed_fixes_the_initial_weights():
    a, b = build_model(PlaygroundConfig(seed=5)), build_model(PlaygroundConfig(seed=5))
    c = build_model(PlaygroundConfig(seed=6))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a[0].weight, c[0].weight)


def test_the_data_follow_the_train_share():
    X_train, X_val, y_train, y_val = make_data("train=0.02")
    assert len(X_train) == 20 and len(X_val) == 980 and X_train.dtype == torch.float32
    assert set(y_train.unique().tolist()) <= {0.0, 1.0}


def test_one_epoch_is_one_full_batch_sgd_step():
    config = PlaygroundConfig(lr=0.5)
    run = PlaygroundRun(config)
    model = build_model(config)  # the same initial weights
    loss = nn.BCEWithLogitsLoss()(model(run.X_train).squeeze(1), run.y_train)
    loss.backward()
    expected = [p.detach() - 0.5 * p.grad for p in model.parameters()]
    result = run.train_epochs(1)
    assert all(torch.allclose(p, e) for p, e in zip(run.model.parameters(), expected))
    assert result.epochs == 1 and run.history["epoch"] == [1]
    assert 0 <= result.train_acc <= 100 and result.train_loss > 0


def test_mini_batches_take_several_steps_an_epoch():
    run = PlaygroundRun("batch=100")
    run.train_epochs(1)
    steps = []
    run.optimizer.register_step_post_hook(lambda *_: steps.append(1))
    run.train_epochs(1)
    assert len(steps) == 8  # 800 training points, batches of 100


def test_first_layer_maps_are_the_units_outputs():
    model = build_model("layers=2 units=3 act=relu")
    maps = first_layer_maps(model, (-1, 1, -2, 2), grid_resolution=5)
    assert maps.shape == (3, 5, 5) and (maps >= 0).all()
    point = torch.tensor([[1.0, -2.0]])  # xs[-1], ys[0]: maps[:, 0, -1]
    assert np.allclose(maps[:, 0, -1], torch.relu(model[0](point))[0].detach().numpy(), atol=1e-6)
    assert first_layer_maps(build_model("layers=0"), (-1, 1, -1, 1)).shape[0] == 0
