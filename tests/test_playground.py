"""The playground without a browser: its configuration string, the model and the training a
configuration makes, the code it prints (run here, it must give the same numbers), and the
widgets' logic (fixed controls, play and pause, reset)."""

import time

import numpy as np
import pytest
import torch
from torch import nn

from helpers.playground_core import (
    PlaygroundConfig,
    PlaygroundRun,
    build_model,
    first_layer_maps,
    generate_code,
    make_data,
    run_config,
)

CONFIGS = [
    "",
    "data=xor layers=0 act=none",
    "data=circles layers=1 units=4 act=tanh lr=0.3",
    "data=spirals layers=3 units=12 opt=adam lr=0.01 batch=32 wd=0.001 seed=7",
    "data=moons act=sigmoid batch=100 noise=0.2",
    "data=blobs train=0.02 layers=4 units=32 wd=0.01",
]


@pytest.mark.parametrize("text", CONFIGS)
def test_the_string_round_trips(text):
    config = PlaygroundConfig.from_string(text)
    assert PlaygroundConfig.from_string(str(config)) == config
    assert str(PlaygroundConfig.from_string(str(config))) == str(config)


def test_the_string_names_every_setting_and_keys_may_come_in_any_order():
    config = PlaygroundConfig.from_string("seed=3 lr=3 data=moons batch=10")
    assert (config.dataset, config.lr, config.batch_size, config.seed) == ("moons", 3.0, 10, 3)
    assert str(config).split()[0] == "data=moons" and "seed=3" in str(config) and "batch=10" in str(config)
    assert PlaygroundConfig.from_string("layers=1", layers=0).layers == 0  # overrides win


@pytest.mark.parametrize(
    "text, message",
    [
        ("data=squares", "dataset must be one of"),
        ("layers=5", "layers must be between 0 and 4"),
        ("lr=fast", "expected a number"),
        ("units=2.5", "whole number"),
        ("colour=red", "unknown key 'colour'"),
        ("layers", "not key=value"),
        ("lr=nan", "finite"),
    ],
)
def test_bad_strings_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        PlaygroundConfig.from_string(text)


def test_a_configuration_is_a_string():
    with pytest.raises(TypeError, match="string"):
        PlaygroundConfig.from_string(3)


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
    X_train, X_test, y_train, y_test = make_data("train=0.02")
    assert len(X_train) == 20 and len(X_test) == 980 and X_train.dtype == torch.float32
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


@pytest.mark.parametrize("text", CONFIGS)
def test_the_printed_code_reproduces_the_run(text):
    epochs = 7
    result = run_config(text, epochs=epochs)
    namespace = {}
    exec(compile(generate_code(text, epochs), "<generated>", "exec"), namespace)
    assert abs(namespace["train_loss"] - result.train_loss) <= 1e-6
    assert abs(namespace["test_loss"] - result.test_loss) <= 1e-6
    assert abs(namespace["test_acc"] - result.test_acc) <= 1e-6


def test_the_printed_code_is_a_complete_cell():
    code = generate_code("data=spirals batch=32", 5)
    for piece in (
        "import torch",
        "from torch import nn",
        "nn.Sequential(",
        "nn.BCEWithLogitsLoss()",
        "torch.optim.SGD(",
        "torch.manual_seed(42)",
        "for epoch in range(5):",
        "model.train()",
        "model.eval()",
    ):
        assert piece in code
    assert code.splitlines()[0] == "# Playground configuration: " + str(
        PlaygroundConfig.from_string("data=spirals batch=32")
    )
    with pytest.raises(ValueError, match="epochs"):
        generate_code("", 0)


def test_first_layer_maps_are_the_units_outputs():
    model = build_model("layers=2 units=3 act=relu")
    maps = first_layer_maps(model, (-1, 1, -2, 2), grid_resolution=5)
    assert maps.shape == (3, 5, 5) and (maps >= 0).all()
    point = torch.tensor([[1.0, -2.0]])  # xs[-1], ys[0]: maps[:, 0, -1]
    assert np.allclose(maps[:, 0, -1], torch.relu(model[0](point))[0].detach().numpy(), atol=1e-6)
    assert first_layer_maps(build_model("layers=0"), (-1, 1, -1, 1)).shape[0] == 0


# ---------------------------------------------------------------- the widgets, headless


@pytest.fixture
def playground():
    pytest.importorskip("ipywidgets")
    from helpers.playground import Playground

    made = []

    def make(*args, **kwargs):
        made.append(Playground(*args, **kwargs))
        return made[-1]

    yield make
    for pg in made:
        pg.pause()


def test_the_play_button_says_play_and_playing_changes_the_picture(playground):
    pg = playground()
    assert "Play" in pg.play_button.description
    before = pg.image.value
    pg.play()
    deadline = time.time() + 10
    while pg.run.epoch == 0 and time.time() < deadline:
        time.sleep(0.05)
    pg.pause()
    assert pg.run.epoch > 0 and pg.image.value != before


def test_pause_takes_effect_within_0_2_s(playground):
    pg = playground()
    pg.play()
    time.sleep(0.5)
    assert pg.playing
    latency = pg.pause()
    epoch = pg.run.epoch
    time.sleep(0.2)
    assert not pg.playing and pg.run.epoch == epoch
    assert latency < 0.2


def test_the_playground_s_code_gives_its_final_loss(playground):
    pg = playground("data=xor layers=1 units=4 batch=32")
    pg.step(6)
    namespace = {}
    exec(pg.code(), namespace)
    assert abs(namespace["test_loss"] - pg.run.result().test_loss) <= 1e-6
    assert "for epoch in range(6):" in pg.code()


def test_fixed_controls_are_disabled_and_keep_their_value(playground):
    pg = playground("data=xor layers=0 act=none", fixed=["layers", "act"])
    assert pg.controls["layers"].disabled and pg.controls["activation"].disabled
    assert not pg.controls["units"].disabled
    pg.load("data=circles layers=2 act=relu lr=3")
    assert (pg.config.dataset, pg.config.layers, pg.config.activation, pg.config.lr) == ("circles", 0, "none", 3.0)
    with pytest.raises(ValueError, match="unknown controls"):
        playground(fixed=["depth"])


def test_changing_a_control_starts_again_with_the_new_setting(playground):
    pg = playground()
    pg.step(3)
    pg.controls["units"].value = 4
    assert pg.run.epoch == 0 and pg.config.units == 4 and pg.config_string.count("units=4") == 1
    assert len(pg.unit_box.children) == 4
    pg.controls["layers"].value = 0
    assert len(pg.unit_box.children) == 0


def test_reset_goes_back_to_the_same_start(playground):
    pg = playground()
    start = [p.detach().clone() for p in pg.run.model.parameters()]
    pg.step(5)
    pg.reset()
    assert pg.run.epoch == 0
    assert all(torch.equal(p, q) for p, q in zip(start, pg.run.model.parameters()))


def test_a_configuration_checks_its_types():
    with pytest.raises(TypeError, match="layers must be a whole number"):
        PlaygroundConfig(layers="2")
    with pytest.raises(TypeError, match="lr must be a finite number"):
        PlaygroundConfig(lr=float("inf"))


def test_a_typo_in_the_configuration_box_is_reported_not_raised(playground):
    pg = playground()
    before = pg.config
    pg.config_text.value = "data=squares"
    pg._load_typed()
    assert "Not a valid configuration" in pg.status.value and "dataset must be one of" in pg.status.value
    assert pg.config == before
