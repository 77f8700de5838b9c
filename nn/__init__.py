"""A thin neural-network layer on :mod:`autograd`, with PyTorch's names.

    >>> from nn import MLP, mse_loss, SGD
    >>> model = MLP(2, [2, 2], activation="sigmoid", seed=0)  # the article's 2-2-2 network
    >>> opt = SGD(model.parameters(), lr=0.5)
    >>> J = mse_loss(model([0.05, 0.10]), [0.01, 0.99], "half_sum")  # J(W) = 1/2 Σ (y-o)²
    >>> opt.zero_grad(); J.backward(); opt.step()

``MLP(2, [16, 16, 1])`` is micrograd's network (ReLU hidden layers, linear output), and
``random.seed(1337)`` before it gives micrograd's weights; as micrograd's, ``model(x)`` is the
output Value itself for one output (a list for several). Modules are written as in PyTorch
(assign Values, Modules and lists of them, define ``forward``) or as in micrograd (override
``parameters()``); ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid``, ``MSELoss``
are thin PyTorch-named pieces over the same nodes (``Linear`` and ``Sequential`` always
return lists), and ``SGD``, ``Adam``, ``AdamW`` compute what ``torch.optim`` computes.

``python -m nn.article`` runs the article's worked example end to end.
"""

# first: another distribution's `nn` or `autograd` beside ours is an ImportError
from autograd import _install  # noqa: F401
from nn.layers import (
    ACTIVATIONS,
    MAX_LAYER_WEIGHTS,
    MLP,
    Layer,
    Linear,
    Neuron,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from nn.losses import MSELoss, mse_loss
from nn.module import Module
from nn.optim import SGD, Adam, AdamW, Optimizer

__all__ = [
    "ACTIVATIONS",
    "MAX_LAYER_WEIGHTS",
    "MLP",
    "SGD",
    "Adam",
    "AdamW",
    "Layer",
    "Linear",
    "MSELoss",
    "Module",
    "Neuron",
    "Optimizer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "mse_loss",
]
