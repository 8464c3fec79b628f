"""Random numbers: Generator objects, the samplers and their in-place forms.

The two engines draw different numbers (tinyad's generators are numpy's), so the parity tests
compare everything else a program sees: shapes, dtypes, flags, the nodes recorded, the (zero)
gradients and the errors. The numbers themselves are checked against their distributions, on
fixed seeds, and for what torch promises of them (uniform draws below 1, indices drawn without
replacement all different, zero-probability categories never drawn with replacement).
"""

import math

import numpy as np
import pytest
from _pair import ENGINE, Raised, outcome, same

nan, inf = math.nan, math.inf


def seen(t):
    """What a program sees of a random tensor besides its values."""
    if isinstance(t, Raised):
        return t
    return (tuple(t.shape), str(t.dtype).split(".")[-1], t.requires_grad,
            t.grad_fn and t.grad_fn.name())


CALLS = [
    "T.rand(2, 3)", "T.rand(2, dtype=T.float64)", "T.rand(2, dtype=T.float16)",
    "T.rand(2, dtype=T.int64)", "T.rand(2, dtype=T.bool)", "T.rand(size=(2,))", "T.rand()",
    "T.randn(3, requires_grad=True)", "T.randn(2, dtype=T.int64)", "T.randn((2, 2))",
    "T.randn(2, dtype=T.int64, requires_grad=True)", "T.rand(2, generator=1)",
    "T.randint(5, (3,))", "T.randint(2, 5, (3,))", "T.randint(0, 5, (3,), dtype=T.float32)",
    "T.randint(5, 5, (3,))", "T.randint(0, 5, (3,), requires_grad=True)",
    "T.randint(0, 5, (3,), dtype=T.float32, requires_grad=True)", "T.randint(0, 5, (-1,))",
    "T.randperm(4)", "T.randperm(4, dtype=T.float32)", "T.randperm(-1)", "T.randperm(0)",
    "T.rand_like(T.zeros(2, dtype=T.float64))", "T.rand_like(T.zeros(2, dtype=T.int64))",
    "T.randn_like(T.zeros(2, 2))", "T.randint_like(T.zeros(2), 5)",
    "T.randint_like(T.zeros(2, dtype=T.int32), 2, 5)",
    "T.normal(T.zeros(2, 3), T.ones(3))", "T.normal(T.zeros(2, 3), T.ones(4))",
    "T.normal(T.zeros(2, dtype=T.float64), T.ones(2))", "T.normal(T.zeros(2), 2.0)",
    "T.normal(0.0, T.ones(2))", "T.normal(0.0, 1.0, size=(2,))",
    "T.normal(2, 3, (2,), dtype=T.float64)", "T.normal(0.0, -1.0, size=(2,))",
    "T.normal(T.zeros(2), T.tensor([-1.0, 1.0]))", "T.normal(T.zeros(2), T.tensor([nan, 1.0]))",
    "T.normal(T.zeros(2, dtype=T.int64), 1.0)", "T.normal(T.zeros(2), -1.0)",
    "T.bernoulli(T.tensor([0.0, 1.0, 0.5]))", "T.bernoulli(T.tensor([[0.0, 1.0]]))",
    "T.bernoulli(T.tensor(1.0))", "T.bernoulli(T.tensor([1.0], dtype=T.float64))",
    "T.bernoulli(T.tensor([2.0]))", "T.bernoulli(T.tensor([nan]))",
    "T.bernoulli(T.tensor([-0.0]))", "T.bernoulli(T.tensor([1]))",
    "T.bernoulli(T.tensor([True]))", "T.bernoulli(T.tensor([1, 0]), 0.5)",
    "T.bernoulli(T.tensor([True, False]), 0.3)", "T.bernoulli(T.zeros(2), 1.5)",
    "T.multinomial(T.tensor([0.2, 0.8]), 3, replacement=True)",
    "T.multinomial(T.tensor([0.2, 0.8]), 3)", "T.multinomial(T.tensor([0.2, 0.8]), 2)",
    "T.multinomial(T.tensor([-0.2, 0.8]), 1)", "T.multinomial(T.tensor([0.0, 0.0]), 1)",
    "T.multinomial(T.tensor([inf, 0.0]), 1)", "T.multinomial(T.tensor([nan, 0.0]), 1)",
    "T.multinomial(T.ones(2, 2, 2), 1)", "T.multinomial(T.tensor(1.0), 1)",
    "T.multinomial(T.tensor([1, 2]), 1)", "T.multinomial(T.tensor([[[1]]]), 1)",
    "T.multinomial(T.tensor([1.0, 2.0]), 0)", "T.multinomial(T.tensor([1.0, 2.0]), -1)",
    "T.multinomial(T.tensor([-1.0, 2.0]), 0, True)", "T.multinomial(T.ones(0), 1)",
    "T.multinomial(T.ones(0), 1, True)", "T.multinomial(T.ones(0, 3), 2)",
    "T.multinomial(T.ones(0, 3), 2, True)",
    "T.multinomial(T.tensor([[1.0, 2.0], [3.0, 0.0]]), 2)",
    "T.multinomial(T.tensor([[1.0, 2.0], [0.0, 0.0]]), 1)",
    "T.multinomial(T.tensor([1.0, 2.0], dtype=T.float64), 1)",
    "T.multinomial(T.tensor([1.0, 2.0], dtype=T.float16), 5, True)",
    "T.multinomial(T.tensor([1.0, 2.0]), 1.0)", "T.multinomial(T.tensor([1.0, 2.0]), True)",
    "T.multinomial(T.tensor([1.0, 2.0]), T.tensor(1))",
    "T.multinomial(T.tensor([1.0, 2.0], requires_grad=True), 1)",
    "T.multinomial(T.tensor([1.0, 2.0]), 1, generator=3)",
    "T.tensor([1.0, 2.0]).multinomial(2, True)",
    "T.zeros(2).uniform_(2, 1)", "T.zeros(2).uniform_(1, 1)", "T.zeros(2).uniform_(0, inf)",
    "T.zeros(2).uniform_(0, nan)", "T.zeros(2).uniform_(-inf, 0)",
    "T.zeros(2).uniform_(-3e38, 3e38)", "T.zeros(2, dtype=T.float16).uniform_(0, 1e5)",
    "T.zeros(2, dtype=T.int64).uniform_()", "T.zeros(2, dtype=T.bool).uniform_()",
    "T.zeros(2).uniform_(a=1)", "T.zeros(2).normal_(0, -1)", "T.zeros(2).normal_(3, 0)",
    "T.zeros(2).normal_(0, nan)", "T.zeros(2, dtype=T.int64).normal_()",
    "T.zeros(3).bernoulli_(0.5)", "T.zeros(2).bernoulli_(2)", "T.zeros(2).bernoulli_(-0.5)",
    "T.zeros(2).bernoulli_(T.tensor([2.0, 0.0]))",
    "T.zeros(2).bernoulli_(T.tensor([[0.0, 0.0], [1.0, 1.0]]))",
    "T.zeros(2, 2).bernoulli_(T.tensor([0.0, 1.0]))", "T.zeros(2, dtype=T.bool).bernoulli_(1.0)",
    "T.zeros(2).bernoulli_(T.tensor([0, 1]))", "T.zeros(2, dtype=T.int64).bernoulli_(0.5)",
    "T.zeros(2).exponential_()", "T.zeros(2).exponential_(0)", "T.zeros(2).exponential_(-1)",
    "T.zeros(2).exponential_(inf)", "T.zeros(2, dtype=T.int64).exponential_()",
    # (no element: torch's normal, bernoulli and exponential kernels do not run, and so do not
    # check the dtype; its uniform bounds are checked anyway: machine A, seed 31)
    "T.zeros(0, dtype=T.int64).normal_()", "T.zeros((1, 0), dtype=T.bool).normal_(1, 0)",
    "T.zeros(0, dtype=T.int64).uniform_()", "T.zeros(0, dtype=T.int64).exponential_()",
    "T.rand(0, dtype=T.int64)", "T.randn(0, dtype=T.int64)", "T.zeros(0).uniform_(2, 1)",
    "T.zeros(0).normal_(0, -1)", "T.zeros(0).bernoulli_(2)", "T.zeros(0).exponential_(-1)",
    "T.normal(T.zeros(0, dtype=T.int64), 1.0)", "T.bernoulli(T.zeros(0, dtype=T.int64))",
]


