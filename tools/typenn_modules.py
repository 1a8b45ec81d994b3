# SPDX-License-Identifier: BSL-1.0
"""PyTorch modules that mirror typenn combinators, so that state_dict keys match typenn's.

Seq<...> is nn.Sequential; Residual<Body> / Residual<Body, Shortcut> is `Residual` below.
"""
from torch import nn


class Residual(nn.Module):
    """body(x) + shortcut(x), or body(x) + x without a shortcut (keys "body.", "shortcut.")."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        shortcut = getattr(self, "shortcut", None)
        return self.body(x) + (x if shortcut is None else shortcut(x))
