"""The platform the stored notebook outputs were made on.

Training logs (cells tagged "device-dependent-output") print numbers that rounding can move far
on another machine. Their numbers are compared only on the platform recorded here; elsewhere
their words are, and the notebooks assert their results in code (conftest.py, helpers/compare.py).

What decides a training log's digits, measured in benchmarks/README.md ("Rounding across
machines"): torch's version, the vector kernels it runs (`ATEN_CPU_CAPABILITY`: AVX512, AVX2 or
the generic DEFAULT), the CPU's vendor and model (MKL and oneDNN take other code paths on AMD
than on Intel at the same vector width), the instruction limits of MKL and oneDNN, the number of
threads, the BLAS torch was built with, the OS and the architecture. All are recorded and all
must match: a platform that differs in any of them is "another platform".

    python tools/outputs_platform.py --write   # record this platform (make outputs does)
    python tools/outputs_platform.py           # print this platform and whether it matches
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from pathlib import Path

RECORD = Path(__file__).resolve().parents[1] / "tests" / "outputs_platform.json"
# Environment variables that limit the instructions MKL and oneDNN use: each changes rounding.
KNOBS = ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")
COMPARED = ("torch", "cpu_capability", "machine", "cpu_vendor", "cpu", "blas", "os", "threads", "knobs")


def current() -> dict[str, str]:
    """This machine, as the notebook kernels started from this process will see it."""
    import torch

    blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return {
        "torch": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "machine": platform.machine(),
        "cpu_vendor": cpu_field("vendor_id") or platform.processor() or "unknown",
        "cpu": cpu_name(),
        "blas": blas.group(1) if blas else "unknown",
        "os": platform.system(),
        "threads": str(torch.get_num_threads()),
        "knobs": " ".join(f"{k}={os.environ[k]}" for k in KNOBS if os.environ.get(k)) or "none",
    }


def cpu_name() -> str:
    """The CPU's model name, as people read it (benchmarks/README.md names the machine so)."""
    return cpu_field("model name") or platform.processor() or "unknown"


def cpu_field(name: str) -> str:
    """A field of /proc/cpuinfo ("" where there is none: macOS, Windows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.split(":")[0].strip() == name:
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


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
    print("training logs' numbers compared" if not diff else "training logs' numbers not compared: " + "; ".join(diff))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
