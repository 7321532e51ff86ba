"""The playground's configuration: its string round-trips, bad values say what is wrong."""

import numpy as np
import pytest

from helpers.playground.config import PlaygroundConfig


def test_the_string_round_trips(config_text):
    config = PlaygroundConfig.from_string(config_text)
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
        ("data=squares", "The 'dataset' parameter of PlaygroundConfig must be one of 'circles'"),
        (
            "layers=5",
            r"The 'layers' parameter of PlaygroundConfig must be an int in the range \[0, 4\]. Got 5 instead.",
        ),
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


def test_a_configuration_checks_its_types_and_ranges():
    """A wrong kind is a TypeError, a wrong value a ValueError, in the one wording of helpers.validation."""
    with pytest.raises(TypeError, match=r"The 'layers' parameter of PlaygroundConfig must be an int in the range"):
        PlaygroundConfig(layers="2")
    with pytest.raises(TypeError, match="The 'layers' parameter"):
        PlaygroundConfig(layers=True)
    with pytest.raises(
        ValueError, match=r"The 'lr' parameter of PlaygroundConfig must be a real number in the range \(0, 10\]"
    ):
        PlaygroundConfig(lr=float("inf"))
    with pytest.raises(ValueError, match="Got 0.0 instead"):
        PlaygroundConfig(lr=0.0)
    config = PlaygroundConfig(layers=np.int64(1), units=np.int64(4), seed=np.int64(7), noise=np.float32(0.25))
    assert str(config).split()[1:5] == ["noise=0.25", "train=0.8", "layers=1", "units=4"]
    assert PlaygroundConfig.from_string(str(config)) == PlaygroundConfig(layers=1, units=4, seed=7, noise=0.25)


def test_the_table_describes_every_field_once():
    import dataclasses

    from helpers.playground.config import FIELDS

    assert [field.name for field in FIELDS] == [field.name for field in dataclasses.fields(PlaygroundConfig)]
    assert len({field.key for field in FIELDS}) == len(FIELDS)
    for field in FIELDS:  # every field's default is in its own range
        field.check(getattr(PlaygroundConfig(), field.name))
