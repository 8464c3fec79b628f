"""tinyad.nn against torch.nn: the same modules, built from the same parameter values, give the
same outputs and gradients; registration, state_dict, repr and errors follow torch."""

import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinyad
import tinyad.nn as tnn
from tinyad.nn import init as tinit

torch = pytest.importorskip("torch")

ENGINES = (tinyad, torch)
TOL = {"rtol": 1e-10, "atol": 1e-12}


def numpy_of(t):
    return np.array(t.detach().numpy(), copy=True)


def to_tinyad(state):
    return OrderedDict((k, tinyad.tensor(v.detach().numpy().copy())) for k, v in state.items())


def leaf(engine, array, requires_grad=True):
    return engine.tensor(np.array(array, copy=True), requires_grad=requires_grad)


def floats(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-3, 3, allow_subnormal=False))


# --------------------------------------------------------------------------- Parameter

def test_parameter_is_a_leaf_tensor_that_requires_grad_and_shares_storage():
    for engine in ENGINES:
        source = engine.tensor(np.array([1.0, 2.0]))
        p = engine.nn.Parameter(source)
        assert isinstance(p, engine.Tensor) and isinstance(p, engine.nn.Parameter)
        assert p.requires_grad and p.is_leaf and p.grad_fn is None
        source[0] = 5.0  # a Parameter is an alias of its data, as in torch
        assert numpy_of(p).tolist() == [5.0, 2.0]
        assert not engine.nn.Parameter(source, requires_grad=False).requires_grad


def test_parameter_of_a_non_leaf_is_a_leaf():
    for engine in ENGINES:
        x = leaf(engine, [1.0, 2.0])
        p = engine.nn.Parameter(x * 2)
        assert p.is_leaf and p.grad_fn is None and p.requires_grad


def test_ops_on_a_parameter_return_plain_tensors_and_reach_its_grad():
    for engine in ENGINES:
        p = engine.nn.Parameter(engine.tensor(np.array([1.0, -2.0])))
        y = p * p
        assert type(y) is engine.Tensor
        y.sum().backward()
        assert numpy_of(p.grad).tolist() == [2.0, -4.0]


def test_parameter_repr_as_torch():
    ours = repr(tnn.Parameter(tinyad.tensor(np.array([1.0, 2.0], dtype=np.float32))))
    theirs = repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert ours.splitlines()[0] == theirs.splitlines()[0] == "Parameter containing:"
    assert "requires_grad=True" in ours.splitlines()[1]


def test_parameter_needs_a_tensor():
    with pytest.raises(TypeError, match="Parameter expects a tensor"):
        tnn.Parameter(np.ones(2))


# --------------------------------------------------------------------------- Module

def nested(nn, engine):
    """A module tree with a shared submodule, a scalar parameter and an absent bias."""

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)
            self.gain = nn.Parameter(engine.ones(()))

        def forward(self, x):
            return self.fc(x) * self.gain

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(engine.ones(1))
            self.body = nn.Sequential(Block(), nn.Tanh(), nn.Linear(3, 2, bias=False))
            self.head = nn.Sequential(OrderedDict(act=nn.ReLU(), out=nn.Identity()))
            self.again = self.body[0]  # shared: its parameters are listed once

        def forward(self, x):
            return self.head(self.body(x * self.scale))

    return Net()


def test_registration_walks_the_tree_as_torch():
    ours, theirs = nested(tnn, tinyad), nested(torch.nn, torch)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert ([type(m).__name__ for m in ours.modules()]
            == [type(m).__name__ for m in theirs.modules()])
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 5
    assert [n for n, _ in ours.named_parameters(recurse=False)] == ["scale"]


def test_repr_as_torch():
    ours, theirs = nested(tnn, tinyad), nested(torch.nn, torch)
    assert repr(ours) == repr(theirs)

    def layers(nn):
        return nn.Sequential(nn.Linear(4, 12), nn.ReLU(), nn.ReLU(inplace=True),
                             nn.Linear(12, 3, bias=False), nn.Tanh(), nn.Sigmoid(),
                             nn.Identity(), nn.Flatten(), nn.Flatten(0, 2), nn.MSELoss(),
                             nn.CrossEntropyLoss(), nn.NLLLoss(reduction="sum"),
                             nn.BCEWithLogitsLoss())
    assert repr(layers(tnn)) == repr(layers(torch.nn))
    assert repr(layers(tnn)[2:4]) == repr(layers(torch.nn)[2:4])


