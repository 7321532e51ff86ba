"""The playground's widgets, headless: play and pause, fixed controls, reset, the configuration box."""

import time

import numpy as np
import pytest
import torch


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


def test_play_and_pause_show_whether_training_runs_and_the_status_line_never_contradicts_the_picture(playground):
    pg = playground()
    assert not pg.play_button.disabled and pg.pause_button.disabled
    assert "paused at epoch 0" in pg.status.value
    pg.play()
    assert pg.play_button.disabled and pg.play_button.description == "▶ Playing…"
    assert not pg.pause_button.disabled and pg.pause_button.button_style == "warning"
    deadline = time.time() + 10
    while pg.run.epoch < 2 and time.time() < deadline:
        time.sleep(0.05)
    playing_status = pg.status.value
    assert "▶ training" in playing_status and "epoch" in playing_status.split("&nbsp;")[0]
    assert not any(ch.isdigit() for ch in playing_status.split("&nbsp;")[0]), "no epoch number while playing"
    pg.pause()
    assert not pg.play_button.disabled and pg.play_button.description == "▶ Play" and pg.pause_button.disabled
    assert f"paused at epoch {pg.run.epoch}</b>" in pg.status.value
    assert pg.figure.ax_regions.get_title().endswith(f"epoch {pg.run.epoch}")


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
    assert abs(namespace["val_loss"] - pg.run.result().val_loss) <= 1e-6
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
    assert pg.run.epoch == 0 and pg.config.units == 4 and str(pg.config).count("units=4") == 1
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


def test_a_typo_in_the_configuration_box_is_reported_not_raised(playground):
    pg = playground()
    before = pg.config
    pg.config_text.value = "data=squares"
    pg._load_typed()
    assert "Not a valid configuration" in pg.status.value and "must be one of" in pg.status.value
    assert pg.config == before


def test_the_widgets_offer_exactly_the_configuration_s_ranges(playground):
    from helpers.playground.config import FIELDS

    pg = playground()
    for field in FIELDS:
        control = pg.controls[field.name]
        if field.choices:
            assert [value for _, value in control.options] == list(field.choices), field.name
        else:
            assert (control.min, control.max) == (field.low, field.high), field.name


@pytest.mark.parametrize(
    "text, field, value",
    [("noise=0.8", "noise", 0.8), ("train=0.01", "train_share", 0.01), ("seed=2000000000", "seed", 2_000_000_000)],
)
def test_a_configuration_at_the_edge_of_its_range_survives_a_change_of_another_control(playground, text, field, value):
    """Once the sliders stopped at noise 0.5 and train share 0.02 while a configuration allowed 1
    and 0.01: ipywidgets capped the value shown, and the next touch of any control ran with it."""
    pg = playground(text)
    assert getattr(pg.config, field) == value and pg.controls[field].value == value
    assert getattr(pg.run.config, field) == value
    pg.controls["units"].value = 3
    assert pg.config.units == 3 and getattr(pg.config, field) == value and pg.controls[field].value == value
    assert getattr(pg.run.config, field) == value
    pg.load("data=moons " + text)
    assert pg.controls[field].value == value


def test_a_drop_down_offers_a_configured_value_outside_its_choices(playground):
    pg = playground("lr=0.05 batch=64 wd=0.5")
    assert (pg.controls["lr"].value, pg.controls["batch_size"].value, pg.controls["weight_decay"].value) == (
        0.05,
        64,
        0.5,
    )
    assert ("full", 0) in pg.controls["batch_size"].options and ("64", 64) in pg.controls["batch_size"].options
    pg.controls["units"].value = 3
    assert (pg.config.lr, pg.config.batch_size, pg.config.weight_decay) == (0.05, 64, 0.5)


def test_the_still_picture_holds_the_frame_and_a_strip_of_unit_maps():
    import io

    import PIL.Image

    from helpers.playground.widget import Playground

    trained, flat = Playground("layers=1 units=3"), Playground("layers=0")
    trained.step(3)
    frame = PIL.Image.open(io.BytesIO(trained.image.value))
    with_maps, without = (PIL.Image.open(io.BytesIO(pg.picture())) for pg in (trained, flat))
    assert with_maps.width == frame.width and with_maps.height > without.height > frame.height
    assert trained.run.epoch == 3  # drawing a picture trains nothing


def test_stored_colours_keeps_the_course_colours_exactly():
    """Two thin lines of near colours (train blue, validation green) stay two colours in a stored picture."""
    import PIL.Image
    from matplotlib.colors import to_rgb

    from helpers.playground.widget import STORED_COLOURS, stored_colours
    from helpers.style import CURVE_COLOURS

    rgb = np.full((60, 200, 3), 255, dtype=np.uint8)
    rgb[:, :, 0] = np.linspace(240, 255, 200, dtype=np.uint8)  # a wide soft gradient takes most of the palette
    for row, split in ((20, "train"), (22, "val")):
        rgb[row, 20:180] = [round(255 * c) for c in to_rgb(CURVE_COLOURS[split])]
    reduced = stored_colours(PIL.Image.fromarray(rgb))
    assert reduced.mode == "P" and len(reduced.getcolors()) <= STORED_COLOURS
    back = np.asarray(reduced.convert("RGB"))
    for row, split in ((20, "train"), (22, "val")):
        assert tuple(back[row, 100]) == tuple(round(255 * c) for c in to_rgb(CURVE_COLOURS[split]))
