"""A playground configuration, described by one table of fields (``FIELDS``).

Each field has its key in the configuration string, its kind, its range or choices, and its
label; validation, parsing, printing and the widgets (``helpers.playground.widget``) all read
this table, so a range is written once and the widgets offer exactly what a configuration allows.

    config = PlaygroundConfig.from_string("data=xor noise=0.1 layers=1 units=4 act=relu")
    str(config)  # 'data=xor noise=0.1 train=0.8 layers=1 units=4 act=relu opt=sgd lr=0.1 batch=full wd=0 seed=42'
"""

from __future__ import annotations

import dataclasses
import math

from helpers.validation import check_choice, check_integer, check_real

__all__ = [
    "DATASETS",
    "ACTIVATIONS",
    "OPTIMIZERS",
    "N_SAMPLES",
    "MAX_LAYERS",
    "MAX_UNITS",
    "Field",
    "FIELDS",
    "PlaygroundConfig",
    "as_config",
]

DATASETS = ("circles", "moons", "blobs", "spirals", "xor")
#: Activation -> the module the generated code writes (None: no activation).
ACTIVATIONS = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()", "none": None}
#: Optimizer -> its class in the generated code.
OPTIMIZERS = {"sgd": "torch.optim.SGD", "adam": "torch.optim.Adam"}
#: Points in every data set, before the train/validation split.
N_SAMPLES = 1000
MAX_LAYERS = 4
MAX_UNITS = 32


@dataclasses.dataclass(frozen=True)
class Field:
    """One setting of a configuration.

    Attributes:
        name: the attribute of ``PlaygroundConfig``.
        key: its key in the configuration string.
        kind: str, int or float.
        label: the widget's description.
        low, high: the allowed range of a number (inclusive unless ``low_open``), None for none.
        choices: a string's allowed values; for a number, the values a drop-down offers (a
            configuration may hold any other value in range, which the drop-down then adds).
        step: a slider's step (a float field without choices is a slider).
        names: value -> its text in the string and the drop-down, where they differ (batch "full").
    """

    name: str
    key: str
    kind: type
    label: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple = ()
    step: float | None = None
    names: tuple = ()

    def check(self, value):
        """The value, checked against this field's kind and range.

        Args:
            value: a configuration's value for this field.

        Returns:
            ``value``'s number or string.

        Raises:
            TypeError: the wrong kind.
            ValueError: out of range, or not one of the choices.
        """
        if self.kind is str:
            return check_choice(value, self.name, "PlaygroundConfig", self.choices)
        if self.kind is int:
            return check_integer(value, self.name, "PlaygroundConfig", low=self.low, high=self.high)
        return check_real(value, self.name, "PlaygroundConfig", low=self.low, high=self.high, low_open=self.low_open)

    def text(self, value) -> str:
        """The value as the configuration string and the drop-downs write it.

        Args:
            value: a valid value.

        Returns:
            "full" for a full batch, "0.1" for 0.1, ...
        """
        names = dict(self.names)
        if value in names:
            return names[value]
        return f"{value:g}" if isinstance(value, float) else str(value)

    def parse(self, text: str):
        """The value a configuration string gives (its range is checked by the configuration).

        Args:
            text: the string after ``key=``.

        Returns:
            The value, of this field's kind.

        Raises:
            ValueError: not of this field's kind, or not finite.
        """
        by_name = {name: value for value, name in self.names}
        if text in by_name:
            return by_name[text]
        if self.kind is str:
            return text.lower()
        try:
            value = self.kind(text)
        except ValueError:
            what = "a whole number" if self.kind is int else "a number"
            raise ValueError(f"{self.key}={text!r}: expected {what}.") from None
        if self.kind is float and not math.isfinite(value):
            raise ValueError(f"{self.key}={text!r}: expected a finite number.")
        return value


