"""Configurations that between them use every data set, activation, optimizer and batch mode."""

import pytest

CONFIGS = [
    "",
    "data=xor layers=0 act=none",
    "data=circles layers=1 units=4 act=tanh lr=0.3",
    "data=spirals layers=3 units=12 opt=adam lr=0.01 batch=32 wd=0.001 seed=7",
    "data=moons act=sigmoid batch=100 noise=0.2",
    "data=blobs train=0.02 layers=4 units=32 wd=0.01",
]


@pytest.fixture(params=CONFIGS)
def config_text(request):
    """One of CONFIGS."""
    return request.param
