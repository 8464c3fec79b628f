"""The same random numbers on both engines: every draw comes from one seeded numpy stream.

torch and tinyad have different generators, so ``torch.rand(150, 2)`` starts a program from
different values on each, and nothing printed afterwards is comparable. :class:`SharedRandom`
replaces, on the engine the program sees as ``torch``, the random factories and in-place
samplers it *has* (``rand``, ``randn``, ``randint``, ``rand_like``, ``randn_like``,
``randint_like``, ``randperm``, ``normal``, ``manual_seed``, ``Tensor.uniform_``,
``Tensor.normal_``) with functions that draw from ``numpy.random.default_rng(seed)`` in float64
and round to the requested dtype. ``torch.nn.init`` (and so ``nn.Linear``'s initialisation) draws
through ``uniform_`` and ``normal_``, so it follows. ``multinomial``, ``bernoulli``,
``Tensor.bernoulli_`` and ``Tensor.exponential_`` run the engine's own (its checks, its result's
dtype, flags and node) and then write into the result, under no_grad, values drawn from the
stream (multinomial's as tinyad draws them: ``tinyad.random.categorical``). Names the engine
does not have are not added: a program that needs one still fails on that engine, as it would
without the comparison.

The stream starts from seed 0; ``manual_seed(s)`` restarts it from ``s`` (and still seeds the
engine's own generator). ``generator=`` arguments are ignored: there is one stream.
"""

import numpy as np

DEFAULT_SEED = 0


def _shape(size, kwargs, who):
    if "size" in kwargs:
        size = (kwargs.pop("size"),)
    elif not size:  # (as torch's)
        raise TypeError(f'{who}() missing 1 required positional arguments: "size"')
    if len(size) == 1 and not isinstance(size[0], int) and hasattr(size[0], "__len__"):
        size = tuple(size[0])
    return tuple(int(s) for s in size)


def _numpy(x):
    return x.detach().numpy() if hasattr(x, "detach") else np.asarray(x)


