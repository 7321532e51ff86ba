"""helpers.live: the live training view draws what the model predicts, updates one output in
place, draws only the final frame when told to, and never changes the model."""

import io

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from helpers import live as live_module
from helpers.decision import data_extent, decision_regions
from helpers.environment import LIVE_VIEW_ENV_VAR
from helpers.live import LiveView, TrainingFigure, frame_due
from helpers.playground.run import make_data
from helpers.plotting import regions_to_rgba
from helpers.style import CURVE_COLOURS


@pytest.fixture(scope="module")
def data():
    return make_data("data=circles noise=0.05")


def model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_final_only_draws_one_frame_at_finish(data):
    X_train, X_test, y_train, y_test = data
    live = LiveView(X_train, y_train, X_test, y_test, final_only=True)
    for epoch in range(0, 100, 10):
        live.update(model(epoch), epoch, train_loss=1.0 / (epoch + 1), test_loss=torch.tensor(0.5))
    assert live.frames_drawn == 0 and live.png is None
    live.finish()
    assert live.frames_drawn == 1 and live.history["epoch"][-1] == 90


def test_the_final_frame_shows_the_last_update_s_model(data):
    """Final-only and live views of the same run end on the same picture."""
    X_train, X_test, y_train, y_test = data
    frames = []
    for final_only in (True, False):
        live = LiveView(X_train, y_train, X_test, y_test, final_only=final_only, max_share=1.0, frames_per_second=1e9)
        for epoch in range(3):
            live.update(model(epoch), epoch, train_loss=1.0, test_loss=0.9, train_acc=50, test_acc=60)
        live.finish()
        frames.append(live.png)
        assert live.frames_drawn == (1 if final_only else 3)
    assert np.array_equal(pixels(frames[0]), pixels(frames[1]))


def test_a_fast_frame_equals_a_full_redraw(data):
    """Frames paste a stored background and redraw only what changes; the result must be the
    picture a full redraw gives."""
    X_train, X_test, y_train, _ = data
    extent = data_extent(X_train, X_test)
    history = {
        "epoch": [0, 5],
        "train_loss": [0.7, 0.6],
        "test_loss": [0.72, 0.65],
        "train_acc": [50, 60],
        "test_acc": [48, 58],
    }
    first = TrainingFigure(X_train, y_train, extent, epochs=10)
    first.draw(decision_regions(model(1), extent), history, 0)
    fast = first.draw(decision_regions(model(2), extent), history, 5)
    assert first.full_draws == 1
    fresh = TrainingFigure(X_train, y_train, extent, epochs=10)
    fresh._fit_axes({"train_loss": [0.7, 0.6], "test_loss": [0.72]})  # the same loss axis as `first`
    full = fresh.draw(decision_regions(model(2), extent), history, 5)
    assert np.array_equal(pixels(fast), pixels(full))


def test_the_regions_drawn_are_the_model_s(data):
    X_train, X_test, y_train, y_test = data
    live = LiveView(X_train, y_train, X_test, y_test, final_only=True)
    net = model(3)
    live.update(net, 0)
    live.finish()
    expected = regions_to_rgba(decision_regions(net, live.extent, grid_resolution=100))
    assert np.array_equal(live.figure.image.get_array(), expected)


def test_the_model_is_left_as_it_was(data):
    X_train, X_test, y_train, y_test = data
    net = model(4).double()
    net.train()
    net[1].eval()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    live = LiveView(X_train, y_train, X_test, y_test, max_share=1.0)
    live.update(net, 0, train_loss=torch.tensor(0.7, requires_grad=True))
    live.finish()
    assert net.training and not net[1].training and net[0].training
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert next(net.parameters()).dtype == torch.float64 and next(net.parameters()).device.type == "cpu"


def test_the_axis_grows_with_a_run_longer_than_expected(data):
    X_train, X_test, y_train, y_test = data
    live = LiveView(X_train, y_train, final_only=True)
    live.update(model(), 0, train_loss=0.7).update(model(), 250, train_loss=0.5)
    live.finish()
    assert live.figure.ax_loss.get_xlim()[1] >= 250


