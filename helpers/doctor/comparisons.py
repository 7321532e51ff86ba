"""Comparisons in a watched loop that broadcast [N, 1] against [N]: a metric that cannot be right.

``(y_preds == y).sum()`` with ``y_preds`` of shape [N, 1] and ``y`` of shape [N] compares every
prediction with every label ([N, N]) and counts matches among N * N pairs: an "accuracy" that is
not one (it can even exceed 100%). ``watch`` notes such comparisons while the loop runs; the
results the loop computes are left exactly as they were.
"""

from __future__ import annotations

import torch

__all__ = ["BroadcastComparisons"]


def _broadcasts_column_against_row(a, b) -> bool:
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
        return False
    shapes = {tuple(a.shape), tuple(b.shape)}
    if len(shapes) != 2:
        return False
    column = next((s for s in shapes if len(s) == 2 and s[1] == 1), None)
    row = next((s for s in shapes if len(s) == 1), None)
    return column is not None and row is not None and column[0] == row[0] > 1


class BroadcastComparisons:
    """Notes ``==`` and ``torch.eq`` calls between an [N, 1] and an [N] tensor while started.

    ``seen`` holds the shapes of the first such comparison and ``count`` how many there were.
    """

    def __init__(self):
        self.seen: tuple[list[int], list[int]] | None = None
        self.count = 0
        self._saved = None

    def _note(self, a, b) -> None:
        if _broadcasts_column_against_row(a, b):
            self.count += 1
            if self.seen is None:
                self.seen = (list(a.shape), list(b.shape))

    def start(self) -> None:
        if self._saved is not None:
            return
        tensor_eq, torch_eq = torch.Tensor.__eq__, torch.eq
        self._saved = (tensor_eq, torch_eq)

        def watched_tensor_eq(a, b):
            self._note(a, b)
            return tensor_eq(a, b)

        def watched_torch_eq(a, b, *args, **kwargs):
            self._note(a, b)
            return torch_eq(a, b, *args, **kwargs)

        torch.Tensor.__eq__ = watched_tensor_eq
        torch.eq = watched_torch_eq

    def stop(self) -> None:
        if self._saved is None:
            return
        torch.Tensor.__eq__, torch.eq = self._saved
        self._saved = None