@pytest.mark.parametrize("call", CALLS)
def test_a_sampler_gives_torchs_shape_dtype_flags_and_errors(call):
    same(lambda T: seen(outcome(lambda: eval(call, {"T": T, "nan": nan, "inf": inf}))))


@pytest.mark.parametrize("call", [
    "T.bernoulli(T.tensor([1.0, 0.0]))", "T.bernoulli(T.tensor([1.0, 0.0]), 1.0)",
    "T.bernoulli(T.tensor([1.0, 0.0]), 0.0)", "T.zeros(3).bernoulli_(1.0)",
    "T.zeros(2).bernoulli_(T.tensor([0.0, 1.0]))", "T.zeros(2).uniform_(1, 1)",
    "T.zeros(2).normal_(3, 0)", "T.normal(T.tensor([1.0, 2.0]), 0.0)",
    "T.multinomial(T.tensor([0.0, 0.0, 5.0]), 4, True)",
    "T.multinomial(T.tensor([[0.0, 1.0], [1.0, 0.0]]), 3, True)",
    "T.zeros(2).exponential_(inf)", "T.multinomial(T.tensor([1.0, 0.0, 0.0]), 1)"])
def test_a_draw_torch_determines_has_torchs_values(call):
    """Degenerate distributions: one possible value, which both engines must give."""
    same(lambda T: eval(call, {"T": T, "inf": inf}))