def test_a_module_list_prints_a_run_of_alike_modules_as_one_line_as_torch():
    """torch prints "(0-2): 3 x Linear(...)" for three alike layers in a ModuleList (not in a
    Sequential); tinyad listed each (the helper's fuzz)."""
    def blocks(nn):
        return nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3),
                              nn.Sequential(nn.Linear(3, 3), nn.ReLU()),
                              nn.Sequential(nn.Linear(3, 3), nn.ReLU())])
    assert repr(blocks(tnn)) == repr(blocks(torch.nn))
    assert repr(tnn.ModuleList([tnn.ReLU()])) == repr(torch.nn.ModuleList([torch.nn.ReLU()]))
    assert repr(tnn.ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"


def test_forward_matches_torch_from_the_same_weights():
    ours, theirs = nested(tnn, tinyad).double(), nested(torch.nn, torch).double()
    ours.load_state_dict(to_tinyad(theirs.state_dict()))
    x = np.random.default_rng(0).standard_normal((5, 3))
    ya, yt = ours(leaf(tinyad, x)), theirs(leaf(torch, x))
    np.testing.assert_allclose(numpy_of(ya), numpy_of(yt), **TOL)
    ya.sum().backward()
    yt.sum().backward()
    grads = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(numpy_of(p.grad), numpy_of(grads[name].grad), **TOL,
                                   err_msg=name)


def test_assignment_errors_as_torch():
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        lin = nn.Linear(2, 2)
        with pytest.raises(TypeError, match="as parameter 'weight'"):
            lin.weight = engine.zeros(2, 2)
        lin.bias = None  # None removes a parameter
        assert lin.bias is None and [n for n, _ in lin.named_parameters()] == ["weight"]
        seq = nn.Sequential(nn.ReLU())
        with pytest.raises(TypeError, match="as child module '0'"):
            setattr(seq, "0", 3)

        class Early(nn.Module):
            def __init__(self, nn=nn, engine=engine):
                self.w = nn.Parameter(engine.ones(1))

        with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call"):
            Early()
        with pytest.raises(AttributeError, match="'Linear' object has no attribute 'nope'"):
            lin.nope  # noqa: B018
        with pytest.raises(KeyError, match='contain "."'):
            lin.register_parameter("a.b", None)
        with pytest.raises(KeyError, match="already exists"):
            lin.register_parameter("forward", None)


def test_a_non_leaf_parameter_is_refused_as_torch():
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        p = nn.Parameter(engine.ones(2), requires_grad=False)
        with engine.enable_grad():
            p += leaf(engine, [1.0, 1.0]).float()  # p is now the result of an op
        assert not p.is_leaf
        with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'w'"):
            nn.Module().register_parameter("w", p)


def test_delattr_unregisters():
    lin = tnn.Linear(2, 2)
    del lin.bias
    assert [n for n, _ in lin.named_parameters()] == ["weight"]


def test_train_eval_and_zero_grad():
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        net = nested(nn, engine)
        assert net.training and all(m.training for m in net.modules())
        assert net.eval() is net
        assert not any(m.training for m in net.modules())
        net.train()
        assert all(m.training for m in net.modules())
        with pytest.raises(ValueError, match="training mode is expected to be boolean"):
            net.train("no")
        net(engine.ones(4, 3)).sum().backward()
        grad = net.scale.grad
        net.zero_grad(set_to_none=False)
        assert net.scale.grad is grad and numpy_of(grad).tolist() == [0.0]
        net.zero_grad()
        assert all(p.grad is None for p in net.parameters())


def test_apply_and_requires_grad_():
    for nn in (tnn, torch.nn):
        seen = []
        net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
        assert net.apply(lambda m, seen=seen: seen.append(type(m).__name__)) is net
        assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]
        net.requires_grad_(False)
        assert not any(p.requires_grad for p in net.parameters())


