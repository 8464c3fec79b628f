"""Random numbers, as torch's: ``Generator`` objects, the default generator that
``manual_seed`` seeds, and the samplers (``rand``, ``randn``, ``randint``, ``randperm``,
``normal``, ``bernoulli``, ``multinomial``, and the in-place ``uniform_``, ``normal_``,
``bernoulli_`` and ``exponential_`` of a tensor) with torch's signatures, dtypes, shapes and
errors. A draw's gradient with respect to its parameters is 0, as in torch's formulas.

Each generator is a numpy one (PCG64), not torch's Mersenne twister, so a seed gives other
numbers than torch's does; ``tinyad.compare`` feeds both engines from one stream.
"""

import contextlib
import math

import numpy as np

from . import ops
from .tensor import (
    _SCALAR_TYPE,
    Tensor,
    _check_device,
    _created_shape,
    _default,
    _factory,
    _filled_like,
    _put,
    _sized,
    int64,
)
from .tensor import device as _device

_TO_64_BITS = 2**64 - 1
_DEFAULT_SEED = 67280421310721  # (a new torch.Generator's)


class Generator:
    """A stream of random numbers of its own, for the ``generator=`` of every sampler; a new
    one starts from torch's default seed (``torch.Generator().manual_seed(s)`` is the usual
    start)."""

    def __init__(self, device="cpu"):
        _check_device(device)
        self.device = _device("cpu")
        self.manual_seed(_DEFAULT_SEED)

    def __repr__(self):
        return f"<tinyad.Generator object at {id(self):#x}>"

    def manual_seed(self, seed):
        """Restart the stream from ``seed``, an int in [-2**63, 2**64) (a negative one read as
        its 64-bit two's complement, as torch's); returns the generator."""
        if type(seed) is not int:
            if isinstance(seed, np.integer):
                raise TypeError("an integer is required (manual_seed: give int(seed))")
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        if not -2**63 <= seed <= _TO_64_BITS:
            raise ValueError("Overflow when unpacking long long (a seed must lie in "
                             "[-2**63, 2**64))")
        self._seed = seed & _TO_64_BITS
        self._numpy = np.random.default_rng(self._seed)
        return self

    def seed(self):
        """Restart the stream from a seed taken from the operating system; returns it."""
        seed = np.random.SeedSequence().entropy & _TO_64_BITS
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        """The seed the stream last started from."""
        return self._seed

    def get_state(self):
        """The stream's state, a uint8 tensor for ``set_state``: 45 bytes (the seed and numpy's
        PCG64 state), where torch's Mersenne twister has 5056."""
        state = self._numpy.bit_generator.state
        fields = [(self._seed, 8), (state["state"]["state"], 16), (state["state"]["inc"], 16),
                  (state["has_uint32"], 1), (state["uinteger"], 4)]
        data = b"".join(value.to_bytes(size, "little") for value, size in fields)
        return Tensor._wrap(np.frombuffer(data, np.uint8).copy())

    def set_state(self, new_state):
        """Return the stream to a state ``get_state`` gave."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        data = new_state._data.tobytes()
        if len(data) != 45:
            raise RuntimeError(f"Expected a tinyad generator state of size 45 (from "
                               f"get_state()) but found the input RNG state size to be "
                               f"{len(data)}")
        seed, state, inc, has_uint32, uinteger = (
            int.from_bytes(data[a:b], "little") for a, b in
            ((0, 8), (8, 24), (24, 40), (40, 41), (41, 45)))
        self.manual_seed(seed)
        self._numpy.bit_generator.state = {
            "bit_generator": "PCG64", "state": {"state": state, "inc": inc},
            "has_uint32": has_uint32, "uinteger": uinteger}
        return self


default_generator = Generator()
default_generator.seed()  # (torch's default generator starts from a seed of the system's)


def manual_seed(seed):
    """Seed the default generator with ``int(seed)``; returns it."""
    return default_generator.manual_seed(int(seed))


def seed():
    """Seed the default generator from the operating system; returns the seed."""
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, device_type="cuda"):
    """A block after which the default generator is back where it was."""
    state = get_rng_state() if enabled else None
    try:
        yield
    finally:
        if enabled:
            set_rng_state(state)


def _numpy(generator, who):
    """The numpy generator behind ``generator=`` (the default one for None)."""
    if generator is None:
        return default_generator._numpy
    if not isinstance(generator, Generator):
        raise TypeError(f"{who}(): argument 'generator' must be torch.Generator, not "
                        f"{type(generator).__name__}")
    return generator._numpy


def _float_only(dtype, kernel, size=1):
    """torch's continuous samplers have float kernels only; a kernel that does not run for no
    element (the normal one: its callers give ``size``) checks nothing then."""
    if dtype.kind != "f" and size:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_SCALAR_TYPE[dtype]}' "
                                  f"(draw floats, then convert)")


def _uniform(rng, shape, dtype):
    """Uniform on [0, 1) in ``dtype``: numpy's float32 and float64 draws; for float16, 11 random
    bits (converting a wider draw may round up to 1)."""
    if dtype == np.float16:
        return (rng.integers(0, 2**11, shape) * 2.0**-11).astype(dtype)
    return rng.random(shape, dtype=dtype)


def _normal(rng, shape, dtype):
    """Standard normal in ``dtype`` (of another dtype only for no element: torch's check
    passes then)."""
    if dtype.kind != "f":
        return np.zeros(shape, dtype)
    if dtype == np.float16:
        return rng.standard_normal(shape, dtype=np.float32).astype(dtype)
    return rng.standard_normal(shape, dtype=dtype)


# ----------------------------------------------------------------------------- factories

def rand(*size, generator=None, dtype=None, device=None,
         requires_grad=False, pin_memory=False, **kwargs):
    """Uniform on [0, 1)."""
    dtype = np.dtype(dtype or _default[0])
    shape = _sized(size, kwargs, "rand")
    _float_only(dtype, "check_uniform_bounds")
    return _factory(_uniform(_numpy(generator, "rand"), shape, dtype),
                    requires_grad, device, pin_memory)


def randn(*size, generator=None, dtype=None, device=None,
          requires_grad=False, pin_memory=False, **kwargs):
    """Standard normal."""
    dtype = np.dtype(dtype or _default[0])
    shape = _sized(size, kwargs, "randn")
    _float_only(dtype, "normal_kernel_cpu", math.prod(shape))
    return _factory(_normal(_numpy(generator, "randn"), shape, dtype),
                    requires_grad, device, pin_memory)


def randint(low=None, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False, pin_memory=False):
    """Integers uniform on [low, high) (randint(high, size) and randint(low, high, size))."""
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = None, low, high
    if high is None:
        low, high = 0, low
    elif low is None:
        low = 0
    if size is None:
        raise TypeError("randint() missing required argument 'size' (a tuple)")
    if not low < high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    _check_bounds(low, high, np.dtype(dtype or int64))
    shape = _created_shape((size,), "randint")
    array = _numpy(generator, "randint").integers(low, high, shape)
    return _factory(array.astype(dtype or int64), requires_grad, device, pin_memory)


_PERMUTED = {"float16": (2049, "2049", "Half"), "float32": (2**24 + 1, "2^24+1", "Float")}

# (the C types torch's messages name)
_C_TYPES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
            "int64": "long", "bool": "bool", "float16": "c10::Half"}


def _check_bounds(low, high, dtype):
    """torch's random_ bounds: low and high - 1 must be values of dtype (float16's largest is
    65504; float32 and float64 only warn, past 2**24 and 2**53, which tinyad does not)."""
    if dtype.kind in "iu":
        least, most = np.iinfo(dtype).min, np.iinfo(dtype).max
    elif dtype.kind == "b":
        least, most = 0, 1
    elif dtype == np.float16:
        least, most = -65504, 65504
    else:
        return
    for name, value in (("from", low), ("to - 1", high - 1)):
        if not least <= value <= most:
            raise RuntimeError(f"{name} is out of bounds for {_C_TYPES[dtype.name]}")


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """0, ..., n - 1 in random order."""
    (n,) = _created_shape((n,), "randperm")
    kind = np.dtype(dtype or int64)
    if kind.kind == "b":
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    most, written, name = _PERMUTED.get(kind.name, (math.inf, "", ""))
    if n > most:  # (a float's integers are exact that far)
        raise RuntimeError(f"n cannot be greater than {written} for {name} type.")
    if kind.kind in "iu" and n - 1 > np.iinfo(kind).max:
        raise RuntimeError(f"value cannot be converted to type {kind.name}_t without overflow")
    array = _numpy(generator, "randperm").permutation(n)
    return _factory(array.astype(dtype or int64), requires_grad, device, pin_memory)


def rand_like(input, *, generator=None, dtype=None, device=None,
              requires_grad=False, pin_memory=False):
    dtype = np.dtype(dtype or input.dtype)
    _float_only(dtype, "check_uniform_bounds")
    values = _uniform(_numpy(generator, "rand_like"), input.shape, dtype)
    return _factory(_filled_like(input, values, dtype), requires_grad, device, pin_memory)


def randn_like(input, *, generator=None, dtype=None, device=None,
               requires_grad=False, pin_memory=False):
    dtype = np.dtype(dtype or input.dtype)
    _float_only(dtype, "normal_kernel_cpu")
    values = _normal(_numpy(generator, "randn_like"), input.shape, dtype)
    return _factory(_filled_like(input, values, dtype), requires_grad, device, pin_memory)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, device=None,
                 requires_grad=False, pin_memory=False):
    """Integers uniform on [low, high) in input's shape and dtype (randint_like(x, high))."""
    if high is None:
        low, high = 0, low
    _check_bounds(low, high, np.dtype(dtype or input.dtype))
    values = randint(low, high, tuple(input.shape), generator=generator)._data
    return _factory(_filled_like(input, values, dtype), requires_grad, device, pin_memory)


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False, pin_memory=False):
    """Draws from N(mean, std^2): of tensors (broadcast together), or of numbers with size= ;
    d mean = 0, d std = 0 (torch's formulas)."""
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    rng = _numpy(generator, "normal")
    if not tensors:
        if size is None:
            raise TypeError("normal(): a number mean and std need size=, e.g. "
                            "torch.normal(0.0, 1.0, size=(3,)); or give a tensor")
        _check_std(std)
        dtype = np.dtype(dtype or _default[0])
        shape = _created_shape((size,), "normal")
        _float_only(dtype, "normal_kernel_cpu", math.prod(shape))
        z = _normal(rng, shape, np.dtype(np.float64))
        return _factory((mean + std * z).astype(dtype), requires_grad, device, pin_memory)
    if size is not None or dtype is not None:
        raise TypeError("normal(): size= and dtype= go with a number mean and std; with a "
                        "tensor, the result takes its shape and dtype")
    arrays = [t._data if isinstance(t, Tensor) else t for t in (mean, std)]
    dtype = np.result_type(*(t._data.dtype for t in tensors))
    shape = ops._broadcast_shape(*(np.shape(a) for a in arrays))
    _float_only(dtype, "normal_kernel_cpu", math.prod(shape))
    if isinstance(std, Tensor):
        if not (std._data >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    else:
        _check_std(std)
    values = (arrays[0] + arrays[1] * _normal(rng, shape, dtype)).astype(dtype)
    label = "NormalBackward3" if len(tensors) == 2 else "NormalBackward1" if isinstance(
        mean, Tensor) else "NormalBackward2"
    return ops.Drawn.apply(values, label, *tensors)


def _check_std(std):
    if not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def bernoulli(input, p=None, *, generator=None):
    """1 with probability input (or p), else 0, in input's dtype; d input = 0 (torch has no
    derivative when p is given: its backward raises)."""
    rng = _numpy(generator, "bernoulli")
    a = input._data
    if p is not None:
        values = bernoulli_(Tensor._wrap(np.empty_like(a)), p, generator=generator)._data
        error = (RuntimeError, "derivative for aten::bernoulli is not implemented")
        return ops.NoDerivative.apply(input, values, "NotImplemented", error)
    _check_probabilities(a)
    return ops.Drawn.apply((_uniform(rng, a.shape, np.dtype(np.float64)) < a).astype(a.dtype),
                           "BernoulliBackward0", input)


def _check_probabilities(p):
    """Probabilities of a float dtype, each in [0, 1], as torch's bernoulli kernel checks (when
    it runs: not for no element)."""
    if p.dtype.kind != "f" and p.size:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for "
                                  f"'{_SCALAR_TYPE[p.dtype]}' (give probabilities as floats)")
    if not ((p >= 0) & (p <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false. "
                           "(bernoulli's probabilities must lie in [0, 1])")


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Indices drawn with the probabilities in each row of input (weights, not normalised):
    with replacement, independently; without, as torch's, the largest of p / Exp(1) draws (so
    zero-probability indices come last)."""
    if type(num_samples) is not int:
        if not (isinstance(num_samples, Tensor) and num_samples._data.size == 1
                and num_samples._data.dtype.kind in "iu"):
            raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, "
                            f"not {type(num_samples).__name__}")
        num_samples = int(num_samples._data.reshape(()))
    rng = _numpy(generator, "multinomial")
    p = input._data
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_SCALAR_TYPE[p.dtype]}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n = p.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = p.reshape(p.shape[0] if p.ndim == 2 else 1, n).astype(np.float64)
    if not rows.shape[0]:
        return Tensor._wrap(np.zeros((0, num_samples), np.int64))
    if not n:  # (torch's range check then fails)
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if not (np.isfinite(rows) & (rows >= 0)).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    out = categorical(rng, rows, num_samples, replacement)
    return Tensor._wrap(out.reshape(p.shape[:-1] + (num_samples,)))


def categorical(rng, rows, num_samples, replacement):
    """multinomial's draw from numpy's ``rng``: for each row of weights (a 2-d float64 array,
    each row with a positive sum), ``num_samples`` indices (int64)."""
    if replacement:
        cdf = np.cumsum(rows, 1)
        u = rng.random((len(rows), num_samples)) * cdf[:, -1:]
        last = rows.shape[1] - 1 - np.argmax(rows[:, ::-1] > 0, 1)  # (u * total may round up)
        return np.minimum([np.searchsorted(c, x, "right") for c, x in zip(cdf, u)],
                          last[:, None]).astype(np.int64)
    with np.errstate(divide="ignore"):
        keys = rows / rng.exponential(size=rows.shape)
    return np.argsort(-keys, 1, kind="stable")[:, :num_samples].astype(np.int64)


# ----------------------------------------------------------------------------- in place

def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kwargs):
    """Fill with draws from U(from, to) (torch names the bounds from and to)."""
    from_, to = kwargs.pop("from", from_), kwargs.pop("to", to)
    if kwargs:
        raise TypeError(f"uniform_() got an unexpected keyword argument '{next(iter(kwargs))}'")
    dtype = self._data.dtype
    _float_only(dtype, "check_uniform_bounds")
    limit = float(np.finfo(dtype).max)
    for name, bound in (("from", from_), ("to", to)):
        if not -limit <= bound <= limit:
            raise RuntimeError(f"{name} is out of bounds for {_SCALAR_TYPE[dtype].lower()}")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_:g} > to={to:g}")
    if to - from_ > limit:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                           f"{_SCALAR_TYPE[dtype]}>::max(), but found to={to:g} and "
                           f"from={from_:g} which result in to-from to exceed the limit")
    u = _uniform(_numpy(generator, "uniform_"), self._data.shape, np.dtype(np.float64))
    return _drawn_into(self, from_ + (to - from_) * u, "UniformBackward0", "uniform_()")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with draws from N(mean, std^2)."""
    _float_only(self._data.dtype, "normal_kernel_cpu", self._data.size)
    _check_std(std)
    z = _normal(_numpy(generator, "normal_"), self._data.shape, np.dtype(np.float64))
    return _drawn_into(self, mean + std * z, "NormalBackward0", "normal_()")


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 with probability p (a number, or a tensor that broadcasts to self), else 0."""
    rng = _numpy(generator, "bernoulli_")
    if isinstance(p, Tensor):
        _check_probabilities(p._data)
        probabilities = p.expand(*self._data.shape)._data
        label, operands = "BernoulliBackward1", (p,)
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
        probabilities, label, operands = p, "BernoulliBackward2", ()
    u = _uniform(rng, self._data.shape, np.dtype(np.float64))
    return _drawn_into(self, u < probabilities, label, "bernoulli_()", operands)


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with draws from the exponential distribution of rate lambd (mean 1 / lambd)."""
    dtype = self._data.dtype
    if dtype.kind != "f" and self._data.size:
        raise RuntimeError(f"Exponential distribution is a continuous probability "
                           f"distribution. dtype must be a floating point but you specified "
                           f"{_SCALAR_TYPE[dtype]}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    values = _numpy(generator, "exponential_").exponential(size=self._data.shape) / lambd
    return _drawn_into(self, values, "ExponentialBackward0", "exponential_()")


def _drawn_into(self, values, label, what, operands=()):
    """Write the drawn ``values`` into self, in place (recorded with a zero gradient)."""
    values = np.asarray(values).astype(self._data.dtype)
    return self._inplace(lambda t: ops.Drawn.apply(values, label, t, *operands), operands,
                         _put(values), what, any_dtype=True)


def _bernoulli_method(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


for _method in (uniform_, normal_, bernoulli_, exponential_):
    setattr(Tensor, _method.__name__, _method)
Tensor.bernoulli, Tensor.multinomial = _bernoulli_method, _multinomial_method
