"""The platform the stored notebook outputs were made on.

Training logs print losses to 5 decimals. Their last digits depend on which kernels torch runs:
its version and the CPU's vector instructions (`torch.backends.cpu.get_cpu_capability()`:
AVX512, AVX2, or DEFAULT, the generic kernels other CPUs get). `make outputs` records them in
tests/outputs_platform.json; tests/conftest.py compares training logs as text only on a platform
that matches it, and elsewhere relies on the notebooks' own asserts.

    python tools/outputs_platform.py --write   # record this platform (make outputs does)
    python tools/outputs_platform.py           # print this platform and whether it matches
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

RECORD = Path(__file__).resolve().parents[1] / "tests" / "outputs_platform.json"
# What decides a training log's last digits. "cpu" is only for people reading the record.
COMPARED = ("torch", "cpu_capability", "machine")


def current() -> dict[str, str]:
    """This machine, as the notebook kernels started from this process will see it."""
    import torch

    return {
        "torch": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "machine": platform.machine(),
        "cpu": cpu_name(),
    }


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def recorded() -> dict[str, str] | None:
    return json.loads(RECORD.read_text()) if RECORD.exists() else None


def differences(here: dict[str, str], stored: dict[str, str] | None) -> list[str]:
    """What differs between this platform and the recorded one ([] when the logs must match)."""
    if stored is None:
        return [f"no record in {RECORD.name}"]
    return [
        f"{key} {here.get(key)!r} here, {stored.get(key)!r} stored"
        for key in COMPARED
        if here.get(key) != stored.get(key)
    ]


def main(argv: list[str]) -> int:
    here = current()
    if argv == ["--write"]:
        RECORD.write_text(json.dumps(here, indent=2, sort_keys=True) + "\n")
        print(f"stored outputs' platform recorded in {RECORD.relative_to(Path.cwd())}: {here}")
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    diff = differences(here, recorded())
    print("this platform:", here)
    print("training logs compared as text" if not diff else "training logs not compared: " + "; ".join(diff))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
