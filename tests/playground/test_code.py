"""The code the playground prints: run here, it must give the same numbers as the playground."""

import pytest

from helpers.playground.code import generate_code
from helpers.playground.config import PlaygroundConfig
from helpers.playground.run import run_config


def test_the_printed_code_reproduces_the_run(config_text):
    text = config_text
    epochs = 7
    result = run_config(text, epochs=epochs)
    namespace = {}
    exec(compile(generate_code(text, epochs), "<generated>", "exec"), namespace)
    assert abs(namespace["train_loss"] - result.train_loss) <= 1e-6
    assert abs(namespace["val_loss"] - result.val_loss) <= 1e-6
    assert abs(namespace["val_acc"] - result.val_acc) <= 1e-6


def test_the_printed_code_is_a_complete_cell():
    code = generate_code("data=spirals batch=32", 5)
    for piece in (
        "import torch",
        "from torch import nn",
        "nn.Sequential(",
        "nn.BCEWithLogitsLoss()",
        "torch.optim.SGD(",
        "torch.manual_seed(42)",
        "for epoch in range(5):",
        "model.train()",
        "model.eval()",
    ):
        assert piece in code
    assert code.splitlines()[0] == "# Playground configuration: " + str(
        PlaygroundConfig.from_string("data=spirals batch=32")
    )
    with pytest.raises(ValueError, match="epochs"):
        generate_code("", 0)
