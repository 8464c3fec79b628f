"""The "PyTorch Autograd" lab, run with tinyad and with torch.autograd from one implementation.

Every experiment takes the engine as a parameter: a module with torch's API (``tinyad`` or
``torch``), whose ``nn.functional`` is used as ``F``.

* :mod:`lab2.data`: the bundled Iris data (the UCI copy, with its two known differences from
  Fisher's paper in rows 35 and 38), centred for part 1 and split as the lab does for part 2.
* :mod:`lab2.factorise`: :func:`gd_factorise_ad` and :func:`truncated_svd` (part 1).
* :mod:`lab2.subspace`: the gradient-descent factor against PCA, in numbers (part 2).
* :mod:`lab2.mlp`: the 4-12-3 MLP trained with hand-written updates (part 3), with one bias
  per unit (the student's report) or one per layer (``bias="scalar"``).
* :mod:`lab2.student`: the figures of the student's report, placed among lab2's runs from
  many seeds.
* ``python -m lab2``: everything, with a report, figures and JSON.
"""

from .factorise import gd_factorise_ad, truncated_svd
from .mlp import train_mlp

__all__ = ["gd_factorise_ad", "train_mlp", "truncated_svd"]