def test_to_converts_in_place_keeping_the_parameter_objects():
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
        before = list(net.parameters())
        net(engine.ones(4, 2)).sum().backward()
        assert net.double() is net
        assert [id(p) for p in net.parameters()] == [id(p) for p in before]
        for p in net.parameters():
            assert p.dtype == engine.float64 and p.grad.dtype == engine.float64
            assert p.is_leaf and p.requires_grad
        assert net(engine.ones(4, 2, dtype=engine.float64)).dtype == engine.float64
        net.to(engine.float32)
        assert all(p.dtype == engine.float32 for p in net.parameters())
        with pytest.raises(TypeError, match="only accepts floating point"):
            net.to(engine.int64)
    tnn.Linear(1, 1).to("cpu")
    with pytest.raises(RuntimeError, match="CPU only"):
        tnn.Linear(1, 1).to("cuda")


def test_deepcopy_and_pickle_give_independent_modules():
    import copy
    import pickle

    net = tnn.Sequential(tnn.Linear(2, 3), tnn.ReLU())
    for twin in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert repr(twin) == repr(net)
        assert type(twin[0].weight) is tnn.Parameter and twin[0].weight.requires_grad
        np.testing.assert_array_equal(numpy_of(twin[0].weight), numpy_of(net[0].weight))
        with tinyad.no_grad():
            twin[0].weight[0, 0] = 100.0
        assert numpy_of(net[0].weight)[0, 0] != 100.0
        twin(tinyad.ones(1, 2)).sum().backward()
        assert twin[0].weight.grad is not None and net[0].weight.grad is None


def test_forward_must_be_defined():
    for nn in (tnn, torch.nn):
        with pytest.raises(NotImplementedError, match='missing the required "forward"'):
            nn.Module()(1)


# --------------------------------------------------------------------------- state_dict

def test_state_dict_is_detached_and_shares_storage():
    for nn in (tnn, torch.nn):
        lin = nn.Linear(2, 2)
        sd = lin.state_dict()
        assert list(sd) == ["weight", "bias"] and isinstance(sd, OrderedDict)
        assert not sd["weight"].requires_grad
        sd["weight"][0, 0] = 7.0
        assert numpy_of(lin.weight)[0, 0] == 7.0
        assert lin.state_dict(keep_vars=True)["weight"] is lin.weight


def test_buffers_as_torch():
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        class Scaled(nn.Module):
            def __init__(self, nn=nn, engine=engine):
                super().__init__()
                self.fc = nn.Linear(2, 2)
                self.register_buffer("scale", engine.ones(2))
                self.register_buffer("cache", engine.zeros(2), persistent=False)
                self.register_buffer("absent", None)

        m = Scaled()
        assert [n for n, _ in m.named_buffers()] == ["scale", "cache"]
        assert list(m.state_dict()) == ["scale", "fc.weight", "fc.bias"]
        assert [n for n, _ in m.named_parameters()] == ["fc.weight", "fc.bias"]
        sd = m.state_dict()
        sd["scale"] = engine.tensor(np.array([2.0, 3.0], dtype=np.float32))
        m.load_state_dict(sd)
        assert numpy_of(m.scale).tolist() == [2.0, 3.0]
        m.scale = engine.zeros(2)  # a tensor assigned to a buffer's name replaces the buffer
        assert [n for n, _ in m.named_buffers()] == ["scale", "cache"]
        with pytest.raises(TypeError, match="as buffer 'scale'"):
            m.scale = 3
        with pytest.raises(KeyError, match="already exists"):
            m.register_buffer("fc", engine.zeros(1))


def test_load_state_dict_copies_values_in_place():
    lin = tnn.Linear(3, 2)
    weight = lin.weight
    values = {"weight": tinyad.tensor(np.arange(6.0).reshape(2, 3)),
              "bias": tinyad.tensor(np.array([1.0, -1.0]))}
    result = lin.load_state_dict(values)
    assert repr(result) == "<All keys matched successfully>"
    assert lin.weight is weight and lin.weight.dtype == np.float32 and lin.weight.is_leaf
    assert numpy_of(lin.weight).tolist() == [[0, 1, 2], [3, 4, 5]]
    values["bias"][0] = 9.0  # a copy, not an alias
    assert numpy_of(lin.bias).tolist() == [1.0, -1.0]