#: The settings, in the configuration string's order.
FIELDS = (
    Field("dataset", "data", str, "data", choices=DATASETS),
    Field("noise", "noise", float, "noise", low=0.0, high=1.0, step=0.01),
    Field("train_share", "train", float, "train share", low=0.01, high=0.9, step=0.01),
    Field("layers", "layers", int, "hidden layers", low=0, high=MAX_LAYERS),
    Field("units", "units", int, "units/layer", low=1, high=MAX_UNITS),
    Field("activation", "act", str, "activation", choices=tuple(ACTIVATIONS)),
    Field("optimizer", "opt", str, "optimizer", choices=tuple(OPTIMIZERS)),
    Field(
        "lr",
        "lr",
        float,
        "learning rate",
        low=0.0,
        high=10.0,
        low_open=True,
        choices=(0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
    ),
    Field("batch_size", "batch", int, "batch size", low=0, choices=(0, 10, 32, 100), names=((0, "full"),)),
    Field("weight_decay", "wd", float, "weight decay", low=0.0, high=1.0, choices=(0.0, 0.0001, 0.001, 0.01, 0.1)),
    # sklearn's random_state takes at most 2**32 - 1.
    Field("seed", "seed", int, "seed", low=0, high=2**32 - 1),
)
_BY_KEY = {field.key: field for field in FIELDS}


@dataclasses.dataclass(frozen=True)
class PlaygroundConfig:
    """One playground run: data, model, optimizer and seed. ``batch_size`` 0 means full batch.

    Its short string form (``str(config)`` / ``PlaygroundConfig.from_string``) is what a learner
    copies and pastes to reproduce a run, e.g.
    ``data=circles noise=0.1 train=0.8 layers=2 units=8 act=relu opt=sgd lr=0.1 batch=full wd=0 seed=42``.
    The allowed values of each field are in ``FIELDS``.

    Raises:
        TypeError: a field of the wrong kind.
        ValueError: a field out of its range or choices.
    """

    dataset: str = "circles"
    noise: float = 0.1
    train_share: float = 0.8
    layers: int = 2
    units: int = 8
    activation: str = "relu"
    optimizer: str = "sgd"
    lr: float = 0.1
    batch_size: int = 0
    weight_decay: float = 0.0
    seed: int = 42

    def __post_init__(self):
        for field in FIELDS:
            field.check(getattr(self, field.name))

    @property
    def n_train(self) -> int:
        """The number of training samples."""
        return round(N_SAMPLES * self.train_share)

    def __str__(self) -> str:
        return " ".join(f"{field.key}={field.text(getattr(self, field.name))}" for field in FIELDS)

    @classmethod
    def from_string(cls, text: str, **overrides) -> PlaygroundConfig:
        """Parse ``key=value`` pairs (any order; keys left out keep their defaults).

        Args:
            text: the configuration string.
            **overrides: field names (e.g. ``layers=0``) whose values win over the string.

        Returns:
            The configuration.

        Raises:
            TypeError: ``text`` is not a string.
            ValueError: an unknown key, a pair without ``=``, a value of the wrong kind or range.
        """
        if not isinstance(text, str):
            raise TypeError(f"a configuration is a string like {str(cls())!r}; got {type(text).__name__}.")
        values = {}
        for pair in text.replace(",", " ").split():
            key, sep, value = pair.partition("=")
            if not sep:
                raise ValueError(f"{pair!r} is not key=value; a configuration looks like {str(cls())!r}.")
            if key not in _BY_KEY:
                raise ValueError(f"unknown key {key!r}; the keys are {', '.join(_BY_KEY)}.")
            values[_BY_KEY[key].name] = _BY_KEY[key].parse(value)
        values.update(overrides)
        return cls(**values)


def as_config(config) -> PlaygroundConfig:
    """A configuration from itself or from its string: what the public entry points accept.

    Args:
        config: a ``PlaygroundConfig`` or its string.

    Returns:
        The ``PlaygroundConfig``.

    Raises:
        TypeError / ValueError: as ``PlaygroundConfig.from_string``.
    """
    if isinstance(config, PlaygroundConfig):
        return config
    return PlaygroundConfig.from_string(config)
