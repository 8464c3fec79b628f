"""Run one piece of torch code twice, on torch and on the engine under test, and compare
everything a user can observe.

A *program* is a function of the module ``T``; ``same(program)`` runs it with ``T = torch``
and with ``T = tinyad`` (or torch again when ``TINYAD_TEST_ENGINE=torch``, which checks this
harness: every parity test must then pass) and compares what the two runs returned:

* tensors: values (NaN-aware, at torch's ``assert_close`` tolerances for the dtype), shape,
  dtype, ``requires_grad``, ``is_leaf`` and, for leaves, ``.grad`` (compared the same way);
* tuples, lists and dicts element by element; numbers, strings, dtypes and ``None`` by value;
* exceptions: a program that raises in torch must raise in the engine too, an instance of the
  builtin class torch's exception derives from (``RuntimeError``, ``IndexError``,
  ``TypeError``...), and the other way round.  ``phrase=`` also requires a key phrase of
  torch's message in both messages.

``outcome(thunk)`` turns an exception inside a program into a value (``Raised``) so that a
program can go on after an expected error and return the state it left behind.
"""

from __future__ import annotations

import builtins
import importlib
from typing import Any, Callable

import numpy as np
import pytest
from _strategies import engine_name

torch = pytest.importorskip("torch")
ENGINE = importlib.import_module(engine_name())

# torch.testing.assert_close's defaults
TOLERANCES = {"float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}
# a float dtype whose tolerances every float comparison takes at least: a float64 gradient
# may be computed through float32 ops (the stateful test sets it while such tensors are about)
precision_floor = {"dtype": None}


class Raised:
    """An exception caught inside a program, compared by its builtin class (and phrase)."""

    def __init__(self, exc: BaseException):
        self.exc = exc
        self.cls = builtin_class(exc)

    def __repr__(self):
        return f"Raised({type(self.exc).__name__}: {str(self.exc)[:300]})"


def builtin_class(exc: BaseException) -> type:
    """The first builtin class in the exception's MRO: what ``except`` clauses in user code
    written against torch can rely on (torch's own subclasses are private to torch)."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins" and cls is not BaseException:
            return cls
    return Exception


def outcome(thunk: Callable[[], Any]) -> Any:
    """``thunk()``, or a ``Raised`` holding the exception it raised."""
    try:
        return thunk()
    except Exception as exc:  # noqa: BLE001 - every exception is an observable outcome
        return Raised(exc)


def is_tensor(x) -> bool:
    return isinstance(x, (torch.Tensor, ENGINE.Tensor))


def dtype_name(dtype) -> str:
    """'float32', 'int64', 'bool'... for a torch dtype, a numpy dtype or tinyad's."""
    if isinstance(dtype, torch.dtype):
        return str(dtype).rsplit(".", 1)[-1]
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype).rsplit(".", 1)[-1]


def values(t) -> np.ndarray:
    """A tensor's values as a numpy array (a copy, read through the public API; force: torch's
    ZeroTensor refuses a plain numpy())."""
    return np.array(t.detach().numpy(force=True), copy=True)


def assert_values(expected: np.ndarray, actual: np.ndarray, where: str, dtype=None):
    expected, actual = np.asarray(expected), np.asarray(actual)
    assert expected.shape == actual.shape, (
        f"{where}: shape {actual.shape} != torch's {expected.shape}"
    )
    name = dtype_name(dtype if dtype is not None else expected.dtype)
    if name in TOLERANCES:
        rtol, atol = TOLERANCES[name]
        if precision_floor["dtype"] is not None:
            rtol, atol = map(max, zip((rtol, atol), TOLERANCES[precision_floor["dtype"]]))
        np.testing.assert_allclose(
            actual.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol,
            equal_nan=True, err_msg=f"{where}: values differ from torch's",
        )
    else:
        np.testing.assert_array_equal(
            actual, expected, err_msg=f"{where}: values differ from torch's"
        )