@pytest.mark.parametrize("change", ["missing", "unexpected", "shape", "all"])
def test_load_state_dict_errors_as_torch(change):
    messages = []
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        lin = nn.Linear(4, 3)
        sd = dict(lin.state_dict())
        if change in ("missing", "all"):
            del sd["bias"]
        if change in ("unexpected", "all"):
            sd["extra"] = engine.zeros(1)
        if change in ("shape", "all"):
            sd["weight"] = engine.zeros(3, 5)
        with pytest.raises(RuntimeError) as info:
            lin.load_state_dict(sd)
        messages.append(str(info.value).replace("torch.Size([3, 5])", "(3, 5)")
                        .replace("torch.Size([3, 4])", "(3, 4)"))
    assert messages[0] == messages[1]
    assert messages[0].startswith("Error(s) in loading state_dict for Linear:")
    key = {"missing": '"bias"', "unexpected": '"extra"', "shape": "weight", "all": "bias"}
    assert key[change] in messages[0]


def test_load_state_dict_not_strict_reports_the_keys_as_torch():
    results = []
    for nn, engine in ((tnn, tinyad), (torch.nn, torch)):
        lin = nn.Linear(4, 3)
        sd = {"weight": engine.zeros(3, 4), "extra": engine.zeros(1)}
        result = lin.load_state_dict(sd, strict=False)
        results.append((result.missing_keys, result.unexpected_keys, repr(result)))
        assert numpy_of(lin.weight).sum() == 0
    assert results[0] == results[1] == (["bias"], ["extra"], results[1][2])
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        tnn.Linear(4, 3).load_state_dict({"weight": tinyad.zeros(4, 3)}, strict=False)


def test_load_state_dict_needs_tensors():
    with pytest.raises(RuntimeError, match='parameter named "bias"'):
        tnn.Linear(1, 1).load_state_dict({"weight": tinyad.zeros(1, 1), "bias": [0.0]})


# --------------------------------------------------------------------------- Linear

