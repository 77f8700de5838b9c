"""A thin neural-network layer on :mod:`autograd`, with PyTorch's names.

    >>> from nn import MLP, mse_loss, SGD
    >>> model = MLP(2, [2, 2], seed=0)          # the article's 2-2-2 sigmoid network
    >>> opt = SGD(model.parameters(), lr=0.5)
    >>> J = mse_loss(model([0.05, 0.10]), [0.01, 0.99], "half_sum")  # J(W) = 1/2 Σ (y-o)²
    >>> opt.zero_grad(); J.backward(); opt.step()

``python -m nn.article`` runs the article's worked example end to end.
"""

from nn.layers import ACTIVATIONS, MLP, Layer, Neuron
from nn.losses import mse_loss
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "mse_loss",
]
