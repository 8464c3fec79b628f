"""Optimizer: parameter groups, per-parameter state, ``step``, ``zero_grad`` and ``state_dict``.

A subclass writes its update rule once, in :meth:`Optimizer.update`, for one parameter: the
base class calls it, under ``no_grad``, for every parameter that has a gradient.
"""

import warnings
from collections import defaultdict

import tinyad

from ..nn.modules import clear_grads
from ..tensor import Tensor


def _typename(value):
    return f"tinyad.{type(value).__name__}" if isinstance(value, Tensor) else type(value).__name__


class Optimizer:
    """Holds ``param_groups`` (dicts of ``params`` and their options, missing options taken
    from ``defaults``) and ``state`` (a dict per parameter, e.g. its momentum buffer)."""

    def __init__(self, params, defaults):
        if defaults.get("differentiable"):  # (the other implementation choices change nothing)
            raise NotImplementedError(
                f"{type(self).__name__}(differentiable=True): tinyad's optimizers step under "
                f"no_grad, so a step cannot be differentiated")
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {_typename(params)}")
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own options (the others from ``defaults``)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead.")
        param_group["params"] = params = list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is "
                    f"{_typename(p)}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        ids = [id(p) for p in params]
        if len(set(ids)) != len(ids):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error", stacklevel=3)
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if taken & set(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: ``grad = None`` (default) or filled with zeros."""
        clear_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """Update every parameter that has a gradient, once. ``closure``, if given, recomputes
        and returns the loss (with gradients enabled) before the update; step returns it."""
        loss = None
        if closure is not None:
            with tinyad.enable_grad():
                loss = closure()
        with tinyad.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        state = self.state.get(p, {})
                        self.update(p, state, group)
                        if state:  # torch keeps no entry for a parameter without state
                            self.state[p] = state
        self._opt_called = True  # for the scheduler's "step order" warning
        return loss

    def update(self, p, state, group):
        """Update parameter ``p`` in place from ``p.grad``, ``state`` (its own dict, kept between
        steps) and ``group`` (its options). Runs under ``no_grad``."""
        raise NotImplementedError

    # ------------------------------------------------------------------ state_dict

    def state_dict(self):
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``, the
        parameters numbered in group order, as torch does.

        The state tensors are the optimizer's own (not copies), as in torch; but tinyad's
        updates replace them with new tensors where torch's write into them, so a state_dict
        taken earlier keeps its values after later steps (torch's would change with them).
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore options and state saved by :meth:`state_dict` (its state tensors, cast to
        their parameter's dtype, except ``step``; as torch's, not copied)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"])
               for g, s in zip(self.param_groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group")
        params = {i: p for s, g in zip(saved_groups, self.param_groups)
                  for i, p in zip(s["params"], g["params"])}
        self.state = defaultdict(dict)
        for i, saved in state_dict["state"].items():
            p = params[i]
            self.state[p] = {k: _copy_state(v, p, k) for k, v in saved.items()}
        self.param_groups = [
            {**{k: v for k, v in s.items() if k != "params"}, "params": g["params"]}
            for s, g in zip(saved_groups, self.param_groups)
        ]

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}"
            for key in sorted(group):
                if key != "params":
                    text += f"\n    {key}: {group[key]}"
        return text + "\n)"


def _copy_state(value, param, key):
    """A state tensor as torch loads it: the very tensor, unless its dtype is cast to the
    parameter's (so two optimizers loaded one from the other share their state, as torch's)."""
    if isinstance(value, Tensor) and key != "step" and value.dtype.kind == "f":
        return value.to(param.dtype)
    return value