@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 4), st.booleans(), st.data())
def test_linear_matches_torch(n_in, n_out, batch, bias, data):
    theirs = torch.nn.Linear(n_in, n_out, bias=bias, dtype=torch.float64)
    ours = tnn.Linear(n_in, n_out, bias=bias, dtype=tinyad.float64)
    ours.load_state_dict(to_tinyad(theirs.state_dict()))
    shape = data.draw(st.sampled_from([(batch, n_in), (n_in,), (2, batch, n_in)]))
    x, g = data.draw(floats(shape)), data.draw(floats(shape[:-1] + (n_out,)))
    xa, xt = leaf(tinyad, x), leaf(torch, x)
    ya, yt = ours(xa), theirs(xt)
    np.testing.assert_allclose(numpy_of(ya), numpy_of(yt), **TOL)
    ya.backward(tinyad.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(numpy_of(xa.grad), numpy_of(xt.grad), **TOL)
    np.testing.assert_allclose(numpy_of(ours.weight.grad), numpy_of(theirs.weight.grad), **TOL)
    if bias:
        np.testing.assert_allclose(numpy_of(ours.bias.grad), numpy_of(theirs.bias.grad), **TOL)


def test_linear_default_initialisation_is_torchs():
    tinyad.manual_seed(0)
    torch.manual_seed(0)
    n_in, n_out = 50, 400
    bound = 1 / math.sqrt(n_in)
    for nn in (tnn, torch.nn):
        lin = nn.Linear(n_in, n_out)
        assert lin.weight.dtype in (np.float32, torch.float32)
        for p in (lin.weight, lin.bias):
            values = numpy_of(p)
            assert np.abs(values).max() <= bound
            assert np.abs(values).max() > 0.98 * bound
            assert abs(values.mean()) < 0.1 * bound
        # U(-b, b) has variance b^2 / 3
        np.testing.assert_allclose(numpy_of(lin.weight).var(), bound**2 / 3, rtol=0.05)
    assert tnn.Linear(2, 3, dtype=tinyad.float64).bias.dtype == np.float64
    assert tnn.Linear(2, 3).weight.shape == (3, 2)


def test_linear_refuses_devices_other_than_the_cpu():
    tnn.Linear(1, 1, device="cpu")
    with pytest.raises(RuntimeError, match="CPU only"):
        tnn.Linear(1, 1, device="cuda")


def test_linear_with_mismatched_input_fails():
    with pytest.raises(Exception, match=r"\(2, 5\)|\(5, 3\)|5"):
        tnn.Linear(4, 3)(tinyad.ones(2, 5))


# --------------------------------------------------------------------------- Sequential

def test_sequential_container_as_torch():
    for nn in (tnn, torch.nn):
        a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
        seq = nn.Sequential(a, b)
        assert len(seq) == 2 and seq[0] is a and seq[-1] is b and list(seq) == [a, b]
        seq.append(c)
        assert seq[2] is c and [n for n, _ in seq.named_children()] == ["0", "1", "2"]
        assert isinstance(seq[1:], nn.Sequential) and list(seq[1:]) == [b, c]
        with pytest.raises(IndexError, match="index 3 is out of range"):
            seq[3]  # noqa: B018
        named = nn.Sequential(OrderedDict([("first", a), ("second", b)]))
        assert named.first is a and [n for n, _ in named.named_children()] == ["first", "second"]


@pytest.mark.parametrize("change", [
    "m.insert(0, nn.Sigmoid())", "m.insert(-1, nn.Sigmoid())", "m.insert(4, nn.Sigmoid())",
    "m.insert(5, nn.Sigmoid())", "m.insert(-4, nn.Sigmoid())", "del m[1]", "del m[1:3]",
    "del m[-1]", "del m[7]", "m[1] = nn.Sigmoid()", "m[-1] = nn.Sigmoid()", "m.pop(2)",
    "m.extend([nn.ReLU()])", "m.insert(1, 3)"])
def test_sequential_changed_in_place_as_torch(change):
    """insert, del (the rest renamed "0", "1", ...), item assignment, pop and extend: the
    children's names and types after it, or the error's class."""
    seen = []
    for nn in (tnn, torch.nn):
        m = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3), nn.Tanh())
        try:
            exec(change, {"m": m, "nn": nn})
        except Exception as e:  # noqa: BLE001 (its class is compared)
            seen.append(type(e))
            continue
        seen.append([(name, type(child).__name__) for name, child in m.named_children()])
    assert seen[0] == seen[1]


def test_sequential_computes_the_composition():
    x = np.random.default_rng(1).standard_normal((4, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2),
                                 torch.nn.Sigmoid(), torch.nn.ReLU(), torch.nn.Identity()).double()
    ours = tnn.Sequential(tnn.Linear(3, 5), tnn.Tanh(), tnn.Linear(5, 2), tnn.Sigmoid(),
                          tnn.ReLU(), tnn.Identity()).double()
    ours.load_state_dict(to_tinyad(theirs.state_dict()))
    np.testing.assert_allclose(numpy_of(ours(tinyad.tensor(x))),
                               numpy_of(theirs(torch.tensor(x))), **TOL)


# --------------------------------------------------------------------------- activations

@pytest.mark.parametrize("name", ["ReLU", "Tanh", "Sigmoid", "Identity"])
@given(x=floats(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)))
def test_activation_matches_torch(name, x):
    if name == "ReLU":
        x = np.where(np.abs(x) < 1e-3, 0.5, x)  # no ties at the kink
    xa, xt = leaf(tinyad, x), leaf(torch, x)
    ya, yt = getattr(tnn, name)()(xa), getattr(torch.nn, name)()(xt)
    np.testing.assert_allclose(numpy_of(ya), numpy_of(yt), **TOL)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(numpy_of(xa.grad), numpy_of(xt.grad), **TOL)


def test_relu_inplace_writes_into_its_input():
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        x = engine.tensor(np.array([-1.0, 2.0]))
        y = nn.ReLU(inplace=True)(x)
        assert numpy_of(x).tolist() == numpy_of(y).tolist() == [0.0, 2.0]