class SharedRandom:
    """Installs the shared stream on ``engine`` (the module the program imports as torch)."""

    FACTORIES = ("rand", "randn", "randint", "rand_like", "randn_like", "randint_like",
                 "randperm", "normal", "manual_seed", "multinomial", "bernoulli")
    METHODS = ("uniform_", "normal_", "bernoulli_", "exponential_")

    def __init__(self, engine, seed=DEFAULT_SEED):
        self.engine = engine
        self.rng = np.random.default_rng(seed)
        self.saved = []  # (owner, name, original) to restore
        self.methods = {}  # name -> the Tensor method replaced, to call

    # ------------------------------------------------------------------ helpers

    def _default_dtype(self):
        getter = getattr(self.engine, "get_default_dtype", None)
        return getter() if getter is not None else self.engine.float32

    def _make(self, array, dtype, requires_grad=False, device=None):
        kwargs = {"dtype": dtype}
        if device is not None:
            kwargs["device"] = device
        t = self.engine.tensor(array, **kwargs)
        return t.requires_grad_(True) if requires_grad else t

    # ------------------------------------------------------------------ factories

    def rand(self, *size, dtype=None, requires_grad=False, device=None, generator=None, **kw):
        """Uniform on [0, 1)."""
        shape = _shape(size, kw, "rand")
        return self._make(self.rng.random(shape), dtype or self._default_dtype(), requires_grad,
                          device)

    def randn(self, *size, dtype=None, requires_grad=False, device=None, generator=None, **kw):
        """Standard normal."""
        shape = _shape(size, kw, "randn")
        return self._make(self.rng.standard_normal(shape), dtype or self._default_dtype(),
                          requires_grad, device)

    def randint(self, *args, dtype=None, requires_grad=False, device=None, generator=None, **kw):
        """Integers uniform on [low, high): randint(high, size) or randint(low, high, size)."""
        args = list(args)
        size = kw.pop("size", None)
        if size is None:
            size = args.pop()
        low = kw.pop("low", 0)
        high = kw.pop("high", None)
        if high is None:
            high = args.pop()
        if args:
            low = args.pop()
        values = self.rng.integers(int(low), int(high), size=tuple(size))
        return self._make(values, dtype or self.engine.int64, requires_grad, device)

    def rand_like(self, input, dtype=None, requires_grad=False, device=None, **kw):
        return self._make(self.rng.random(tuple(input.shape)), dtype or input.dtype,
                          requires_grad, device)

    def randn_like(self, input, dtype=None, requires_grad=False, device=None, **kw):
        return self._make(self.rng.standard_normal(tuple(input.shape)), dtype or input.dtype,
                          requires_grad, device)

    def randint_like(self, input, low=0, high=None, dtype=None, requires_grad=False,
                     device=None, **kw):
        if high is None:
            low, high = 0, low
        values = self.rng.integers(int(low), int(high), size=tuple(input.shape))
        return self._make(values, dtype or input.dtype, requires_grad, device)

    def randperm(self, n, dtype=None, requires_grad=False, device=None, generator=None, **kw):
        return self._make(self.rng.permutation(int(n)), dtype or self.engine.int64,
                          requires_grad, device)

    def normal(self, mean=0.0, std=1.0, size=None, *, dtype=None, requires_grad=False,
               device=None, generator=None, **kw):
        """normal(mean, std[, size]): mean and std are numbers or tensors (broadcast)."""
        tensors = [x for x in (mean, std) if hasattr(x, "shape")]
        if size is not None:
            shape = tuple(size)
            dtype = dtype or self._default_dtype()
        else:
            shape = np.broadcast_shapes(*(tuple(t.shape) for t in tensors)) if tensors else ()
            dtype = dtype or (tensors[0].dtype if tensors else self._default_dtype())
        z = self.rng.standard_normal(shape)
        values = _numpy(mean).astype(np.float64) + _numpy(std).astype(np.float64) * z
        return self._make(values, dtype, requires_grad, device)

    def manual_seed(self, seed):
        self.rng = np.random.default_rng(int(seed))
        return self._original("manual_seed")(seed)

    # ------------------------------------------------------------------ in-place samplers

    def _fill(self, tensor, values):
        source = self.engine.tensor(values, dtype=tensor.dtype)
        if hasattr(tensor, "copy_"):
            return tensor.copy_(source)
        with self.engine.no_grad():
            tensor[...] = source
        return tensor

    def uniform_(self, tensor, a=0.0, b=1.0, *, generator=None, **kw):
        a, b = kw.pop("from", a), kw.pop("to", b)
        return self._fill(tensor, a + (b - a) * self.rng.random(tuple(tensor.shape)))

    def normal_(self, tensor, mean=0.0, std=1.0, *, generator=None):
        return self._fill(tensor, mean + std * self.rng.standard_normal(tuple(tensor.shape)))

    # ------------------------------------------------------------------ the engine's, redrawn

    def _redrawn(self, out, values):
        """The engine's result ``out`` holding ``values`` instead (written under no_grad)."""
        with self.engine.no_grad():
            out.copy_(self.engine.tensor(np.asarray(values)).to(out.dtype))
        return out

    def multinomial(self, input, num_samples, replacement=False, **kw):
        from tinyad.random import categorical

        out = self._original("multinomial")(input, num_samples, replacement, **kw)
        p = _numpy(input).astype(np.float64)
        rows = p.reshape(len(p) if p.ndim == 2 else 1, p.shape[-1])
        if not rows.size:
            return out
        values = categorical(self.rng, rows, out.shape[-1], replacement)
        return self._redrawn(out, values.reshape(tuple(out.shape)))

    def bernoulli(self, input, *args, **kw):
        out = self._original("bernoulli")(input, *args, **kw)
        p = kw.get("p", args[0] if args else None)
        p = _numpy(input) if p is None else p
        return self._redrawn(out, self.rng.random(tuple(out.shape)) < p)

    def bernoulli_(self, tensor, p=0.5, **kw):
        self.methods["bernoulli_"](tensor, p, **kw)
        return self._redrawn(tensor, self.rng.random(tuple(tensor.shape)) < _numpy(p))

    def exponential_(self, tensor, lambd=1.0, **kw):
        self.methods["exponential_"](tensor, lambd, **kw)
        return self._redrawn(tensor, self.rng.exponential(size=tuple(tensor.shape)) / lambd)

    # ------------------------------------------------------------------ install

    def _original(self, name):
        for owner, n, original in self.saved:
            if owner is self.engine and n == name:
                return original
        return getattr(self.engine, name)

    def install(self):
        """Replace the engine's random functions that it has; returns the names replaced."""
        replaced = []
        for name in self.FACTORIES:
            if hasattr(self.engine, name):
                self.saved.append((self.engine, name, getattr(self.engine, name)))
                setattr(self.engine, name, getattr(self, name))
                replaced.append(name)
        tensor_type = self.engine.Tensor
        for name in self.METHODS:
            if hasattr(tensor_type, name):
                self.saved.append((tensor_type, name, tensor_type.__dict__.get(name)))
                self.methods[name] = getattr(tensor_type, name)  # (maybe a base class's)
                method = getattr(self, name)
                setattr(tensor_type, name, lambda t, *a, _m=method, **k: _m(t, *a, **k))
                replaced.append(f"Tensor.{name}")
        return replaced

    def uninstall(self):
        for owner, name, original in reversed(self.saved):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self.saved = []
