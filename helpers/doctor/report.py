"""The doctor's report: one line per finding (✅ / ❌ / ℹ️), the numbers, the fix, the lesson.

A :class:`Finding` is one result of one check; a :class:`Report` is the ordered list of them,
shown the same way in a terminal (``print(report)``), in IPython (``_repr_pretty_``) and in a
notebook (``_repr_html_``). Where every finding's lesson section is written lives here too
(:data:`SECTIONS`): one home, so that renaming a lesson changes one line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["Finding", "Report", "SECTIONS"]

OK, PROBLEM, NOTE = "ok", "problem", "note"
_ICONS = {OK: "✅", PROBLEM: "❌", NOTE: "ℹ️"}

_WRONG = 'lesson "When training goes wrong"'
#: The lesson section that explains each finding, by finding id.
SECTIONS = {
    "not_a_tensor": 'lesson "Binary classification: two circles", §1 (tensors, and a train/test split)',
    "length_mismatch": f"{_WRONG}, §2 (ask the doctor: labels apart from their features)",
    "optimizer_not_model": f"{_WRONG}, §2 (ask the doctor: the optimizer made before the model)",
    "labels_unrelated": f"{_WRONG}, §2 (ask the doctor: labels apart from their features)",
    "activation_before_loss": f"{_WRONG}, §2 (ask the doctor: a sigmoid before the loss)",
    "softmax_before_loss": 'lesson "Multi-class classification: four blobs", §3 (loss, optimizer, training)',
    "lr_zero": f"{_WRONG}, §5 (a learning rate far off)",
    "feature_dtype": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "device_mismatch": 'lesson "Binary classification: two circles", §0 (setup: the device)',
    "non_finite_data": f"{_WRONG}, §4 (features on very different scales, and a NaN column)",
    "model_error": f"{_WRONG}, §8 (the checks by hand: look at what goes in)",
    "loss_error": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "bce_needs_probabilities": 'lesson "Binary classification: two circles", §3 (loss, optimizer and accuracy)',
    "float_labels": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "integer_labels": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "labels_out_of_range": 'lesson "Multi-class classification: four blobs", §2 (one output per class)',
    "shape_mismatch": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "feature_scale": f"{_WRONG}, §4 (features on very different scales)",
    "duplicates": 'lesson "Generalisation", §1 (three data sets, three jobs)',
    "initial_loss": f"{_WRONG}, §8 (the checks by hand: the loss at the start)",
    "pretrained": f"{_WRONG}, §8 (the checks by hand: the loss at the start)",
    "dead_units": 'lesson "Non-linearity", §4 (activations by hand)',
    "saturated_units": 'lesson "Non-linearity", §4 (activations by hand)',
    "no_gradient": f"{_WRONG}, §8 (the checks by hand: every layer gets a gradient)",
    "nan_inf": f"{_WRONG}, §8 (the checks by hand: look at what goes in)",
    "exploding_gradients": f"{_WRONG}, §8 (the checks by hand)",
    "vanishing_gradients": 'lesson "Non-linearity", §4 (activations by hand)',
    "lr_too_high": f"{_WRONG}, §5 (a learning rate far off)",
    "lr_too_low": f"{_WRONG}, §5 (a learning rate far off)",
    "linear_only": f"{_WRONG}, §6 (a model that can only draw straight lines)",
    "cannot_fit_batch": f"{_WRONG}, §8 (the checks by hand: overfit one small batch)",
    "optimizer_cannot_fit": f"{_WRONG}, §6 (a model that can only draw straight lines, or an optimizer that cannot)",
    "no_zero_grad": f"{_WRONG}, §7 (a loop that forgets zero_grad)",
    "no_step": 'lesson "Binary classification: two circles", §4 (training V0: the five steps of the loop)',
    "eval_in_train_mode": f"{_WRONG}, §7 (evaluation in training mode)",
    "eval_with_gradients": 'lesson "Generalisation", §6 (model.eval() and torch.inference_mode())',
    "train_not_restored": 'lesson "Generalisation", §6 (model.eval() and torch.inference_mode())',
    "metric_broadcast": f"{_WRONG}, §3 (errors with a cause: shapes and dtypes)",
    "eval_on_train": 'lesson "Generalisation", §1 (three data sets, three jobs)',
    "loss_flat": f"{_WRONG}, §5 (a learning rate far off)",
    "loss_oscillates": f"{_WRONG}, §5 (a learning rate far off)",
    "loss_diverges": f"{_WRONG}, §5 (a learning rate far off)",
    "loss_at_chance": f"{_WRONG}, §8 (the checks by hand: the loss at the start, one small batch)",
    "zero_grad_before_step": f"{_WRONG}, §7 (a loop that forgets zero_grad)",
    "not_watched": f"{_WRONG}, §7 (a loop that forgets zero_grad)",
    "skipped": f"{_WRONG}, §8 (the checks by hand)",
}


@dataclass(frozen=True)
class Finding:
    """One result of one check.

    Attributes:
        id: a stable name of the check's verdict, e.g. ``"no_zero_grad"`` (tests compare it).
        status: ``"ok"`` (✅ the check passed), ``"problem"`` (❌) or ``"note"`` (ℹ️).
        message: what was measured, with its numbers, in one or two sentences.
        fix: what to change (problems), empty otherwise.
        section: the lesson section that explains it; taken from :data:`SECTIONS` when empty.
        values: the numbers behind the fix, for code to use, e.g. ``{"lr": 0.1}``, the learning rate to try,
            for a learning rate far off; empty for most findings.
    """

    id: str
    status: str
    message: str
    fix: str = ""
    section: str = ""
    values: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.status not in _ICONS:
            raise ValueError(f"status must be one of {', '.join(_ICONS)}; got {self.status!r}.")
        if not self.section and self.status != OK:
            object.__setattr__(self, "section", SECTIONS.get(self.id, ""))

    @property
    def icon(self) -> str:
        return _ICONS[self.status]

    def lines(self) -> list[str]:
        """The finding as text lines: the icon and message, then the fix and the section."""
        lines = [f"{self.icon} {self.message}"]
        if self.fix:
            lines.append(f"   Fix: {self.fix}")
        if self.section and self.status != OK:
            lines.append(f"   See: {self.section}")
        return lines


class Report:
    """What the doctor found, in the order it looked (cheap checks first).

    Attributes:
        title: one line saying what was examined or watched.
        entries: every :class:`Finding`, passed checks included, in order.
        stopped: why the doctor stopped early (a finding that makes later numbers meaningless),
            or ``None``.
    """

    def __init__(self, title: str = "Training doctor"):
        self.title = title
        self.entries: list[Finding] = []
        self.stopped: str | None = None

    # -- building -------------------------------------------------------------------------
    def add(self, finding: Finding) -> Finding:
        self.entries.append(finding)
        return finding

    def passed(self, id: str, message: str) -> Finding:
        return self.add(Finding(id, OK, message))

    def problem(self, id: str, message: str, fix: str, values: dict | None = None) -> Finding:
        return self.add(Finding(id, PROBLEM, message, fix, values=dict(values or {})))

    def note(self, id: str, message: str, fix: str = "") -> Finding:
        return self.add(Finding(id, NOTE, message, fix))

    # -- reading --------------------------------------------------------------------------
    @property
    def problems(self) -> list[Finding]:
        """The ❌ findings."""
        return [f for f in self.entries if f.status == PROBLEM]

    @property
    def notes(self) -> list[Finding]:
        """The ℹ️ findings."""
        return [f for f in self.entries if f.status == NOTE]

    @property
    def findings(self) -> list[Finding]:
        """Everything that is not a passed check: problems and notes."""
        return [f for f in self.entries if f.status != OK]

    @property
    def ids(self) -> list[str]:
        """The ids of the problems, in order."""
        return [f.id for f in self.problems]

    @property
    def ok(self) -> bool:
        """True when the doctor found no problem."""
        return not self.problems

    def __bool__(self) -> bool:  # a report is a report, even an empty one; use .ok
        return True

    def summary(self) -> str:
        n = len(self.problems)
        if n == 0:
            verdict = "Nothing wrong found."
        else:
            verdict = f"{n} problem{'s' if n > 1 else ''} found: fix {'them' if n > 1 else 'it'} and ask again."
        if self.stopped:
            verdict += f" Stopped early: {self.stopped}"
        return verdict

    def lines(self) -> list[str]:
        lines = [self.title]
        for finding in self.entries:
            lines.extend(finding.lines())
        lines.append(self.summary())
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"<Report ok={self.ok} problems={self.ids}>"

    def _repr_pretty_(self, printer, cycle):  # IPython's pretty printer (IPython 7.34 and later)
        printer.text(repr(self) if cycle else str(self))

    def _repr_html_(self) -> str:
        rows = []
        for finding in self.entries:
            style = "" if finding.status == OK else "font-weight:600;"
            parts = [f'<div style="{style}">{finding.icon} {html.escape(finding.message)}</div>']
            if finding.fix:
                parts.append(f'<div style="margin-left:1.6em">Fix: {html.escape(finding.fix)}</div>')
            if finding.section and finding.status != OK:
                parts.append(f'<div style="margin-left:1.6em;opacity:0.75">See: {html.escape(finding.section)}</div>')
            rows.append(f'<li style="list-style:none;margin:0.2em 0">{"".join(parts)}</li>')
        return (
            '<div style="font-family:var(--jp-code-font-family, monospace);font-size:0.9em">'
            f"<div><b>{html.escape(self.title)}</b></div>"
            f'<ul style="padding-left:0.4em;margin:0.3em 0">{"".join(rows)}</ul>'
            f"<div><b>{html.escape(self.summary())}</b></div></div>"
        )