@given(hnp.array_shapes(min_dims=1, max_dims=4, max_side=3), st.integers(-4, 3),
       st.integers(-4, 3))
def test_flatten_matches_torch(shape, start, end):
    x = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    results = []
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        try:
            results.append(numpy_of(nn.Flatten(start, end)(engine.tensor(x))))
        except (IndexError, RuntimeError) as e:
            results.append(type(e))
    if isinstance(results[1], np.ndarray):
        assert isinstance(results[0], np.ndarray)
        assert results[0].shape == results[1].shape
        np.testing.assert_array_equal(results[0], results[1])
    else:
        assert results[0] is results[1]


# --------------------------------------------------------------------------- losses

def class_targets(n, c):
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1))


@pytest.mark.parametrize("name", ["MSELoss", "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_losses_match_torch(name, reduction, n, c, data):
    x = data.draw(floats((n, c)))
    if name in ("CrossEntropyLoss", "NLLLoss"):
        target = data.draw(class_targets(n, c))
    elif name == "MSELoss":
        target = data.draw(floats((n, c)))
    else:
        target = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(0, 1)))
    xa, xt = leaf(tinyad, x), leaf(torch, x)
    la = getattr(tnn, name)(reduction=reduction)(xa, tinyad.tensor(target))
    lt = getattr(torch.nn, name)(reduction=reduction)(xt, torch.tensor(target))
    np.testing.assert_allclose(numpy_of(la), numpy_of(lt), **TOL)
    la.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(numpy_of(xa.grad), numpy_of(xt.grad), **TOL)


def test_bce_with_logits_weights_match_torch():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((4, 3)), rng.random((4, 3))
    weight, pos_weight = rng.random(3) + 0.5, rng.random(3) + 0.5
    losses = []
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        loss = nn.BCEWithLogitsLoss(weight=engine.tensor(weight),
                                    pos_weight=engine.tensor(pos_weight))
        assert list(loss.state_dict()) == ["weight", "pos_weight"]
        xl = leaf(engine, x)
        value = loss(xl, engine.tensor(y))
        value.backward()
        losses.append((value.item(), numpy_of(xl.grad)))
    np.testing.assert_allclose(losses[0][0], losses[1][0], **TOL)
    np.testing.assert_allclose(losses[0][1], losses[1][1], **TOL)


def test_class_weight_ignore_index_and_label_smoothing_modules():
    rng = np.random.default_rng(4)
    x, y = rng.standard_normal((5, 3)), np.array([0, 2, -100, 1, 2])
    weight = rng.random(3) + 0.5
    results = []
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        loss = nn.CrossEntropyLoss(weight=engine.tensor(weight), label_smoothing=0.2)
        assert list(loss.state_dict()) == ["weight"] and loss.ignore_index == -100
        nll = nn.NLLLoss(engine.tensor(weight), ignore_index=2, reduction="sum")
        xl = leaf(engine, x)
        value = loss(xl, engine.tensor(y)) + nll(xl, engine.tensor(np.where(y < 0, 2, y)))
        value.backward()
        results.append((value.item(), numpy_of(xl.grad)))
    np.testing.assert_allclose(results[0][0], results[1][0], **TOL)
    np.testing.assert_allclose(results[0][1], results[1][1], **TOL)


def test_bad_reduction_fails_when_called_as_torch():
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        loss = nn.MSELoss(reduction="bogus")  # accepted at construction, as in torch
        with pytest.raises(ValueError, match="bogus"):
            loss(engine.ones(2), engine.zeros(2))


def test_legacy_size_average_and_reduce():
    for nn in (tnn, torch.nn):
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            assert nn.MSELoss(size_average=False).reduction == "sum"
        with pytest.warns(UserWarning):
            assert nn.MSELoss(reduce=False).reduction == "none"


# --------------------------------------------------------------------------- init

@pytest.mark.parametrize("nonlinearity, param", [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)])
def test_calculate_gain_is_torchs(nonlinearity, param):
    assert tinit.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
        nonlinearity, param)


