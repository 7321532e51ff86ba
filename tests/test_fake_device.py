"""tools/fake_device.py: a tensor sent to the simulated GPU fails where it would fail on a real one."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score
from torch import nn

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("fake_device", ROOT / "tools" / "fake_device.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    original = nn.Module.to
    nn.Module.to = module._module_to(original)
    yield module
    nn.Module.to = original


def test_a_tensor_sent_to_the_device_cannot_meet_a_cpu_tensor(tool):
    with tool.FakeDevice():
        on_device, on_cpu = torch.ones(4).to("cuda"), torch.ones(4)
        with pytest.raises(tool.DeviceMismatch, match="same device"):
            on_device == on_cpu  # noqa: B015 (the comparison is the test)
        with pytest.raises(tool.DeviceMismatch, match="same device"):
            (on_device + 1) * on_cpu  # a result computed on the device is on the device
        assert (on_device * torch.tensor(2.0)).sum().item() == 8  # a 0-dimensional CPU tensor is allowed, as on CUDA
        assert torch.equal(on_device.cpu() == on_cpu, torch.ones(4, dtype=torch.bool))
        assert on_cpu.sum().item() == 4  # the CPU tensor was not moved by .to


def test_numpy_and_scikit_learn_refuse_a_device_tensor_but_take_its_cpu_copy(tool):
    with tool.FakeDevice():
        scores = torch.tensor([0.1, 0.8, 0.3, 0.9], device="cuda")
        labels = np.array([0, 1, 0, 1])
        with pytest.raises(TypeError, match="cuda:0 device type tensor to numpy"):
            np.asarray(scores)
        with pytest.raises(TypeError, match="cuda:0 device type tensor to numpy"):
            roc_auc_score(labels, scores)
        assert roc_auc_score(labels, scores.cpu()) == 1.0


def test_a_model_sent_to_the_device_trains_on_device_batches_only(tool):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    with tool.FakeDevice() as mode:
        model = model.to("cuda")
        X, y = torch.randn(8, 3), torch.ones(8)
        with pytest.raises(tool.DeviceMismatch, match="in linear"):
            model(X)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss = nn.BCEWithLogitsLoss()(model(X.to("cuda")).squeeze(1), y.to("cuda"))
        optimizer.zero_grad()
        loss.backward()
        mode.paused += 1  # as the tool runs an optimizer's step: its gradients come back without the mark
        optimizer.step()
        mode.paused -= 1
        with pytest.raises(tool.DeviceMismatch):
            torch.sigmoid(model(X.to("cuda")).squeeze(1)) >= y  # noqa: B015
        assert (torch.sigmoid(model(X.to("cuda")).squeeze(1)).cpu() >= 0).all()


def test_indexing_a_cpu_tensor_with_device_indices_fails_and_the_other_way_round_does_not(tool):
    with tool.FakeDevice():
        on_device, on_cpu = torch.arange(5.0).to("cuda"), torch.arange(5.0)
        assert on_device[torch.tensor([0, 2])].sum().item() == 2
        with pytest.raises(tool.DeviceMismatch, match="index a CPU tensor"):
            on_cpu[torch.tensor([0, 2]).to("cuda")]


def test_the_helpers_lesson_07_calls_take_device_tensors_and_leave_them_there(tool):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import helpers

    with tool.FakeDevice():
        y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0], device="cuda")
        probs = torch.tensor([0.1, 0.8, 0.4, 0.3, 0.9, 0.6], device="cuda")
        assert helpers.accuracy_fn(y, (probs >= 0.5).float()) == 100 * 4 / 6
        assert helpers.roc_curve(y, probs).area == pytest.approx(8 / 9)
        assert helpers.pr_curve(y, probs).kind == "pr"
        assert helpers.threshold_for_recall(y, probs, 1.0) == pytest.approx(0.4)  # the lowest malignant score
        assert helpers.plot_reliability_diagram(y, probs, n_bins=2).data.count.sum() == 6
        assert "0.10 to 0.90" in helpers.describe_spread("probs", probs)
        plt.close("all")
        assert tool._marked(y) and tool._marked(probs)  # still on the device