@pytest.mark.parametrize("call", [
    "x.uniform_()", "x.normal_()", "x.bernoulli_(0.5)", "x.bernoulli_(p)", "x.exponential_()",
    "T.bernoulli(p)", "p.bernoulli()", "T.normal(p, 1.0)", "T.normal(1.0, p)",
    "T.normal(p, p * 2)", "T.bernoulli(p, 0.3)"])
def test_a_draw_is_recorded_with_torchs_node_and_a_zero_gradient(call):
    """torch's formulas give a draw's parameters gradient 0 (no reparameterisation), through
    UniformBackward0, NormalBackward0-3, BernoulliBackward0-2, ExponentialBackward0; bernoulli
    with a number p has no derivative (its backward raises)."""
    def program(T):
        w = T.tensor([0.5, 0.25], requires_grad=True)
        x, p = w * 1, w * 1
        y = eval(call, {"T": T, "x": x, "p": p})
        name = y.grad_fn.name()
        out = outcome(lambda: (y * 3).sum().backward())
        return name, out if isinstance(out, Raised) else w.grad, x._version

    same(program)


def test_a_draw_into_a_leaf_that_requires_grad_is_refused():
    for call in ("x.uniform_()", "x.normal_()", "x.bernoulli_(0.5)", "x.exponential_()"):
        same(lambda T, call=call: outcome(lambda: eval(
            call, {"x": T.zeros(2, requires_grad=True)})))


@pytest.mark.parametrize("call", [
    "T.Generator().initial_seed()", "T.Generator().manual_seed(5).initial_seed()",
    "T.Generator().manual_seed(-1).initial_seed()", "T.Generator().manual_seed(2**64 - 1) and 1",
    "T.Generator().manual_seed(2**64)", "T.Generator().manual_seed(-2**63 - 1)",
    "T.Generator().manual_seed(1.5)", "T.Generator().manual_seed('1')",
    "T.Generator().manual_seed(True)", "T.Generator().manual_seed(T.tensor(3))",
    "T.Generator().manual_seed(np.int64(5))", "type(T.Generator().seed())",
    "g.manual_seed(3) is g", "T.manual_seed(3) is T.default_generator",
    "T.manual_seed(3.7) and T.initial_seed()", "T.manual_seed(np.int64(9)) and T.initial_seed()",
    "type(T.seed())", "str(T.Generator().device)", "T.Generator('cpu') and 1",
    "T.Generator(device='cpu') and 1", "T.get_rng_state().dtype",
    "T.set_rng_state(T.zeros(3))", "T.set_rng_state([1, 2])",
    "T.set_rng_state(T.zeros(3, dtype=T.uint8))", "g.set_state(T.zeros(3, dtype=T.uint8))",
    "T.random.manual_seed(4) and T.random.initial_seed()",
    "T.randn(2, generator=g).shape", "T.randperm(3, generator=g).shape",
    "T.randint(3, (2,), generator=g).shape", "T.rand_like(T.ones(2), generator=g).shape",
    "T.zeros(2).uniform_(generator=g).shape", "T.zeros(2).normal_(generator=g).shape",
    "T.nn.init.normal_(T.zeros(2), generator=g).shape",
    "T.nn.init.kaiming_uniform_(T.zeros(2, 2), generator=g).shape",
    "T.nn.init.uniform_(T.zeros(2), generator=1)", "T.nn.functional.dropout(T.ones(2), "
    "generator=g)"])