def test_init_errors_as_torch():
    for engine, init in ((tinyad, tinit), (torch, torch.nn.init)):
        for fn in (init.xavier_uniform_, init.kaiming_uniform_, init.xavier_normal_,
                   init.kaiming_normal_):
            with pytest.raises(ValueError, match="fewer than 2 dimensions"):
                fn(engine.zeros(3))
        with pytest.raises(ValueError, match="Mode fan_avg not supported"):
            init.kaiming_uniform_(engine.zeros(2, 2), mode="fan_avg")
        with pytest.raises(ValueError, match="Unsupported nonlinearity softsign"):
            init.calculate_gain("softsign")
        with pytest.raises(ValueError, match="not a valid number"):
            init.calculate_gain("leaky_relu", "big")
        with pytest.warns(UserWarning, match="zero-element"):
            init.kaiming_uniform_(engine.zeros(0, 3))


@pytest.mark.parametrize("shape", [(300, 200), (64, 16, 3, 3)])
def test_init_distributions_are_torchs(shape):
    """Each initialiser's spread (bounds for uniform, std for normal) matches torch's, measured
    on large tensors (the draws themselves differ: tinyad's generator is numpy's)."""
    tinyad.manual_seed(0)
    torch.manual_seed(0)
    cases = [
        ("uniform_", {"a": -0.3, "b": 0.7}, "uniform"),
        ("normal_", {"mean": 0.5, "std": 2.0}, "normal"),
        ("xavier_uniform_", {"gain": 2.0}, "uniform"),
        ("xavier_normal_", {}, "normal"),
        ("kaiming_uniform_", {"a": math.sqrt(5)}, "uniform"),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}, "uniform"),
        ("kaiming_normal_", {"nonlinearity": "tanh"}, "normal"),
    ]
    for name, kwargs, kind in cases:
        stats = []
        for engine, init in ((tinyad, tinit), (torch, torch.nn.init)):
            t = engine.zeros(*shape)
            assert getattr(init, name)(t, **kwargs) is t
            stats.append(numpy_of(t).ravel().astype(np.float64))
        ours, theirs = stats
        if kind == "uniform":  # the bounds, reached within 2 % on this many draws
            np.testing.assert_allclose([ours.min(), ours.max()], [theirs.min(), theirs.max()],
                                       rtol=0.02, atol=1e-3, err_msg=name)
        else:  # the means within 6 standard errors, the standard deviations within 5 %
            assert abs(ours.mean() - theirs.mean()) < 6 * theirs.std() / math.sqrt(ours.size)
            np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.05, err_msg=name)


def test_init_fills_in_place_without_recording():
    p = tnn.Parameter(tinyad.zeros(3, 4))
    for fill in (tinit.ones_, tinit.zeros_, lambda t: tinit.constant_(t, 2.5),
                 tinit.uniform_, tinit.normal_, tinit.xavier_uniform_, tinit.kaiming_uniform_):
        assert fill(p) is p
        assert p.is_leaf and p.grad_fn is None and p.requires_grad and p.dtype == np.float32
    tinit.constant_(p, 2.5)
    assert numpy_of(p).tolist() == [[2.5] * 4] * 3
    tinit.ones_(p)
    assert numpy_of(p).sum() == 12


def test_init_draws_follow_tinyads_seed():
    a, b = tinyad.zeros(5, 5), tinyad.zeros(5, 5)
    tinyad.manual_seed(7)
    tinit.normal_(a)
    tinyad.manual_seed(7)
    tinit.normal_(b)
    assert numpy_of(a).tolist() == numpy_of(b).tolist()
    g = tinyad.Generator()
    assert numpy_of(tinit.uniform_(a, generator=g.manual_seed(3))).tolist() == \
        numpy_of(tinit.uniform_(b, generator=g.manual_seed(3))).tolist()
    with pytest.raises(TypeError, match="must be torch.Generator, not object"):
        tinit.uniform_(a, generator=object())


# --------------------------------------------------------------------------- scope

@pytest.mark.parametrize("name", ["Conv2d", "LSTM", "RNN", "GroupNorm", "InstanceNorm1d",
                                  "EmbeddingBag", "GRU"])