def test_updates_replace_one_output_in_place(data, monkeypatch):
    X_train, X_test, y_train, y_test = data
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(("update", obj.data))

    def display(obj, display_id=None):
        assert display_id is True
        shown.append(("display", obj.data))
        return Handle()

    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", display)
    live = LiveView(X_train, y_train, max_share=1.0, frames_per_second=1e9, final_only=False)
    for epoch in range(3):
        live.update(model(epoch), epoch, train_loss=0.5)
    live.finish()
    assert [kind for kind, _ in shown] == ["display", "update", "update"]
    assert shown[0][1] != shown[-1][1] and shown[-1][1] == live.png


def test_the_first_update_is_drawn_at_once_and_a_burst_waits(data):
    """The picture appears as the loop starts; a burst of quick updates after it waits for the
    pace (at most frames_per_second) and the share."""
    X_train, _, y_train, _ = data
    live = LiveView(X_train, y_train, final_only=False)
    live.update(model(), 0, train_loss=0.5)
    assert live.frames_drawn == 1
    for epoch in range(1, 20):
        live.update(model(), epoch, train_loss=0.5)
    assert live.frames_drawn < 20
    live.finish()
    assert live._drawn_epoch == live.history["epoch"][-1] == 19  # the last one


@pytest.mark.parametrize(
    ("now", "last", "spent", "frame", "share", "due"),
    [
        (0.0, None, 0.5, 0.0, 0.2, True),  # the first frame: at once, whatever it costs
        (1.0, 0.9, 0.0, 0.0, 0.2, False),  # 0.1 s after the last frame: faster than 4 a second
        (1.1, 0.7, 0.16, 0.0, 0.2, True),  # paced; 0.16 s is within 20% of the loop's 0.84 s
        (1.1, 0.7, 0.17, 0.0, 0.2, False),  # paced, but 0.17 s is over 20% of the loop's 0.83 s
        (1.1, 0.7, 0.13, 0.02, 0.2, True),  # with two 20 ms frames in reserve: 0.17 s, within 0.174 s
        (1.1, 0.7, 0.13, 0.03, 0.2, False),  # two 30 ms frames: 0.19 s, over 0.174 s
        (1.1, 0.7, 0.9, 0.1, 1.0, True),  # a share of 1: no limit but the pace
        (1.0, 0.9, 0.0, 0.0, 1.0, False),
    ],
)
def test_frame_due(now, last, spent, frame, share, due):
    first_done = None if last is None else 0.1
    assert (
        frame_due(
            now,
            last_frame_at=last,
            first_frame_done_at=first_done,
            seconds_since_first=spent,
            max_share=share,
            frames_per_second=4,
            frame_seconds=frame,
        )
        is due
    )


def frames_in_a_loop(monkeypatch, data, seconds: float, updates_per_second: float = 20.0) -> int:
    """Frames a loop of `seconds` shows, on a set clock: lesson 03's pace (an update every 50
    epochs of about 2.5 ms) and the costs measured in a kernel (making the figure 20 ms, the
    first frame 70 ms, a later frame 20 ms, a copy of the weights for an update not drawn 0.2 ms)."""
    clock = [0.0]
    monkeypatch.setattr(live_module.time, "perf_counter", lambda: clock[0])
    drawn = []

    def draw(self):
        self._last_frame_at = clock[0]
        clock[0] += 0.070 if not drawn else 0.020  # the view's seconds: measured around _draw by update
        self.figure.frame_seconds = 0.020  # what the figure measures: a frame without a full redraw
        drawn.append(self.history["epoch"][-1])
        self._drawn_epoch = self.history["epoch"][-1]
        self.frames_drawn += 1

    monkeypatch.setattr(LiveView, "_draw", draw)
    X_train, _, y_train, _ = data
    live = LiveView(X_train, y_train, final_only=False)
    clock[0] += 0.020  # making the figure
    net = model()
    loop = 0.0
    for update in range(int(seconds * updates_per_second)):
        live.update(net, update, train_loss=0.5)
        if live._drawn_epoch != update:
            clock[0] += 0.0002
        clock[0] += 1.0 / updates_per_second  # the loop's own work
        loop += 1.0 / updates_per_second
    live.finish()
    # benchmarks/bench.py's measure: after its first frame, the view (the last frame included)
    # costs at most 20% of the loop's own time
    assert live.seconds - live.first_frame_seconds <= 0.2 * loop
    return live.frames_drawn


