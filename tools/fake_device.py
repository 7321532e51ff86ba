"""Run a lesson's code cells as if `device` were a GPU, on a machine without one.

A lesson written for any device fails on a GPU in ways a CPU never shows: a tensor left on the
GPU compared with a CPU tensor ("Expected all tensors to be on the same device"), or handed to
scikit-learn or NumPy ("can't convert cuda:0 device type tensor to numpy"). This tool finds those
mistakes on the CPU. It runs every code cell of the notebook with ``device = "cuda"`` under a
torch function mode that computes on the CPU but marks every tensor that the lesson sent to the
device (``.to(device)``, ``model.to(device)``, ``torch.tensor(..., device=device)``) and every
tensor computed from one, and it raises as CUDA would:

- an operation mixing a marked tensor with an unmarked one of one element or more (CUDA allows
  only 0-dimensional CPU tensors beside GPU ones), an unmarked tensor indexed by a marked one;
- a marked tensor turned into a NumPy array (``.numpy()``, ``np.asarray``, scikit-learn).

``.cpu()``, ``.to("cpu")`` and ``.item()`` are allowed, as on a GPU. The optimizers' steps run
unmarked (a gradient comes back from autograd without the mark).

    python tools/fake_device.py notebooks/07_real_data.ipynb

Exit status 1, with the cell and the error, at the first mistake.
"""

from __future__ import annotations

import os
import sys
import traceback
import weakref
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["COURSE_DEVICE"] = "cpu"  # the real device; the lesson's `device` is replaced below

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten, tree_map

FAKE = "cuda"


_ON_DEVICE: dict[int, weakref.ref] = {}  # id -> tensor, for every tensor on the fake device


def _marked(value) -> bool:
    if not isinstance(value, torch.Tensor):
        return False
    ref = _ON_DEVICE.get(id(value))
    return ref is not None and ref() is value


def _mark(value):
    if isinstance(value, torch.Tensor) and not _marked(value):
        key = id(value)
        _ON_DEVICE[key] = weakref.ref(value, lambda _, key=key: _ON_DEVICE.pop(key, None))
    return value


def _to_fake(value) -> bool:
    """Whether a device argument names the fake device."""
    if isinstance(value, str):
        return value.split(":")[0] == FAKE
    return isinstance(value, torch.device) and value.type == FAKE


def _to_cpu(value) -> bool:
    return (isinstance(value, str) and value == "cpu") or (isinstance(value, torch.device) and value.type == "cpu")


class DeviceMismatch(RuntimeError):
    pass


_RESULTS_AS_NUMBERS = {"item", "tolist", "__bool__", "__int__", "__float__", "__len__", "__index__", "dim", "size"}


class FakeDevice(TorchFunctionMode):
    """Computes on the CPU; remembers which tensors are on the fake device, and raises as CUDA would."""

    def __init__(self):
        super().__init__()
        self.paused = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self.paused:
            return func(*args, **kwargs)
        name = getattr(func, "__name__", str(func))
        flat, _ = tree_flatten((args, kwargs))
        devices = [v for v in flat if isinstance(v, str | torch.device)]
        if func is torch.Tensor.cpu or (func is torch.Tensor.to and any(_to_cpu(v) for v in devices)):
            result = func(*args, **kwargs)
            return result.clone() if result is args[0] and _marked(args[0]) else result  # a CPU copy
        if func in (torch.Tensor.numpy, torch.Tensor.__array__) and _marked(args[0]):
            raise TypeError(
                f"can't convert {FAKE}:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."
            )
        if func is torch.Tensor.cuda or any(_to_fake(v) for v in devices):
            args, kwargs = tree_map(lambda v: "cpu" if _to_fake(v) else v, (args, kwargs))
            if func is torch.Tensor.cuda:
                func, args = torch.Tensor.to, (args[0], "cpu")
            result = func(*args, **kwargs)
            if any(result is t for t in flat if isinstance(t, torch.Tensor) and not _marked(t)):
                result = result.clone()  # a copy on the device: the CPU tensor stays where it is
            return tree_map(_mark, result)
        tensors = [v for v in flat if isinstance(v, torch.Tensor)]
        marked = [t for t in tensors if _marked(t)]
        if not marked:
            return func(*args, **kwargs)
        if name in ("__getitem__", "__setitem__"):
            if not _marked(args[0]):
                raise DeviceMismatch(f"indices on {FAKE} used to index a CPU tensor ({name})")
        else:
            plain = [t for t in tensors if not _marked(t) and t.dim() > 0]
            if plain:
                raise DeviceMismatch(
                    f"Expected all tensors to be on the same device, but found at least two devices, {FAKE}:0 and cpu! "
                    f"(in {name}: a CPU tensor of shape {list(plain[0].shape)})"
                )
        result = func(*args, **kwargs)
        if name in _RESULTS_AS_NUMBERS:
            return result
        return tree_map(_mark, result)


def _module_to(original):
    def to(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if any(_to_fake(v) for v in (*args, *kwargs.values())):
            for tensor in (*self.parameters(), *self.buffers()):
                _mark(tensor)
        return result

    return to


def run(notebook: Path) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    torch.set_num_threads(1)
    torch.nn.Module.to = _module_to(torch.nn.Module.to)  # model.to(device) puts its parameters on the device
    mode = FakeDevice()
    for optimizer in (torch.optim.SGD, torch.optim.Adam):  # gradients come back unmarked: step without the check
        step = optimizer.step

        def paused_step(self, *args, _step=step, **kwargs):
            mode.paused += 1
            try:
                return _step(self, *args, **kwargs)
            finally:
                mode.paused -= 1

        optimizer.step = paused_step
    plt.show = lambda *args, **kwargs: plt.close("all")
    namespace = {"__name__": "__main__"}
    cells = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    import contextlib
    import io

    for index, cell in enumerate(cells):
        source = cell.source
        try:
            with mode, contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<code cell {index}>", "exec"), namespace)
        except Exception:
            print(f"{notebook.name}: code cell {index} fails on a GPU:")
            traceback.print_exc(limit=-3)
            return 1
        if "device" in namespace and namespace["device"] != FAKE:
            namespace["device"] = FAKE  # from the cell that set it on: the lesson's device is the fake GPU
        plt.close("all")
    print(f"{notebook.name}: {len(cells)} code cells ran with device = {FAKE!r} (simulated), no tensor mixed devices")
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