def test_out_of_scope_layers_say_tinyad_lacks_them(name):
    assert hasattr(torch.nn, name)
    message = f"tinyad does not have torch.nn.{name}: tinyad.nn has only"
    with pytest.raises(AttributeError, match=message):
        getattr(tnn, name)
    assert not hasattr(tnn, name)


# --------------------------------------------------------------------------- whole programs

def program(torch):
    """A torch program, run unchanged on either engine (``torch`` is the engine module)."""
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))

        def forward(self, x):
            return self.layers(x)

    return Net()


def test_a_torch_training_loop_runs_unchanged_on_tinyad():
    import tinyad.optim  # noqa: F401  (until tinyad imports optim itself)

    rng = np.random.default_rng(0)
    x = rng.standard_normal((20, 4)).astype(np.float32)
    y = rng.integers(0, 3, 20)
    torch.manual_seed(0)
    theirs = program(torch)
    ours = program(tinyad)
    ours.load_state_dict(to_tinyad(theirs.state_dict()))
    histories = []
    for engine, model in ((tinyad, ours), (torch, theirs)):
        optimizer = engine.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = engine.nn.CrossEntropyLoss()
        inputs, targets = engine.tensor(x), engine.tensor(y)
        history = []
        for _ in range(30):
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
            history.append(loss.item())
        model.eval()
        with engine.no_grad():
            accuracy = (model(inputs).argmax(dim=1) == targets).float().mean().item()
        histories.append((history, accuracy))
    np.testing.assert_allclose(histories[0][0], histories[1][0], rtol=1e-4)
    assert histories[0][0][-1] < histories[0][0][0]
    assert histories[0][1] == histories[1][1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ours.state_dict().keys() == theirs.state_dict().keys()


# --------------------------------------------------------------------------- containers, dropout

def test_module_list_and_dict_behave_as_torchs():
    results = []
    for nn in (tnn, torch.nn):
        layers = nn.ModuleList([nn.Linear(2, 3), nn.ReLU()])
        layers.append(nn.Linear(3, 1))
        layers.insert(0, nn.Identity())
        layers += [nn.Tanh()]
        del layers[1]
        layers[0] = nn.Sigmoid()
        named = nn.ModuleDict({"first": nn.Linear(1, 2)})
        named["second"] = nn.ReLU()
        popped = type(named.pop("second")).__name__
        owner = nn.Module()
        owner.layers, owner.named = layers, named
        errors = []
        for bad in (lambda ls=layers: ls[10], lambda ls=layers: ls(1),
                    lambda nn=nn: nn.ModuleList([1])):
            try:
                bad()
            except Exception as e:  # noqa: BLE001 - the class is what is compared
                errors.append(type(e).__name__)
        results.append((repr(layers), repr(named), popped, len(layers), "first" in named,
                        list(named), [type(m).__name__ for m in layers[1:3]],
                        [name for name, _ in owner.named_parameters()], errors))
    assert results[0] == results[1]


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_dropout_zeroes_and_scales_as_torch(p):
    for engine, nn in ((tinyad, tnn), (torch, torch.nn)):
        engine.manual_seed(0)
        x = leaf(engine, np.ones(20000))
        layer = nn.Dropout(p)
        y = layer(x)
        kept = numpy_of(y) != 0
        assert np.isclose(kept.mean(), 1 - p, atol=0.02)
        if p < 1:
            np.testing.assert_allclose(numpy_of(y)[kept], 1 / (1 - p), rtol=1e-6)
        if p > 0:
            assert y.grad_fn.name() == "MulBackward0"
            y.sum().backward()
            np.testing.assert_array_equal(numpy_of(x.grad), numpy_of(y))
        else:
            assert y is x
        layer.eval()
        assert layer(x) is x and repr(layer) == f"Dropout(p={p}, inplace=False)"
        with pytest.raises(ValueError, match="between 0 and 1"):
            nn.Dropout(1.5)
        with pytest.raises(RuntimeError, match="can't be cast"):
            engine.nn.functional.dropout(engine.ones(3, dtype=engine.int64), 0.5)