@pytest.mark.parametrize(("seconds", "frames"), [(1, 7), (3, 21), (10, 67)])
def test_how_many_frames_a_loop_shows(monkeypatch, data, seconds, frames):
    """A loop of 1 s shows several frames, the first at once, then at a steady pace (at most 8 a second)."""
    assert frames_in_a_loop(monkeypatch, data, seconds) == frames


def test_the_environment_variable_chooses_the_mode(data, monkeypatch):
    X_train, _, y_train, _ = data
    monkeypatch.setenv(LIVE_VIEW_ENV_VAR, "final")
    assert LiveView(X_train, y_train).final_only
    monkeypatch.setenv(LIVE_VIEW_ENV_VAR, "live")
    assert not LiveView(X_train, y_train).final_only
    monkeypatch.setenv(LIVE_VIEW_ENV_VAR, "sometimes")
    with pytest.raises(ValueError, match="COURSE_LIVE_VIEW"):
        LiveView(X_train, y_train)


def test_clear_errors(data):
    X_train, _, y_train, _ = data
    live = LiveView(X_train, y_train, final_only=True)
    with pytest.raises(RuntimeError, match="update"):
        live.finish()
    live.update(model(), 5)
    with pytest.raises(ValueError, match="epochs must increase"):
        live.update(model(), 5)
    with pytest.raises(ValueError, match="one number"):
        live.update(model(), 6, train_loss=torch.ones(3))
    live.finish()
    with pytest.raises(RuntimeError, match="finished"):
        live.update(model(), 7)
    with pytest.raises(ValueError, match="max_share"):
        LiveView(X_train, y_train, max_share=0)
    with pytest.raises(ValueError, match="shape"):
        LiveView(X_train[:, :1], y_train)


def test_finish_draws_the_last_update_even_if_the_model_trained_on(data):
    X_train, X_test, y_train, y_test = data
    net = model(5)
    live = LiveView(X_train, y_train, X_test, y_test, final_only=True)
    live.update(net, 0)
    expected = regions_to_rgba(decision_regions(net, live.extent))
    with torch.no_grad():
        net[0].weight.mul_(-1.0)  # "training" after the last update
    after = {k: v.clone() for k, v in net.state_dict().items()}
    live.finish()
    assert np.array_equal(live.figure.image.get_array(), expected)
    assert all(torch.equal(after[k], v) for k, v in net.state_dict().items())


def test_final_only_makes_the_output_area_at_the_first_update_too(data, monkeypatch):
    """The same outputs, in the same order, whichever mode ran the cell: nbval compares them."""
    X_train, _, y_train, _ = data
    shown = []

    class Handle:
        def update(self, obj):
            shown.append("update")

    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj, display_id=None: shown.append("display") or Handle())
    live = LiveView(X_train, y_train, final_only=True)
    live.update(model(), 0)
    assert shown == ["display"] and live.frames_drawn == 0
    live.update(model(), 1)
    live.finish()
    assert shown == ["display", "update"] and live.frames_drawn == 1


def test_a_multi_class_model_and_tensor_metrics(data):
    """The spirals exercise: three classes, int64 labels, torchmetrics-style tensor accuracies."""
    from helpers.data import make_spirals

    X, y = make_spirals()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))
    live = LiveView(X, y, final_only=True)
    live.update(net, 0, train_loss=torch.tensor(1.1), train_acc=torch.tensor(0.4))
    live.finish()
    expected = regions_to_rgba(decision_regions(net, live.extent))
    assert np.array_equal(live.figure.image.get_array(), expected) and live.png
    assert live.history["train_acc"] == [pytest.approx(0.4)]