def test_generators_follow_torchs_api(call):
    def program(T):
        g = T.Generator()
        return outcome(lambda: eval(call, {"T": T, "g": g, "np": np}))

    same(program)


def test_a_seed_gives_the_same_numbers_again():
    T = ENGINE
    g = T.Generator().manual_seed(2147483647)
    first = [T.rand(3, generator=g), T.randn(2, generator=g), T.randint(9, (4,), generator=g),
             T.multinomial(T.tensor([0.1, 0.9]), 5, True, generator=g)]
    g.manual_seed(2147483647)
    again = [T.rand(3, generator=g), T.randn(2, generator=g), T.randint(9, (4,), generator=g),
             T.multinomial(T.tensor([0.1, 0.9]), 5, True, generator=g)]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    T.manual_seed(11)
    x = T.rand(4)
    T.manual_seed(11)
    np.testing.assert_array_equal(T.rand(4).numpy(), x.numpy())
    assert not np.array_equal(T.rand(4).numpy(), x.numpy())
    # a generator of its own leaves the default stream alone
    state = T.get_rng_state()
    T.randn(3, generator=T.Generator())
    np.testing.assert_array_equal(T.get_rng_state().numpy(), state.numpy())
    # and the default's state comes back, through set_rng_state and fork_rng
    y = T.randn(5)
    T.set_rng_state(state)
    np.testing.assert_array_equal(T.randn(5).numpy(), y.numpy())
    with T.random.fork_rng():
        z = T.rand(3)
    np.testing.assert_array_equal(T.rand(3).numpy(), z.numpy())
    # a new Generator starts from torch's default seed, the same stream each time
    np.testing.assert_array_equal(T.rand(3, generator=T.Generator()).numpy(),
                                  T.rand(3, generator=T.Generator()).numpy())


def test_draws_follow_their_distributions():
    """On a fixed seed, well within a few standard errors of each distribution's moments."""
    T = ENGINE
    g = T.Generator().manual_seed(0)
    n = 200_000
    for dtype in (T.float16, T.float32, T.float64):
        u = T.rand(n, dtype=dtype, generator=g).numpy().astype(np.float64)
        assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.005
    u = T.empty(n, dtype=T.float64).uniform_(-2, 3, generator=g).numpy()
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.03
    z = T.normal(1.5, 2.0, size=(n,), generator=g, dtype=T.float64).numpy()
    assert abs(z.mean() - 1.5) < 0.03 and abs(z.std() - 2.0) < 0.03
    z = T.normal(T.full((n,), -1.0), T.full((n,), 0.5), generator=g).numpy()
    assert abs(z.mean() + 1) < 0.01 and abs(z.std() - 0.5) < 0.01
    e = T.empty(n).exponential_(4.0, generator=g).numpy()
    assert e.min() >= 0 and abs(e.mean() - 0.25) < 0.005
    b = T.bernoulli(T.full((n,), 0.3), generator=g).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.005
    b = T.zeros(n, dtype=T.int64).bernoulli_(0.7, generator=g).numpy()
    assert abs(b.mean() - 0.7) < 0.005
    p = np.array([0.0, 1.0, 3.0, 0.0, 6.0])
    counts = np.bincount(T.multinomial(T.tensor(p), n, True, generator=g).numpy(), minlength=5)
    np.testing.assert_allclose(counts / n, p / p.sum(), atol=0.005)
    assert counts[0] == counts[3] == 0
    r = T.randint(-3, 4, (n,), generator=g).numpy()
    assert r.min() == -3 and r.max() == 3 and abs(r.mean()) < 0.02
    assert sorted(T.randperm(50, generator=g).tolist()) == list(range(50))


def test_multinomial_without_replacement_draws_each_index_once():
    """Different indices in every row; the first draw with each category's probability; the
    zero-probability categories only once the others are drawn."""
    T = ENGINE
    g = T.Generator().manual_seed(1)
    p = T.tensor([[1.0, 0.0, 2.0, 1.0], [0.0, 0.0, 0.0, 3.0]])
    rows = [T.multinomial(p, 4, generator=g).numpy() for _ in range(2000)]
    for r in rows[:50]:
        assert sorted(r[0]) == sorted(r[1]) == [0, 1, 2, 3]
        assert r[0][3] == 1 and r[1][0] == 3
    first = np.bincount([r[0][0] for r in rows], minlength=4) / len(rows)
    np.testing.assert_allclose(first, [0.25, 0.0, 0.5, 0.25], atol=0.04)