def assert_same(expected, actual, where: str = "result", phrase: str | None = None):
    """Compare an observable of torch's run (``expected``) with the engine's (``actual``)."""
    if isinstance(expected, Raised) or isinstance(actual, Raised):
        assert isinstance(expected, Raised), (
            f"{where}: torch returned {expected!r}, the engine raised {actual!r}"
        )
        assert isinstance(actual, Raised), (
            f"{where}: torch raised {expected!r}, the engine returned {actual!r}"
        )
        assert isinstance(actual.exc, expected.cls), (
            f"{where}: torch raises {expected.cls.__name__} ({expected!r}), "
            f"the engine {type(actual.exc).__name__} ({actual!r})"
        )
        if phrase is not None:
            assert phrase.lower() in str(expected.exc).lower(), (
                f"the test's phrase {phrase!r} is not in torch's message {expected!r}"
            )
            assert phrase.lower() in str(actual.exc).lower(), (
                f"{where}: the engine's message does not say {phrase!r}: {actual!r}"
            )
        return
    if isinstance(expected, torch.Tensor):
        assert isinstance(actual, ENGINE.Tensor), (
            f"{where}: torch gives a Tensor, the engine {type(actual)}"
        )
        assert tuple(actual.shape) == tuple(expected.shape), (
            f"{where}: shape {tuple(actual.shape)} != torch's {tuple(expected.shape)}"
        )
        assert dtype_name(actual.dtype) == dtype_name(expected.dtype), (
            f"{where}: dtype {dtype_name(actual.dtype)} != torch's {dtype_name(expected.dtype)}"
        )
        # reading a flag can raise in torch (a view whose base changed in place after the
        # view was made under no_grad): the engine must raise alike
        for flag in ("requires_grad", "is_leaf"):
            e = outcome(lambda flag=flag: getattr(expected, flag))
            a = outcome(lambda flag=flag: getattr(actual, flag))
            if isinstance(e, Raised) or isinstance(a, Raised):
                assert_same(e, a, f"{where}.{flag}")
            else:
                assert a == e, f"{where}: {flag} {a} != torch's {e}"
        assert actual._is_zerotensor() == expected._is_zerotensor(), (
            f"{where}: a ZeroTensor in {'torch' if expected._is_zerotensor() else 'the engine'} "
            f"only (sgn's gradient, and what torch passes it on through)"
        )
        assert_values(values(expected), values(actual), where, expected.dtype)
        if outcome(lambda: expected.is_leaf) is True:
            assert_same(expected.grad, actual.grad, f"{where}.grad")
        return
    if isinstance(expected, torch.dtype):
        assert dtype_name(actual) == dtype_name(expected), (
            f"{where}: dtype {actual} != torch's {expected}"
        )
        return
    if isinstance(expected, (tuple, list)):  # torch.Size and return_types are tuples
        assert isinstance(actual, (tuple, list)), (
            f"{where}: torch gives a sequence, the engine {actual!r}"
        )
        assert len(actual) == len(expected), (
            f"{where}: {len(actual)} items != torch's {len(expected)}"
        )
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_same(e, a, f"{where}[{i}]", phrase)
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), f"{where}: {actual!r}"
        for k in expected:
            assert_same(expected[k], actual[k], f"{where}[{k!r}]", phrase)
        return
    if isinstance(expected, np.ndarray):
        assert_values(expected, np.asarray(actual), where)
        return
    if isinstance(expected, float):
        assert isinstance(actual, (float, int)) and not isinstance(actual, builtins.bool), (
            f"{where}: torch gives the float {expected!r}, the engine {actual!r}"
        )
        assert_values(np.float64(expected), np.float64(actual), where, "float64")
        return
    assert type(actual) is type(expected) and actual == expected, (
        f"{where}: the engine gives {actual!r}, torch {expected!r}"
    )


def run(program: Callable, module) -> Any:
    return outcome(lambda: program(module))


def torch_mm_is_numpys() -> bool:
    """Whether torch's matrix products of the lab factorisation's shapes (150 x 2 times 2 x 4
    and the gradients' 150 x 4 times 4 x 2 and 4 x 150 times 150 x 2, float32) are numpy's to
    the last bit on this machine. They were where these tests were written; on an AMD EPYC of
    family 25, model 17 (Zen 4) torch's MKL rounds each product before adding, where numpy's
    OpenBLAS fuses them, so the engines' float32 numbers part in their last bits."""
    rng = np.random.default_rng(0)
    pairs = [((150, 2), (2, 4)), ((150, 4), (4, 2)), ((4, 150), (150, 2))]
    for a, b in ((rng.standard_normal(m).astype(np.float32),
                  rng.standard_normal(n).astype(np.float32)) for m, n in pairs):
        if not np.array_equal((torch.from_numpy(a) @ torch.from_numpy(b)).numpy(), a @ b):
            return False
    return True


def same(program: Callable, phrase: str | None = None):
    """Run ``program(T)`` on torch and on the engine, assert every observable agrees, and
    return torch's result (so a test can also pin down torch's own behaviour)."""
    expected = run(program, torch)
    actual = run(program, ENGINE)
    assert_same(expected, actual, "result", phrase)
    return expected


def identical(program: Callable):
    """Run ``program(T)``, which returns a list of tensors, on torch and on the engine and
    assert each tensor's values are torch's bit for bit, in torch's dtype (where ``same``
    allows a few ulps)."""
    expected, actual = program(torch), program(ENGINE)
    assert len(expected) == len(actual)
    for i, (theirs, ours) in enumerate(zip(expected, actual)):
        theirs, ours = values(theirs), values(ours)
        assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), f"result[{i}]: dtype"
        np.testing.assert_array_equal(ours, theirs, err_msg=f"result[{i}]: not torch's bits")


def raises(program: Callable, exc_class: type, phrase: str | None = None):
    """Both engines raise ``exc_class`` (torch's behaviour, checked here too)."""
    expected = same(program, phrase)
    assert isinstance(expected, Raised) and issubclass(expected.cls, exc_class), (
        f"torch was expected to raise {exc_class.__name__}, it gave {expected!r}"
    )
    return expected