def test_the_frame_reads_like_the_lessons_figures(data):
    """The regions keep ticks and their aspect, show the boundary (p = 0.5) as the lessons' boundary
    figures do, and their legend lies beside them, off the data; at least 100 dpi."""
    from helpers.decision import boundary_lines

    X_train, X_test, y_train, y_test = data
    live = LiveView(X_train, y_train, X_test, y_test, final_only=True)
    net = model(6)
    live.update(net, 0)
    live.finish()
    figure = live.figure
    assert figure.figure.dpi >= 100
    assert len(figure.ax_regions.get_xticks()) >= 3 and len(figure.ax_regions.get_yticks()) >= 3
    assert figure.ax_regions.get_aspect() == 1.0
    expected = boundary_lines(decision_regions(net, live.extent))
    drawn = figure.boundary.get_segments()
    assert len(drawn) == len(expected) > 0
    assert all(np.allclose(a, b) for a, b in zip(drawn, expected))
    legend = figure.ax_regions.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["class 0", "class 1", "p = 0.5"]
    renderer = figure.canvas.get_renderer()
    legend_box = legend.get_window_extent(renderer)
    assert legend_box.x0 >= figure.ax_regions.get_window_extent(renderer).x1  # beside the regions
    assert legend_box.x1 <= figure.ax_loss.get_tightbbox(renderer).x0  # clear of the loss panel's labels


def test_a_multi_class_frame_has_no_boundary_line(data):
    from helpers.data import make_spirals

    X, y = make_spirals()
    live = LiveView(X, y, final_only=True)
    live.update(nn.Sequential(nn.Linear(2, 3)), 0)
    live.finish()
    assert live.figure.boundary.get_segments() == []
    assert "p = 0.5" not in [text.get_text() for text in live.figure.ax_regions.get_legend().get_texts()]


def test_png_bytes_keeps_the_picture_and_drops_only_an_alpha_that_says_nothing():
    rng = np.random.default_rng(0)
    opaque = rng.integers(0, 256, size=(5, 7, 4), dtype=np.uint8)
    opaque[..., 3] = 255
    see_through = opaque.copy()
    see_through[0, 0, 3] = 10
    for picture, mode in ((opaque, "RGB"), (see_through, "RGBA")):
        decoded = Image.open(io.BytesIO(live_module.png_bytes(picture)))
        assert decoded.mode == mode
        assert np.array_equal(np.asarray(decoded.convert("RGBA")), picture)


def test_a_validation_split_is_drawn_and_named_as_one(data):
    """The playground's held-out split is a validation set: its curves are "val_*", in the
    validation colour, named "validation"; the test split's keys then draw nothing."""
    X_train, X_test, y_train, _ = data
    figure = TrainingFigure(X_train, y_train, data_extent(X_train, X_test), epochs=10, held_out="val")
    history = {"epoch": [1, 2], "train_loss": [0.7, 0.6], "val_loss": [0.72, 0.65], "test_loss": [9.0, 9.0]}
    figure.draw(decision_regions(model(1), data_extent(X_train, X_test)), history, 2)
    assert sorted(figure.lines) == ["train_acc", "train_loss", "val_acc", "val_loss"]
    assert list(figure.lines["val_loss"].get_ydata()) == [0.72, 0.65]
    assert figure.lines["val_loss"].get_color() == CURVE_COLOURS["val"]
    assert [t.get_text() for t in figure.ax_loss.get_legend().get_texts()] == ["train", "validation"]
    assert figure.ax_loss.get_ylim()[1] < 9  # the test split's numbers are not this figure's


@pytest.mark.parametrize("held_out, error", [("validation", ValueError), (["val"], TypeError)])
def test_training_figure_checks_its_held_out_split(data, held_out, error):
    X_train, X_test, y_train, _ = data
    with pytest.raises(error, match="held_out"):
        TrainingFigure(X_train, y_train, data_extent(X_train, X_test), held_out=held_out)
