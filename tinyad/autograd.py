"""The autograd core: grad mode, Function (an op with forward and backward), the graph node,
and the backward pass.

How it fits together:

* ``Function.apply`` runs an op's ``forward`` on the inputs' numpy arrays. When an input requires
  a gradient (and grad mode is on) it also records a ``Node``: the ``ctx`` the op saved arrays
  on, plus one edge per input that needs a gradient. An edge points at the input's own Node
  (an intermediate result) or at the input Tensor itself (a leaf, where gradients accumulate).
* ``run_backward`` walks that graph from the output. It first counts, for every Node, how many
  edges point at it; a Node runs once all of them have delivered their gradient (so a tensor
  used twice receives the sum of both gradients), which visits Nodes in reverse topological
  order without recursion; of the Nodes ready to run, the one created last runs first, as in
  torch's engine. Each Node's gradients are reduced back to its inputs' shapes here,
  once, so that no op has to undo broadcasting itself.
* With ``create_graph=True`` the same walk hands each Node's backward Tensors instead of
  arrays (``_backward_on_tensors``), so the gradients it returns have a graph of their own.
* ``trace`` and ``detect_anomaly`` watch the walk: one records each step, the other stops at
  the first gradient that is NaN. Off, each costs one check per Node.
"""

import bisect
import collections
import functools
import gc
import inspect
import itertools
import numbers
import operator
import os
import sys
import threading
import time
import traceback
import types
import weakref

import numpy as np

from . import _layout
from ._quiet import DEFAULT, QUIET, numpy_errors, quiet_numpy
from ._sum import add_reduce, torch_sum
from ._warn import warn as _warn

# ----------------------------------------------------------------------------- grad mode


class _ThreadState(threading.local):
    enabled = True  # grad mode: record graphs
    inference = False  # inside `with inference_mode():`
    tracer = None  # a Trace recording backward steps, inside `with trace():`
    anomaly = False  # inside `with detect_anomaly():`
    formulas = False  # inside a backward under create_graph: numpy functions on tensors are
    # tinyad's ops there, so that the formulas record (Tensor.__array_ufunc__)
    check_nan = True  # (its check_nan)
    given = ()  # the gradients (arrays) the running backward started from (_first_grad)
    counters = ()  # their tensors' version counters, where they are a tensor's own array
    views = None  # id -> (array, counter): views of those that views' backwards made of them
    in_place = False  # computing an in-place op's result (Tensor._inplace), or rebuilding a
    # view's history: torch gives an integer tensor changed in place a history (and its views
    # theirs), where it refuses a new integer result of one


_state = _ThreadState()


def is_grad_enabled():
    """True unless inside ``no_grad()`` on this thread."""
    return _state.enabled


class no_grad:
    """Inside ``with no_grad():`` ops record no graph (e.g. hand-written parameter updates).

    The switch is per thread. Also usable as a decorator: ``@no_grad()`` or ``@no_grad``.
    """

    mode = False

    def __new__(cls, *args):
        self = super().__new__(cls)
        if cls is not set_grad_enabled and len(args) == 1 and callable(args[0]):
            return self(args[0])  # used as a decorator without parentheses
        return self

    def __init__(self, *args):
        pass

    def __enter__(self):
        self.prev = _state.enabled
        _state.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _state.enabled = self.prev

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            prev, _state.enabled = _state.enabled, mode
            try:
                return fn(*args, **kwargs)
            finally:
                _state.enabled = prev

        return wrapper


class enable_grad(no_grad):
    """Turn graph recording back on, e.g. inside a ``no_grad()`` block."""

    mode = True


class set_grad_enabled(no_grad):
    """``set_grad_enabled(False)`` switches recording off now; as a context manager, until exit."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = _state.enabled
        _state.enabled = self.mode

    def __enter__(self):
        return self

    def __call__(self, fn):
        _state.enabled = self.prev  # used as a decorator: switch only while fn runs
        return super().__call__(fn)


class inference_mode(no_grad):
    """``with inference_mode():`` no graph, as under no_grad, and the tensors made inside are
    torch's inference tensors (``is_inference()``; their views too): outside inference mode
    they cannot be changed in place, saved for backward or made to require grad, and their
    ``_version`` is refused. ``inference_mode(False)`` turns it off (and grad mode on)."""

    mode, inference = False, True  # (grad mode inside; also @inference_mode without parentheses)

    def __init__(self, mode=True):
        self.mode = not mode  # (the grad mode inside)
        self.inference = bool(mode)

    def __enter__(self):
        global _inferring
        with _inferring_lock:
            _inferring += 1
        self.prev = _state.enabled, _state.inference
        _state.enabled, _state.inference = self.mode, self.inference
        return self

    def __exit__(self, *exc):
        global _inferring
        _state.enabled, _state.inference = self.prev
        with _inferring_lock:
            _inferring -= 1

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(self.inference):
                return fn(*args, **kwargs)

        return wrapper


# how many inference_mode() blocks are open, in any thread: only then do new tensors read the
# (thread-local, slower to read) _state.inference to know whether they are inference tensors
_inferring, _inferring_lock = 0, threading.Lock()


def is_inference_mode_enabled():
    """True inside ``inference_mode()`` on this thread."""
    return _state.inference


# ----------------------------------------------------------------------------- graph nodes


class Version:
    """A counter shared by a tensor and its views, bumped by every in-place change."""

    value = 0  # where every counter starts (no __init__: creating one is then cheap)


class InferenceVersion(Version):
    """The counter of a tensor made in inference mode, and of its views: torch keeps none, and
    counting a change outside inference mode is refused, after the change, as torch's is."""

    @property
    def value(self):
        return 0

    @value.setter
    def value(self, _):
        if not _state.inference:
            raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not "
                               "allowed.You can make a clone to get a normal tensor before "
                               "doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
                               "for more details.")


ZERO_IMMUTABLE = ("ZeroTensors are immutable. Please use the materialized zero tensor obtained "
                  "using .clone() if you want a mutable tensor.")


class ZeroVersion(Version):
    """The counter of a gradient torch keeps as a ZeroTensor (see ZeroGrad), and of its views:
    torch's stays 0, and it refuses every change in place (tensor.py checks before the change;
    this refuses, after it, what else would count one)."""

    @property
    def value(self):
        return 0

    @value.setter
    def value(self, _):
        raise RuntimeError(ZERO_IMMUTABLE)


class Node:
    """One recorded op: the ``ctx`` its forward saved to, and edges to its inputs.

    ``edges`` holds ``(index, target, shape, dtype)`` for each input that needs a gradient:
    ``target`` is that input's Node, or the input Tensor itself when it is a leaf. Each op has
    its own Node subclass, named as torch names the node (MulBackward0) and knowing its
    Function as ``fn``; until an op sets them, a node has the defaults below.
    """

    __slots__ = ("edges", "needs_input_grad", "sources", "saved", "versions", "retained",
                 "sequence_nr", "constants", "accumulators", "__dict__", "__weakref__")
    fn = None  # (Function.apply sets the rest: saved, versions, retained, edges, ...)
    output_made = None  # the (shape, dtype) it made, once its output's .data took another
    read = ()  # (tensor, array) of the indices, masks and targets it reads at backward (_guard)
    unnumbered = False  # True for torch's NotImplemented node: no sequence number (apply)
    dirty = None  # the input a user's forward changed in place (mark_dirty; then its index)

    def save_for_backward(self, *arrays):
        """Keep arrays for backward; they are released after backward unless retain_graph."""
        self.saved = arrays

    def mark_non_differentiable(self, *outputs):
        """Say that these outputs have no gradient (indices, say): they do not require grad,
        and backward gets zeros (or None) for them."""
        self.non_differentiable = outputs

    def mark_dirty(self, *tensors):
        """Say that forward changed these inputs in place: the input it returns then takes the
        op's history, as an in-place op's result does (Function.apply)."""
        self.dirty = tensors

    def set_materialize_grads(self, value):
        """With False, backward gets None for an output no gradient reached (zeros by
        default), as torch's."""
        self.materialize_grads = value

    @property
    def saved_tensors(self):
        if self.saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time: the arrays that "
                f"{self.name()} saved were freed after the first backward. Call .backward("
                f"retain_graph=True) (or autograd.grad(..., retain_graph=True)) the first time "
                f"if you need to backward through the same graph again.")
        return self.saved

    def name(self):
        """torch's name for the node: MulBackward0, MmBackward0, ... (its type's name; for
        the nodes torch writes by hand in C++, with their namespace)."""
        name = type(self).__name__
        return "torch::autograd::" + name if name in _CPP_NODES else name

    @property
    def label(self):
        return type(self).__name__

    @label.setter
    def label(self, name):
        """An op whose torch name depends on its inputs (mm, mv, dot) names its node here."""
        self.__class__ = _node_type(name, self.fn)

    @property
    def next_functions(self):
        """torch's view of the edges: ``(node, 0)`` per input that needs grad, where a leaf's
        node is an AccumulateGrad holding the leaf as ``.variable``, and ``(None, 0)`` per
        float tensor input that does not (bits of ``constants``) and per number torch's op takes
        as a tensor (x * 2: Function.numbers_as_tensors), in the order of the inputs; torch's
        node for an op without a derivative (NotImplemented) has only those of the inputs that
        require grad (a view that requires grad only through its base: (None, 0))."""
        entries = {i: _next_function(target) for i, target, _, _ in self.edges}
        if type(self).__name__ == "NotImplemented":
            constants, numbers = getattr(self, "dangling", 0), ()
        else:
            constants, numbers = getattr(self, "constants", 0), self.fn.numbers_as_tensors
        for i in range(len(self.needs_input_grad)):
            if constants >> i & 1 or i in numbers:
                entries.setdefault(i, (None, 0))
        return tuple(entries[i] for i in sorted(entries))

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    def register_hook(self, hook):
        raise NotImplementedError(
            "tinyad has no hooks on a grad_fn node (torch's Node.register_hook and "
            "register_prehook): register a hook on the tensor instead, tensor.register_hook(fn), "
            "which is called with the tensor's gradient")

    register_prehook = register_hook


def _node_of(tensor):
    """The node where the tensor's gradient enters the graph: its grad_fn (a view's brought up
    to date), but for one output of several its own _Output node."""
    if tensor._base is not None:
        _sync_view(tensor)
    return tensor._grad_fn


def _next_function(target):
    """An edge's end as torch shows it: (node, output number)."""
    if not isinstance(target, Node):
        return AccumulateGrad(target), 0
    if target.fn is _Output:  # (output k of a Function with several)
        return target.function, target.output_nr
    return target, 0


_CPP_NODES = {"CopySlices", "NotImplemented", "CopyBackwards", "Error"}
_NODE_TYPES = {}
# Nodes are numbered as they are created; backward runs the latest-created ready node first,
# as torch's engine does (so when a backward fails halfway, the same part of it has run)
_next_sequence_nr = itertools.count().__next__
_UNNUMBERED = 2**64 - 1  # torch's sequence_nr of AccumulateGrad and NotImplemented nodes
_sequence_nr = operator.attrgetter("sequence_nr")


def _node_type(name, fn):
    """The Node subclass for ``fn``'s nodes, named as torch names them, so that
    type(y.grad_fn).__name__ is 'MulBackward0' as in torch."""
    node_type = _NODE_TYPES.get((name, fn))
    if node_type is None:
        node_type = _NODE_TYPES[name, fn] = type(name, (Node,), {
            "__slots__": (), "fn": fn, "unnumbered": name == "NotImplemented"})
    return node_type


class AccumulateGrad:
    """Where a leaf's gradient goes (torch's name for the end of an edge at a leaf)."""

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "torch::autograd::AccumulateGrad"  # (torch's name for it, a C++ class)

    next_functions = ()

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


class Function:
    """Base class of every op, and of users' own ops (as torch.autograd.Function).

    Subclasses define two staticmethods::

        forward(ctx, *inputs) -> output         # inputs: tensors, others as given
        backward(ctx, grad_output) -> grads     # one per input (None where not needed)

    ``ctx.save_for_backward(*tensors)`` keeps what backward needs; ``ctx.saved_tensors`` gives
    it back; ``ctx.needs_input_grad[i]`` says whether input i needs a gradient. Gradients may
    have the broadcast shape of the output: the engine sums them back to each input's shape.
    Call an op with ``MyFunction.apply(*inputs)``. As in torch, a user's Function sees the
    caller's tensors (under no_grad: what it computes records nothing) and its backward the
    saved ones; tinyad's own ops (ops.py) see their numpy arrays, which is cheaper.

    Higher order: with ``create_graph=True`` backward runs again on Tensors (saved inputs and
    the output become the graph's own tensors, and numpy functions called on them dispatch to
    tinyad's ops), so its result can be differentiated. For that, save only inputs, the output,
    and integer or bool constants (masks, indices), and recompute other intermediates in
    backward. Set ``once_differentiable = True`` on a Function whose backward cannot do this.
    """

    is_view = False  # True if the output is a view of input 0 (t), "maybe" if it may be one
    numbers_as_tensors = ()  # the inputs that torch's op takes as tensors when given numbers
    ufunc = None  # the numpy ufunc (or function) that is the whole forward, if any (add, mul)
    c_order = False  # True if torch lays the output out in C order whatever the inputs' layout
    elementwise = False  # True if torch lays the output out as its first operand that orders
    # the dims (an elementwise op of several operands: _layout.like_operands)
    number_operands = (0, 1)  # the arguments that are operands of torch's loop where they are
    # numbers (0-d tensors, as torch wraps x + 1's 1), not its parameters (clamp's bounds)
    once_differentiable = False
    saves_buffers = False  # True if it saves arrays that torch's formulas take as constants
    # (logsigmoid's buffer), beside inputs, output and integer or bool constants
    grad_is_view = False  # True if torch's backward returns views of g (a view op's: reshape,
    # transpose, ...; sum's expand, cat's and stack's pieces), and so does this one's
    derivative = True  # False for an op torch has no derivative for: its backward raises, and
    # runs even where no gradient reached it
    index_inputs = ()  # the positions of tensor inputs that are indices or masks, never
    # differentiated (an integer one with a history makes no edge)
    integer_history = True  # False for an op that torch leaves out of the graph where its
    # result is an integer tensor (floor_divide), where the others refuse an integer result
    backward_name = "FunctionBackward"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        builtin = cls.__module__ == __name__.rpartition(".")[0] + ".ops"
        cls._on_tensors = not builtin  # users' Functions see tensors, tinyad's ops arrays
        if "backward_name" not in cls.__dict__:  # torch's names: MulBackward0, users' MyFnBackward
            cls.backward_name = cls.__name__ + ("Backward0" if builtin else "Backward")
        cls._node = _node_type(cls.backward_name, cls)
        if "ufunc" not in cls.__dict__:  # a subclass's own forward is not its parent's ufunc
            cls.ufunc = None

    def __init__(self, *args, **kwargs):
        _warn(f"{type(self)} should not be instantiated. Methods on autograd functions "
              f"are all static, so you should invoke them on the class itself "
              f"(MyFunction.apply(x)), as torch warns.", DeprecationWarning)

    def __call__(self, *args, **kwargs):  # (old torch's MyFunction()(x))
        raise RuntimeError("Legacy autograd function with non-static forward method is "
                           "deprecated. Make forward and backward staticmethods taking ctx, and "
                           "call MyFunction.apply(x), as torch requires.")

    @staticmethod
    def forward(ctx, *inputs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad_output)")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """torch's newer style: forward(*inputs) without ctx, and this saves what is needed."""

    @classmethod
    def _operands(cls, args):
        """The arguments of an elementwise op that lay out its output (like_operands)."""
        return [a for k, a in enumerate(args) if type(a) is np.ndarray or k in
                cls.number_operands and isinstance(a, (numbers.Number, np.generic))]

    @classmethod
    def apply(cls, *inputs):
        args, flags, edges, dangling, constants, accumulators = [], [], [], 0, 0, ()
        for k, x in enumerate(inputs):
            if not isinstance(x, Tensor):
                args.append(x)
                flags.append(False)
                continue
            args.append(x._data)
            if x._cast_of is not None or x._base is not None:
                x = _history_of(x)
            fn = x._grad_fn
            if (fn is not None or x._requires_grad) and not (
                    cls.index_inputs and k in cls.index_inputs):  # (an index or mask with a
                # history gets no edge: see index_inputs)
                if fn is not None:  # an edge to where its gradient goes
                    data = x._data
                    edges.append((k, fn, data.shape, data.dtype))
                else:  # a leaf: its gradient gets the shape its accumulator has
                    acc = _accumulator(x)
                    edges.append((k, x, acc.shape, acc.dtype))
                    accumulators += (acc,)
                flags.append(True)
                continue
            if x._base is not None and x._base._requires_grad:
                # a view without history whose base started to require grad after it was
                # made (see Tensor.requires_grad): the output requires grad, but torch records
                # no edge to the view (nor computes its gradient: its saved values unread)
                dangling |= 1 << k  # (for next_functions: a (None, 0),
                constants |= 1 << k  # even NotImplemented's)
            elif args[-1].dtype.kind == "f":  # (and one per float input, an integer one
                constants |= 1 << k  # converted too)
            flags.append(False)
        needs = (edges or dangling) and _state.enabled
        if not needs and cls.ufunc is not None:  # nothing to record: just numpy's ufunc
            try:
                out = cls.ufunc(*args)
            except ValueError as e:
                _reraise_broadcast_error(cls, e, args)
            except RuntimeWarning:  # numpy's warning raised as an error: _quiet.py
                with quiet_numpy():
                    out = cls.ufunc(*args)
            if type(out) is not np.ndarray:
                return Tensor._wrap(np.asarray(out))
            return Tensor._wrap(_layout.like_operands(out, cls._operands(args)) if out.ndim > 1
                                and cls.elementwise and not _layout.c_ordered_all(args) else out)
        ctx = cls._node()
        ctx.sequence_nr = _next_sequence_nr()
        ctx.saved = ctx.versions = ()
        ctx.retained = None  # the tensor whose .grad keeps this node's gradient (retain_grad):
        # a weak reference, as torch's, so that the two make no cycle that keeps the graph
        flags = tuple(flags) if needs else (False,) * len(flags)
        ctx.needs_input_grad = _flag_tuples.setdefault(flags, flags)  # (one of each: see below)
        if _state.anomaly:
            ctx.created_at = traceback.extract_stack()[:-1]
        try:
            out = _forward_on_tensors(cls, ctx, inputs) if cls._on_tensors else \
                cls.forward(ctx, *args)
        except np.exceptions.AxisError as e:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-max(e.ndim, 1)}, "
                f"{max(e.ndim, 1) - 1}], but got {e.axis})") from None
        except ValueError as e:
            _reraise_broadcast_error(cls, e, args)
        except RuntimeWarning:  # numpy's warning raised as an error (-W error): _quiet.py
            if cls._on_tensors:  # (a user's own numpy: as they set it)
                raise
            with quiet_numpy():
                out = cls.forward(ctx, *args)
        if ctx.unnumbered:  # torch's node for an op without a
            ctx.sequence_nr = _UNNUMBERED  # derivative runs as soon as it is ready, as a leaf's
            # accumulator does (so a gradient the backward would reach after it is not added)
        if type(out) is not np.ndarray:  # numpy returns scalars for 0-d results
            if type(out) is tuple:  # (a user's Function with several outputs)
                return _several_outputs(ctx, inputs, args, out, needs and (
                    edges, constants, accumulators))
            scalar, out = out, np.asarray(out)
            if ctx.saved:  # an op that saved its output saved that scalar: use the array
                ctx.saved = tuple(out if a is scalar else a for a in ctx.saved)
        elif out.ndim > 1 and (cls.c_order or cls.elementwise):
            laid_out = _layout.c_order(out) if cls.c_order else out if _layout.c_ordered_all(
                args) else _layout.like_operands(out, cls._operands(args))  # (a transposed
            # input's softmax; x.t() + y)
            if laid_out is not out:
                if ctx.saved:  # (the output saved: the copy, which the result holds, instead)
                    ctx.saved = tuple(laid_out if a is out else a for a in ctx.saved)
                out = laid_out
        if dangling and out.dtype.kind not in "fc" and _state.enabled:
            # (only a view of an integer or bool tensor whose base became a float one that
            # requires grad (.data) gets here: torch refuses an integer result in the graph)
            raise RuntimeError(f"Autograd not support dtype: {_SCALAR_TYPE[out.dtype]}; "
                               f"detach() the integer view, or make it anew from its base")
        result = Tensor.__new__(Tensor)
        result._data, result._grad, result.name, result._base = out, None, None, None
        result._cast_of = None
        if cls.is_view and (cls.is_view is True or _same_owner(out, args[0])):
            _record_view(result, inputs[0])
        elif cls._on_tensors and "_tinyad_alias" in ctx.__dict__:  # (a user's Function's)
            k, is_view = ctx._tinyad_alias
            if is_view:  # a view: changing it, or its base, in place then reading it, refused
                _record_view(result, inputs[k])  # in grad mode
                result._view_multi = cls.__name__, 0, True
            else:  # (a detached input: its version counter)
                result._counter = inputs[k]._counter
        else:
            result._counter = InferenceVersion() if _inferring and _state.inference else \
                Version()
        if not needs or cls._on_tensors and ctx.__dict__.get("_tinyad_constant"):
            # (or a user's Function's output marked non-differentiable: it does not require
            # grad, as torch's)
            if ctx.dirty is not None:  # the input changed in place is the output (under no_grad,
                x = inputs[ctx.dirty]  # as torch: an alias that does not require grad)
                x._counter.value += 1
                return x.detach() if x.requires_grad else x
            result._requires_grad, result._grad_fn = False, None
            return result
        if out.dtype.kind not in "fc" and not _state.in_place and any(
                e[3].kind not in "fc" for e in edges):
            if cls.integer_history:
                raise RuntimeError(INTEGER_HISTORY.format(_SCALAR_TYPE[out.dtype]))
            result._requires_grad, result._grad_fn = False, None
            return result
        ctx.edges = tuple(edges)
        if constants:
            ctx.constants = constants
        if dangling:
            ctx.dangling = dangling
        if accumulators:  # (held while this node is)
            ctx.accumulators = accumulators
        if ctx.saved:
            _record_saved(ctx, inputs, args, out, result)
        result._requires_grad, result._grad_fn = True, ctx
        if ctx.dirty is not None:  # the changed input takes the op's history, as an in-place op's
            x = inputs[ctx.dirty]
            try:
                return x._inplace(lambda _: result, inputs, overlap_checked=True,
                                  what=f"{cls.__name__}.forward, marked dirty")
            except RuntimeError:  # refused (a leaf that requires grad), once counted as changed
                x._counter.value += 1
                raise
        return result


def _history_of(x):
    """The tensor whose history an op's input ``x`` carries: the original of a converted copy
    (_promoted), as torch converts in its kernel; a view brought up to date (_sync_view) where
    its base changed since (not under no_grad, where nothing reads its history)."""
    if x._cast_of is not None:
        x = x._cast_of
    base = x._base
    if base is not None and (base._grad_fn is not x._view_src or (
            base._requires_grad or x._grad_fn is not None)
            and x._counter.value != x._view_at) and _state.enabled:
        _sync_view(x)
    return x


# One copy of each tuple of flags ((True, False), say) serves every node: each object that
# lives as long as the graph is work for the cyclic collector (1 % of the tanh chain's time)
_flag_tuples = {}


class _Accumulator:
    """Where a leaf's gradient goes, as torch's AccumulateGrad node knows it: the leaf's shape
    and dtype when it was made. torch keeps one per leaf while any graph holds it (here the
    nodes with an edge to the leaf, in ``Node.accumulators``), so a leaf whose ``.data`` took
    another shape meanwhile still gets gradients of the old one (summed down to it where they
    broadcast, refused where they do not); the next graph made once none holds it has the new
    one."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape, self.dtype = _OwnShape(shape), dtype


class _OwnShape(tuple):
    """A shape that is one accumulator's own object: an edge names its accumulator by it
    (_captured), and equal tuples may be one object (``()`` always is)."""

    __slots__ = ()


def _accumulator(leaf):
    """The leaf's accumulator: its last one, unless there is none (``.data`` of another dtype
    drops it, as torch's set_data) or the leaf's shape changed and no node holds that one any
    more (references: the leaf, ``acc`` here, getrefcount's argument)."""
    try:
        acc = leaf._accumulator
    except AttributeError:  # (its first edge)
        acc = None
    data = leaf._data
    if acc is not None and acc.shape == data.shape:
        return acc
    if acc is not None and sys.getrefcount(acc) > 3:
        _clear_finished_frames()
        if sys.getrefcount(acc) > 3:
            return acc
    acc = leaf._accumulator = _Accumulator(data.shape, data.dtype)
    return acc


def _clear_finished_frames():
    """Drop the locals of the frames of tinyad's ops that exception tracebacks keep. An error
    raised inside an op leaves its frames, and the tensors they read, in the traceback; torch's
    ops are C++ and leave nothing, so with these cleared a caught error keeps the same graph in
    both: through the frames of the program that caught it, and of the functions that are
    Python in torch too (backward, grad, most of ``nn.functional``, ``nn``'s modules and
    ``optim``), whose frames are kept."""
    from .nn import functional
    kept = {Tensor.backward.__code__, backward.__code__, grad.__code__} | {
        getattr(functional, name).__code__ for name in functional._PYTHON_IN_TORCH}
    for frame in gc.get_objects():  # (finished frames: those still running are not tracked)
        if type(frame) is types.FrameType and frame.f_code.co_filename in _OP_MODULES and \
                frame.f_code not in kept and not frame.f_code.co_flags & _GENERATOR:
            try:
                frame.clear()
            except RuntimeError:  # (one still running that something made a frame object of)
                pass


_OP_MODULES = {os.path.join(os.path.dirname(__file__), *name.split("/")) for name in (
    "autograd.py", "tensor.py", "ops.py", "linalg.py", "_layout.py", "_math.py", "_stl.py",
    "nn/functional.py")}
_GENERATOR = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def _guard(result, tensors):
    """Make backward refuse ``tensors`` (indices, masks, targets: integer or bool tensors whose
    values an op kept for its gradient) once changed in place, as torch's saved variables do,
    or once their ``.data`` took other values (_check_read); ``tensors`` may hold other things,
    which are skipped."""
    node = result._grad_fn
    if node is not None:
        tensors = [t for t in tensors if isinstance(t, Tensor)]
        node.versions += tuple((t._counter, t._counter.value, None, None) for t in tensors)
        node.read += tuple((t, t._data) for t in tensors)
    return result


def _check_read(node):
    """torch's backward reads an index, mask or target its op saved from the tensor, so after
    ``t.data = ...`` it uses the new values (or refuses another dtype); tinyad's nodes keep
    what the op read, so rather than give another gradient silently, backward refuses."""
    for t, values in node.read:
        new = t._data
        if new is not values and not (new.dtype == values.dtype and new.shape == values.shape
                                      and np.array_equal(new, values)):
            raise RuntimeError(
                f"{node.name()} read an index, mask or target whose .data was replaced with "
                f"other values since: torch's backward would use the new ones (or refuse "
                f"another dtype), tinyad's cannot. Replace .data before the op, or give the "
                f"op a copy.")


def _forward_on_tensors(cls, ctx, inputs):
    """A user's forward, run on the caller's tensors under no_grad (as torch's); what it saves
    and returns is kept as arrays, like the engine's own ops."""
    with no_grad():
        if cls.setup_context is not Function.setup_context:  # torch's newer style
            out = cls.forward(*inputs)
            cls.setup_context(ctx, tuple(inputs), out)
        else:
            out = cls.forward(ctx, *inputs)
    ctx.saved = tuple(a._data if isinstance(a, Tensor) else a for a in ctx.saved)
    if isinstance(out, tuple):  # several outputs: arrays, and other things as they are
        if ctx.dirty:
            raise NotImplementedError(f"{cls.__name__}: tinyad's mark_dirty takes a Function "
                                      f"with one output")
        marked = ctx.__dict__.get("non_differentiable", ())
        ctx.non_differentiable = {k for k, o in enumerate(out) if any(o is m for m in marked)}
        return tuple(o._data if isinstance(o, Tensor) else o for o in out)
    dirty = ctx.dirty
    if dirty:  # (mark_dirty: the changed input must be the output, as torch requires)
        if len(dirty) > 1 or dirty[0] is not out:
            for x in dirty:  # (counted as changed first, as torch)
                x._counter.value += 1
            raise RuntimeError(
                "Some elements marked as dirty during the forward method were not returned as "
                "output. The inputs that are modified inplace must all be outputs of the "
                "Function.")
        ctx.dirty = next(i for i, x in enumerate(inputs) if x is out)
    elif isinstance(out, Tensor):  # an input returned as it is, or a view or an alias of one:
        # torch's result is one too (see Function.apply); marked non-differentiable, an alias
        # that does not require grad
        ctx._tinyad_constant = any(out is m for m in ctx.__dict__.get("non_differentiable", ()))
        for k, x in enumerate(inputs):
            if isinstance(x, Tensor) and out._counter is x._counter:
                ctx._tinyad_alias = k, (out is x or out._base is x) and not ctx._tinyad_constant
                break
    return out._data if isinstance(out, Tensor) else out


def _backward_of_user(node, grad, users):
    """A user's backward, run on tensors (the saved ones, an input as itself, and the incoming
    gradient); its results go back to arrays for the engine."""
    saved = _saved_as_tensors(node, twice=False)  # (an input as itself, as torch's)
    grads = grad.parts_for(node) if type(grad) is _Grads else (grad,)
    with quiet_numpy(users):  # (numpy as the user set it: _quiet.py)
        grads = node.fn.backward(_TensorContext(node, saved), *(
            None if g is None else _tensor_of(g) for g in grads))
    if isinstance(grads, tuple):
        return tuple(g._data if isinstance(g, Tensor) else g for g in grads)
    return grads._data if isinstance(grads, Tensor) else grads


def _several_outputs(ctx, inputs, args, out, recording):
    """The results of a user's Function whose forward returned several outputs (``out``:
    arrays, and other things, returned as they are). Recorded (``recording``: the edges,
    constants and accumulators), each float output that was not marked non-differentiable
    gets an ``_Output`` node as its history, which puts its gradient in its place among the
    Function's (torch's output_nr); ``grad_fn`` shows the Function's node, as torch's."""
    results = tuple(Tensor._wrap(o) if isinstance(o, np.ndarray) else o for o in out)
    if not recording:
        return results
    ctx.edges, constants, accumulators = tuple(recording[0]), recording[1], recording[2]
    if constants:
        ctx.constants = constants
    if accumulators:
        ctx.accumulators = accumulators
    ctx.outputs = tuple((o.shape, o.dtype) if isinstance(o, np.ndarray) else None for o in out)
    ctx.proxies = [None] * len(out)
    for k, t in enumerate(results):
        if isinstance(t, Tensor) and t._data.dtype.kind == "f" and \
                k not in ctx.non_differentiable:
            proxy = ctx.proxies[k] = _Output._node()
            proxy.sequence_nr = _next_sequence_nr()
            proxy.saved = proxy.versions = ()
            proxy.retained, proxy.needs_input_grad = None, (True,)
            proxy.edges, proxy.output_nr, proxy.function = ((0, ctx, None, None),), k, ctx
            t._requires_grad, t._grad_fn = True, proxy
    if ctx.saved:
        _record_saved(ctx, inputs, args, None, None)
        sources, versions = list(ctx.sources), list(ctx.versions)
        for position, a in enumerate(ctx.saved):  # an output saved: its version kept
            k = next((k for k, o in enumerate(out) if a is o), None)
            if k is not None:
                sources[position] = -2 - k
                versions.append((results[k]._counter, results[k]._counter.value, position,
                                 None))
        ctx.sources, ctx.versions = tuple(sources), tuple(versions)
    return results


class _Grads:
    """The gradients of the outputs of a Function with several, one place per output (None
    where none arrived yet), as they travel to its node; an edge to that node has no shape or
    dtype, so the engine passes them on as they are."""

    __slots__ = ("parts",)
    shape = dtype = None

    def __init__(self, parts):
        self.parts = parts

    def __add__(self, other):
        return _Grads(tuple(b if a is None else a if b is None else a + b
                            for a, b in zip(self.parts, other.parts)))

    def parts_for(self, node):
        """What the Function's backward gets: a gradient per output, zeros (or None, after
        set_materialize_grads(False)) where none arrived, None for a non-tensor output."""
        if not node.__dict__.get("materialize_grads", True):
            return self.parts
        return tuple(np.zeros(*meta) if g is None and meta is not None else g
                     for g, meta in zip(self.parts, node.outputs))


class _Output(Function):
    """Output k of a user's Function with several: its gradient g becomes the Function's
    gradients with g in place k."""

    @staticmethod
    def backward(ctx, g):
        parts = [None] * len(ctx.function.outputs)
        parts[ctx.output_nr] = g
        return (_Grads(tuple(parts)),)

    def name(self):
        return self.function.name()


_Output._on_tensors = False  # (its backward sees what the engine passes: arrays or tensors)


# ----------------------------------------------------------------------------- views


def _same_owner(a, b):
    """Whether two arrays view the memory of one array (numpy links a view to the owner)."""
    return (a if a.base is None else a.base) is (b if b.base is None else b.base)


def _record_view(result, source):
    """Make ``result`` a view: it shares the storage and the version counter of its root base,
    and remembers the base's history it was made from (to rebuild its own, see _sync_view)."""
    base = source._base if source._base is not None else source
    result._counter, result._base = source._counter, base
    result._view_src = base._grad_fn
    # made under no_grad, or a view of such a view (torch passes that on, as CreationMeta)
    result._view_nograd = not _state.enabled or source._base is not None and source._view_nograd
    result._view_at = source._counter.value
    result._view_multi = source._view_multi if source._base is not None else None
    if not result._data.flags.writeable:
        result._data = _writable(result._data)


REPEATED_WRITE = ("unsupported operation: more than one element of the written-to tensor "
                  "refers to a single memory location. Please clone() the tensor before "
                  "performing the operation.")


def _repeats(array):
    """Whether an element of ``array`` appears in it more than once (an expanded tensor: a
    stride of 0 along a dim of more than one element), torch's internal overlap."""
    return array.size > 1 and any(s == 0 and n > 1 for s, n in zip(array.strides, array.shape))


def _writable(array, repeats_allowed=False):
    """``array``, or when numpy made it read-only only because it comes from a broadcast, a
    writable array on the same memory, as torch's views are writable: where no element repeats
    (``x.expand(3)[0]``), or where one may (``repeats_allowed``, for a fill, which torch
    allows: every copy of an element gets the same value)."""
    if array.flags.writeable or _repeats(array) and not repeats_allowed:
        return array
    return _restrided(array, array.strides, writable=True)


def _restrided(array, strides, writable=False):
    """An array on the memory of ``array``, from its first element, with other strides (or,
    with ``writable``, the same ones but writable); ``array`` itself where nothing changes (the
    same strides, no element) or its memory does not allow that (read-only, or not a block
    numpy can hand out)."""
    if not writable and (array.strides == tuple(strides) or not array.size):
        return array
    out = _on_memory_of(array, array.shape, strides)
    if out is None or writable and not out.flags.writeable:
        return array
    out.flags.writeable = array.flags.writeable or writable
    return out


def _on_memory_of(array, shape, strides):
    """An array of ``shape`` and ``strides`` (in bytes) on the memory of ``array``'s owner, from
    array's first element (a view of it, as numpy links views), or None where that memory is not
    a block numpy can hand out; writable as the owner is."""
    owner = array
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        return None
    offset = array.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    try:
        return np.ndarray(shape, array.dtype, owner, offset, strides)
    except ValueError:  # (an empty view past the end of its memory, say: numpy refuses it)
        return None


def _sync_view(view):
    """When the base of ``view`` was changed in place by a recorded op since the view was taken
    (or started or stopped requiring grad), the view's history becomes the view op on the base
    as it is now (torch does the same, lazily)."""
    base = view._base
    if base._grad_fn is None and view._view_src is not None and \
            view._counter.value == view._view_at:
        return  # the base was detached in place (detach_): torch leaves its views' history
    if view._view_multi is not None and (view._grad_fn is not None or base._requires_grad) and (
            base._grad_fn is not view._view_src or view._counter.value != view._view_at):
        raise RuntimeError(_multi_output_view_error(
            view, "its base or another view of its base has been modified inplace"))
    if view._view_nograd and (base._requires_grad or view._grad_fn is not None):
        # torch cannot tell the history of a view made under no_grad (or of a view of one)
        # once it or its base changed in place: it refuses to, in grad mode
        if base._grad_fn is not view._view_src or view._counter.value != view._view_at:
            _refuse_nograd_view()
        return
    # torch rebuilds a view's history once the view (or its base) changed in place since the
    # history was made: so a view follows its base starting to require grad only then; and
    # once its base stopped (or was detached), a view with a history gets a node that takes
    # its gradient nowhere (torch's AsStridedBackward0 with (None, 0) for its next function)
    if base._grad_fn is view._view_src and view._counter.value == view._view_at or \
            not base._requires_grad and view._grad_fn is None:
        return
    view._view_src, view._view_at = base._grad_fn, view._counter.value
    if base._requires_grad:
        node = _rebuilt(base, view)
    else:
        stand_in = Tensor._wrap(base._data)
        stand_in._requires_grad = True
        node = _rebuilt(stand_in, view)
        node.edges, node.constants = (), 1
    set_history(view, node)


def _rebuilt(base, view):
    """The view's node on its base as they are now: torch's AsStridedBackward0, from where each
    lies in memory (so a gradient through it is new memory, and a view whose .data, or whose
    base's, was replaced since takes it as torch does)."""
    outer, _state.in_place = _state.in_place, True  # (an integer view's history too)
    try:
        with enable_grad():
            return ops.AsStrided.apply(base, (ops.geometry(base._data),
                                              ops.geometry(view._data)), view._data)._grad_fn
    finally:
        _state.in_place = outer


def set_history(t, node):
    """Make ``node`` the grad_fn of ``t`` (changed in place, or a view whose history was
    rebuilt); a gradient ``t`` retains is the new node's from now on, as torch moves it."""
    old = t._grad_fn
    if t._retains_grad_() and node is not None:
        if old is not None and old.retained is not None and old.retained() is t:
            old.retained = None
        node.retained = weakref.ref(t)
    t._requires_grad, t._grad_fn = True, node


def _multi_output_view_error(view, what):
    """torch's words for a change to, or through, one of the views split or unbind returned,
    or that a user's Function returned (``_view_multi``: name, output, whether a Function's)."""
    name, i, custom = view._view_multi
    why = ("This view was created inside a custom Function (or because an input was returned "
           "as-is) and the autograd logic to handle view+inplace would override the custom "
           "backward associated with the custom Function, leading to incorrect gradients. This "
           "behavior is forbidden. You can fix this by cloning the output of the custom "
           "Function." if custom else
           "This view is the output of a function that returns multiple views. Such functions "
           "do not allow the output views to be modified inplace. You should replace the "
           "inplace operation by an out-of-place one.")
    if not view.requires_grad and not custom:  # (a view of a tensor that needs no gradient
        # has no node: torch's words for one made under no_grad)
        return f"A view was created in no_grad mode and {what} with grad mode enabled. {why}"
    return f"Output {i} of {name} is a view and {what}. {why}"


INTEGER_HISTORY = (
    "Autograd not support dtype: {} (an integer or bool tensor that requires grad: torch gives "
    "one a history when an in-place op writes a value that requires grad into it, fill_ or "
    "masked_fill_ say, and then refuses an integer result of it; detach() it first)")


def _refuse_integer_gradient():
    raise RuntimeError(
        "isDifferentiableType(grad.scalar_type()) INTERNAL ASSERT FAILED (torch's words): a "
        "gradient would flow into an integer or bool tensor, which requires grad since an "
        "in-place op wrote a value that requires grad into it; detach() it before using it")


def _refuse_nograd_view():
    raise RuntimeError(
        "A view was created in no_grad mode and its base or another view of its base has been "
        "modified inplace with grad mode enabled. Given that this use case is ambiguous and "
        "error-prone, it is forbidden. Move both the view and the in-place change inside the "
        "no_grad block, or both outside it.")


_NUMPY_TO_TORCH = {  # numpy's ValueErrors that torch raises as RuntimeErrors, in torch's words
    "Integers to negative integer powers are not allowed.":
        "Integers to negative integer powers are not allowed.",
    "duplicate value in 'axis'": "a dim appears multiple times in the list of dims",
}


def _reraise_broadcast_error(cls, error, args):
    if str(error) in _NUMPY_TO_TORCH:
        raise RuntimeError(_NUMPY_TO_TORCH[str(error)]) from None
    if "could not be broadcast" not in str(error) and "cannot be broadcast" not in str(error):
        raise error
    shapes = " and ".join(str(np.shape(a)) for a in args if hasattr(a, "shape"))
    raise RuntimeError(
        f"{cls.__name__}: shapes {shapes} cannot be broadcast together (aligned from the "
        f"right, each pair of dimensions must be equal or one of them 1)") from None


INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")


def _record_saved(ctx, inputs, args, out, result):
    """Note where each saved array came from (input index, -1 for the output, None for neither)
    and the version its tensor is at now, so that backward can tell when one was modified in
    place after it was saved, and create_graph can put the graph's tensors in its place. An
    input is held as its tensor (the output, to make no cycle, as its version counter)."""
    sources, versions = [], []
    for a in ctx.saved:
        if a is None:
            sources.append(None)
            continue
        if a is out and not (ctx.fn._on_tensors and "_tinyad_alias" in ctx.__dict__ and any(
                a is x for x in args)):
            # (a user's Function that returned an input as it is saved that input, as torch's)
            sources.append(-1)
            versions.append((result._counter, result._counter.value, -1, None))
            continue
        i = len(sources)  # ops save their inputs in order: the input at this position first
        if i >= len(args) or args[i] is not a:  # (two inputs may share one array: x, x.detach())
            for i, x in enumerate(args):
                if x is a and i not in sources:
                    break
            else:
                i = next((i for i, x in enumerate(args) if x is a), None)
        sources.append(i)
        if i is not None and isinstance(inputs[i], Tensor):
            x = inputs[i]
            if x._cast_of is not None:  # a promoted copy: backward reads the tensor it came from
                x = x._cast_of
            if type(x._counter) is InferenceVersion:
                raise RuntimeError(INFERENCE_SAVED)
            versions.append((x._counter, x._counter.value, len(sources) - 1, x))
    ctx.sources, ctx.versions = tuple(sources), tuple(versions)


# ----------------------------------------------------------------------------- backward pass


@functools.lru_cache(maxsize=64)
def _ones(n, dtype):
    """A read-only vector of n ones, kept: np.ones costs about what the product it feeds does."""
    ones = np.ones(n, dtype)
    ones.flags.writeable = False
    return ones


def blas_may_sum(dtype, n):
    """Whether a sum of n terms of ``dtype`` may be a BLAS product: for float64, and for
    float32 up to 1024 terms (BLAS adds in order, so its rounding grows with the length, where
    numpy's and torch's sums add in pairs)."""
    return dtype.char == "d" or dtype.char == "f" and n <= 1024


def reduce_along(ufunc, x, axis):
    """``ufunc.reduce(x, axis, keepdims=True)`` for np.add or np.maximum over one axis, the
    same values sooner for the narrow matrices of a small batch. numpy reduces a matrix along
    an axis row by row, about 20 ns a row (3 µs for the lab's 150 x 3 logits). Instead, on a
    float matrix a sum is a product with a vector of ones (one BLAS call, see blas_may_sum),
    and a maximum over a short last axis runs down the columns of the transposed copy."""
    if type(x) is np.ndarray and x.ndim == 2 and axis in (0, 1, -1, -2) \
            and x.dtype.char in "fd":
        last = axis in (1, -1)
        # (each result written into an array of its shape: new memory, not a view of one)
        if ufunc is np.add and blas_may_sum(x.dtype, x.shape[axis]):
            if last:
                out = np.empty((x.shape[0], 1), x.dtype)
                np.matmul(x, _ones(x.shape[1], x.dtype), out=out[:, 0])
            else:
                out = np.empty((1, x.shape[1]), x.dtype)
                np.matmul(_ones(x.shape[0], x.dtype), x, out=out[0])
            return out
        if ufunc is np.maximum and last and x.shape[1] <= 16:
            out = np.empty((x.shape[0], 1), x.dtype)
            ufunc.reduce(np.ascontiguousarray(x.T), axis=0, out=out[:, 0])
            return out
    return ufunc.reduce(x, axis=axis, keepdims=True)


def sum_to(grad, shape, node=None, index=0):
    """Undo broadcasting: sum ``grad`` over the axes along which ``shape`` was broadcast
    (``node``'s gradient for its input ``index``, named in the error where it does not)."""
    if not shape and grad.ndim and not isinstance(grad, np.ndarray):  # (a tensor to 0-d, under
        return np.sum(grad)  # create_graph: torch's sum_to takes one sum, SumBackward0)
    lead, given = grad.ndim - len(shape), grad.shape
    axes = tuple(range(lead)) + tuple(  # (fewer dims than shape: refused below)
        lead + i for i, n in enumerate(shape) if n == 1 and lead + i >= 0 and
        grad.shape[lead + i] != 1)
    if axes and not shape and type(grad) is np.ndarray and grad.dtype.kind == "f":
        return torch_sum(grad, axes)  # (to 0-d: the whole sum, a tensor of its own)
    if axes:
        grad = (torch_sum if grad.dtype.kind == "f" else add_reduce)(grad, axes, True) if \
            isinstance(grad, np.ndarray) else np.add.reduce(grad, axis=axes, keepdims=True)
    if grad.shape != shape:
        if lead < 0 or grad.shape[lead:] != shape:
            who = node.name() if node is not None else "backward"
            raise RuntimeError(
                f"Function {who} returned an invalid gradient at index {index} - got "
                f"{list(given)} but expected shape compatible with {list(shape)} (a gradient "
                f"must have the input's shape, or broadcast to it)")
        # (as torch's sum_to: a view of the sum, but to a 0-d shape a tensor of its own)
        grad = grad.reshape(shape) if shape or not isinstance(grad, np.ndarray) else \
            np.array(grad.reshape(()))
    return grad


def _as_node_made(grad, shape, dtype=None, node=None, index=0):
    """A gradient reaching a node that made an output of ``shape`` and ``dtype`` (or a leaf's
    accumulator that keeps the shape) after ``.data`` took another: torch's engine sums it
    down to that shape, or refuses it, and casts it to that dtype (each gradient as ``node``
    returns it, as its input ``index``; a root's as given)."""
    try:
        fits = np.broadcast_shapes(shape, grad.shape) == tuple(grad.shape)
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"{'' if node is None else f'Function {node.name()} returned an '}"
                           f"invalid gradient at index {index} - got {list(grad.shape)} but "
                           f"expected shape compatible with {list(shape)}")
    grad = sum_to(grad, shape)
    if dtype is None or grad.dtype == dtype:
        return grad
    return grad.astype(dtype) if isinstance(grad, np.ndarray) else grad.to(dtype)


def _accumulate_leaf(leaf, grad, create_graph, in_place=True):
    """Add ``grad`` into ``leaf.grad`` (a fresh copy the first time, so no two grads alias);
    a retained gradient (not ``in_place``) is replaced by the sum, as torch's."""
    if not leaf._requires_grad and in_place:
        # it stopped requiring grad after the graph was built, or it is a view that requires
        # grad only through its base (Tensor.requires_grad): torch keeps no gradient (but a
        # retained one, detach_ed since, still gets its node's, as torch's retain hook writes)
        return
    if leaf._grad is None and not in_place:  # (a retained gradient: a copy in C order, as
        leaf._grad = Tensor._wrap(np.array(grad, order="C", copy=True)) if isinstance(
            grad, np.ndarray) else ops.Contiguous.apply(grad)  # torch's clone: CloneBackward0)
    elif leaf._grad is None:
        leaf._grad = _first_grad(leaf, grad, create_graph)
    elif create_graph:  # keep the gradient's own graph, out of place
        leaf._grad = leaf._grad + grad
    elif not in_place:
        leaf._grad = Tensor._wrap(np.asarray(leaf._grad._data + grad))  # (0-d: a scalar)
    else:
        if type(leaf._grad._counter) is ZeroVersion:  # (torch adds into it in place)
            raise RuntimeError(ZERO_IMMUTABLE)
        total = leaf._grad._data
        try:
            total += grad
        except ValueError:  # read-only: an expanded tensor assigned to .grad (or, below, a
            if total.shape != grad.shape:  # leaf whose .data changed shape: _Accumulator)
                shape = ops._broadcast_shape(total.shape, grad.shape)  # (or torch's size error)
                raise RuntimeError(f"output with shape {list(total.shape)} doesn't match the "
                                   f"broadcast shape {list(shape)}") from None
            total = _writable(total)
            if not total.flags.writeable:  # (its elements repeat: torch refuses)
                raise RuntimeError(REPEATED_WRITE) from None
            total += grad
        leaf._grad._counter.value += 1


def _first_grad(leaf, grad, create_graph):
    """``leaf.grad`` from its first gradient. torch keeps a gradient that nothing else holds
    and that fits the leaf's layout as it is, and copies any other (a gradient backward started
    from, an expanded one) with copy_ into one of the leaf's layout, which counts a version: so
    does this (``x.sum().backward()``: version 1). The gradient it keeps can be a view that
    views' gradients made of one backward started from, ``x.view(6).backward(g)``: x.grad then
    shares g's memory and version counter, there as here; any other is copied (_copied_grad),
    as tinyad's ops may hold or return arrays where torch's return new tensors."""
    view = _state.views and not create_graph and _state.views.get(id(grad))
    if view and view[0] is grad and _obeys_layout(grad, leaf):
        out = Tensor._wrap(grad)
        out._counter = view[1]
        return out
    # (torch copies, with copy_, the very tensor given to backward, which it cannot keep, or
    # one that does not fit the leaf's layout; under create_graph, any: _copied_grad)
    copies = not create_graph and (any(grad is given for given in _state.given) or
                                   not _obeys_layout(grad, leaf))
    out = _copied_grad(leaf, grad, create_graph, copies)
    if copies and _layout.is_dense(leaf._data):
        out._counter.value = 1
    elif type(grad) is ZeroGrad and not copies and not create_graph:
        out._counter = ZeroVersion()  # (kept as it is: torch's ZeroTensor)
    return out


def _given_counter(grad):
    """The version counter of the gradient tensor given to backward when ``grad`` is its array
    or a view of it made so (_note_views), else None: in torch they are the same tensors."""
    views = _state.views
    if views and id(grad) in views:
        return views[id(grad)][1]
    return next((c for g, c in zip(_state.given, _state.counters) if g is grad), None)


def _note_views(views, grad, input_grads):
    """Note the gradients that a view's backward made of ``grad`` as views of the gradient
    tensor given to backward, when ``grad`` is one or a view of one (made so): torch keeps such
    a gradient as a leaf's .grad, sharing the given tensor's memory and version counter."""
    counter = _given_counter(grad)
    if counter is not None:
        for g in input_grads:
            if type(g) is np.ndarray and g is not grad and (np.may_share_memory(g, grad) or (
                    not g.size and g.base is not None and (g.base is grad or g.base is grad.base))):
                views[id(g)] = g, counter  # (an empty view shares no memory, but is one)


def _copied_grad(leaf, grad, create_graph, copies):
    """A copy of ``grad`` for ``leaf.grad``, laid out in memory as torch's "gradient layout
    contract" has it: as the leaf is when the leaf is dense, else in C order (so that
    ``x.grad.view(-1)`` works, or refuses, as in torch). Under create_graph torch copies into
    that layout with copy_ (grad_fn CopyBackwards), or clones a non-dense leaf's gradient.
    ``copies``: whether torch copies ``grad`` with copy_ rather than keep it (_first_grad)."""
    like = leaf._data
    if like.shape != tuple(grad.shape) and (create_graph or copies):
        # (the leaf's .data took another shape since its accumulator was made: as torch, a
        # gradient it copies, or any under create_graph, is copied into one of the leaf's shape)
        shape = _broadcast_shape(like.shape, tuple(grad.shape))  # (or torch's size error)
        if shape != like.shape:
            raise RuntimeError(f"output with shape {list(like.shape)} doesn't match the "
                               f"broadcast shape {list(shape)}")
        grad = np.broadcast_to(grad, like.shape) if isinstance(grad, np.ndarray) else \
            grad.expand(like.shape)
    if like.flags.c_contiguous and not create_graph:  # the common case: a copy in C order
        return Tensor._wrap(np.array(grad, order="C", copy=True))
    if like.shape != grad.shape or like.dtype != grad.dtype:  # (the leaf's .data changed since
        like = np.empty(grad.shape, grad.dtype)  # its accumulator was made: _Accumulator)
    if not _layout.is_dense(like):
        if create_graph:
            return ops.Contiguous.apply(grad)
        like = np.empty(like.shape, like.dtype)
    array = _layout.empty_like(like)
    if not create_graph:
        array[...] = grad
        return Tensor._wrap(array)
    out = Tensor._wrap(array)
    return out.copy_(grad)


def _obeys_layout(grad, leaf):
    """Whether the array ``grad`` has the leaf's strides, dim by dim from the first, in its
    dims of more than one element, and no stride 0 in the others (torch's layout contract,
    which then keeps the gradient as it is). torch reads a stride past the leaf's dims from
    where its strides are kept: 1 for the first of a 0-d leaf (its default), else 0 (which an
    expanded gradient has)."""
    like = leaf._data
    if grad.shape == like.shape and grad.flags.c_contiguous and like.flags.c_contiguous and \
            0 not in grad.strides:  # (the common case, quickly: the same strides)
        return True
    if like.size and not _layout.is_dense(like):  # (a leaf with gaps: any
        # C-ordered gradient; numpy's strides of an empty array are not torch's)
        return grad.flags.c_contiguous
    strides = leaf.stride() or (1,)
    return all(s != 0 if n == 1 else s == (strides[k] if k < len(strides) else 0)
               for k, (n, s) in enumerate(zip(grad.shape, _layout.element_strides(grad))))


def _check_versions(node):
    """Refuse a saved tensor changed in place since it was saved. ``node.versions`` holds
    (version counter, its value then, position in saved, the input tensor or None for the
    output, which would make a cycle). A saved input given other storage since
    (``x.data = t``) is read from there, as torch's saved variables are, in its new dtype; one
    promoted to the op's dtype is converted again from its tensor's values, which ``.data``
    may have changed."""
    for version, expected, position, tensor in node.versions:
        if tensor is not None and tensor._base is not None:
            _sync_view(tensor)  # (torch reads a saved view's history: it may refuse it)
        if version.value != expected:
            which = ("an index, mask or target it read" if position is None else "the output"
                     if tensor is None else f"input {node.sources[position]}")
            raise RuntimeError(
                f"one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {which} of {node.name()}, which it saved for backward, is "
                f"at version {version.value}; expected version {expected} instead. Compute the "
                f"gradient before changing it, or make the change out of place (x = x * 2 "
                f"instead of x *= 2).")
        if tensor is not None and tensor._grad_fn is None and \
                tensor._data.dtype == node.saved[position].dtype and any(
                i == node.sources[position] and isinstance(target, Node)
                for i, target, _, _ in node.edges):  # (it had a history when it was saved,
            # not one of a copy promoted to the op's dtype)
            raise RuntimeError(
                "Trying to use a saved tensor that has been detached in-place, i.e. with "
                ".detach_(). This is not supported, please use out-of-place `.detach()` "
                "instead")
        if tensor is not None and tensor._data is not node.saved[position]:
            saved, data = node.saved, tensor._data
            # (the dtype of its edge: the saved array's when the op saved the tensor itself)
            made = next((d for i, _, _, d in node.edges if i == node.sources[position]), None)
            if data.dtype != saved[position].dtype and made != saved[position].dtype and \
                    saved[position].dtype.kind not in "biu":  # (an index or mask: as it is)
                data = data.astype(saved[position].dtype)  # (a promoted copy: made again)
            node.saved = saved[:position] + (data,) + saved[position + 1:]


class ZeroGrad(np.ndarray):
    """A gradient that is zero by construction: torch's ZeroTensor, which sgn's derivative of a
    real input is. torch passes it on through the nodes in _KEEPS_ZERO (a product with a zero
    is zero there, even where the other factor is inf or NaN; a view of it is one too), sums
    two into one, and sums it with another gradient into an ordinary one. A leaf that keeps one
    as its ``.grad`` (not copied into its layout, see _first_grad) gets an immutable gradient
    (ZeroVersion); so does autograd.grad's result."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, ZeroGrad) else x for x in inputs]
        if ufunc is np.add and method == "__call__" and len(inputs) == 2 and not kwargs:
            zeros = [isinstance(x, ZeroGrad) for x in inputs]
            if all(zeros):
                return np.add(*plain).view(ZeroGrad)
            other = plain[zeros.index(False)]  # (torch's sum with one: the other as it is, so
            if np.shape(other) == np.broadcast_shapes(*map(np.shape, inputs)):  # -0.0 stays)
                return np.array(other, np.result_type(*plain))
        if "out" in kwargs:  # (an array written into: an ordinary one)
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, ZeroGrad) else o
                                  for o in kwargs["out"])
        return getattr(ufunc, method)(*plain, **kwargs)

    def astype(self, dtype, *args, **kwargs):  # (torch's conversion of it: an ordinary one)
        return self.view(np.ndarray).astype(dtype, *args, **kwargs)


def zero_grad(shape, dtype):
    """A new ZeroGrad."""
    return np.zeros(shape, dtype).view(ZeroGrad)


# The nodes whose gradient torch passes on as a ZeroTensor when it receives one, with the
# inputs it does so for (by position; a node not here runs its formula on ordinary zeros, as
# torch's does), measured on torch: products (each of those inputs gets a new one, zero even
# where the formula's other factor is inf or NaN); views (their backward's views of it are
# ones: an expand too, which a leaf's .grad then copies); zeros (torch's formula takes a
# product with it, then makes it ordinary: zeros without NaN); and std, whose backward writes
# into it and so raises.
_ALL = (0, 1, 2)
_KEEPS_ZERO = {name: (_ALL, "product") for name in (
    "MulBackward0", "AddBackward0", "ExpBackward0", "LogBackward0", "AbsBackward0",
    "SqrtBackward0", "PowBackward0", "SinBackward0", "CosBackward0", "LerpBackward0",
    "LerpBackward1", "AddcmulBackward0", "Atan2Backward0", "HypotBackward0", "ErfBackward0",
    "SgnBackward0", "Log2Backward0", "Log10Backward0", "Log1PBackward0", "AsinBackward0",
    "AcosBackward0", "AtanBackward0", "AtanhBackward0", "AcoshBackward0", "AsinhBackward0",
    "TanBackward0", "SinhBackward0", "CoshBackward0", "RsqrtBackward0", "Exp2Backward0",
    "Expm1Backward0", "ErfcBackward0", "LogaddexpBackward0", "LogsumexpBackward0",
    "LinalgVectorNormBackward0", "AmaxBackward0", "AminBackward0", "VarBackward0",
    "ProdBackward0", "ProdBackward1", "BinaryCrossEntropyWithLogitsBackward0",
    "NanToNumBackward0", "FracBackward0", "FmodBackward0",
    "RemainderBackward0", "DistBackward0", "Deg2RadBackward0", "Rad2DegBackward0")}
_KEEPS_ZERO.update({"DivBackward0": ((0,), "product"), "SubBackward0": ((0,), "product"),
                    "PowBackward2": ((1,), "product"), "AddcdivBackward0": ((0, 1), "product"),
                    "CopysignBackward0": ((0,), "product"),
                    "PowBackward1": (_ALL, "zeros"), "XlogyBackward0": (_ALL, "zeros"),
                    "StdBackward0": ((), "raises")})
_KEEPS_ZERO.update({name: (_ALL, "view") for name in (
    "ViewBackward0", "UnsqueezeBackward0", "SqueezeBackward0", "SqueezeBackward1",
    "CloneBackward0", "TBackward0", "TransposeBackward0", "PermuteBackward0", "CatBackward0",
    "StackBackward0", "SumBackward0", "SumBackward1")})


def _zero_backward(node, grad):
    """What ``node`` returns for a ZeroGrad ``grad``: ordinary zeros where torch's formula
    makes them (its backward on a plain array of zeros), ZeroGrads where _KEEPS_ZERO says."""
    if node.fn is _Output:  # (one output of a user's Function: its backward gets it as it is)
        return node.fn.backward(node, grad)
    keeps, kind = _KEEPS_ZERO.get(node.name(), ((), None))
    if kind == "raises":
        raise RuntimeError(ZERO_IMMUTABLE)
    if kind == "view":  # (its backward's views of grad are ZeroGrads, the rest ordinary)
        out = node.fn.backward(node, grad)
        return tuple(_view_of_zero(g, grad) for g in (out if type(out) is tuple else (out,)))
    out = node.fn.backward(node, grad.view(np.ndarray))
    out = out if type(out) is tuple else (out,)
    if kind == "zeros":
        return tuple(None if g is None else np.zeros(np.shape(g), np.result_type(g))
                     for g in out)
    dtypes = {i: dtype for i, _, _, dtype in node.edges if dtype is not None}  # (torch's)
    return tuple(zero_grad(np.shape(g), dtypes.get(i, np.result_type(g))) if i in keeps and
                 g is not None else g for i, g in enumerate(out))


def _view_of_zero(g, grad):
    """A view node's gradient ``g`` for the ZeroGrad ``grad``: a ZeroGrad where it is a view of
    it (numpy's broadcast_to drops the subclass), else ordinary."""
    if type(g) in (np.ndarray, ZeroGrad) and np.may_share_memory(g, grad):
        return g if type(g) is ZeroGrad else g.view(ZeroGrad)
    return g.view(np.ndarray) if isinstance(g, ZeroGrad) else g


def run_backward(roots, root_grads, retain_graph=False, capture=None, create_graph=False,
                 run_captured=False, counters=(), views=None):
    """_propagate; under create_graph, with numpy functions on tensors as tinyad's ops, so that
    the formulas (and sum_to) record a graph (Tensor.__array_ufunc__)."""
    args = roots, root_grads, retain_graph, capture, create_graph, run_captured, counters, views
    if not create_graph:
        return _propagate(*args)
    formulas, _state.formulas = _state.formulas, True
    try:
        return _propagate(*args)
    finally:
        _state.formulas = formulas


def _propagate(roots, root_grads, retain_graph, capture, create_graph, run_captured, counters,
               views):
    """Propagate ``root_grads`` from ``roots`` (Tensors) back through the graph.

    Without ``capture`` gradients accumulate into the ``.grad`` of leaves that require grad.
    With ``capture`` (a dict from Node or leaf Tensor to a list of positions) nothing
    accumulates: the gradient that reaches each captured target is returned in a list, and only
    the part of the graph that leads to a captured target runs (with ``run_captured``, the
    captured Nodes themselves too, as torch's backward(inputs=...) runs a non-leaf input's
    node: its freed or changed saved tensors raise; what it returns goes nowhere).
    Gradients are numpy arrays, or Tensors in a new graph when ``create_graph``.
    """
    tracer, anomaly = _state.tracer, _state.anomaly and _state.check_nan
    hooked = bool(_HOOKS)
    grads = {}  # Node -> gradient (summed over every edge that reached it)
    leaf_grads = {}  # leaf Tensor -> gradient so far (handed over once every edge delivered)
    reshaped = None  # leaf root -> its root gradient, summed to its accumulator's shape
    captured = None
    if capture is not None:
        captured = [None] * sum(len(ks) for ks in capture.values())
    starts = []
    for root, g in zip(roots, root_grads):
        node = root._grad_fn
        if node is None:  # a leaf: its gradient is the root gradient itself
            acc = _accumulator(root)
            if acc.shape != g.shape:  # (.data of another shape since a graph took the leaf:
                g = _as_node_made(g, acc.shape)  # torch sums the gradient down to the shape
                reshaped = reshaped or {}  # its accumulator keeps, or refuses it; _to_leaf
                reshaped[root] = g  # goes on)
            if capture is None or root in capture:
                key = root if capture is not None else (root, acc.shape, acc.dtype)
                prev = leaf_grads.get(key)  # (a leaf given as several roots: their sum)
                leaf_grads[key] = g if prev is None else prev + g
            elif len(roots) == 1 and hooked and root in _HOOKS:  # (torch runs one root's
                _run_hooks(root, g, create_graph, numpy_errors.get())  # hooks, as a node's)
        else:
            if node in grads:
                grads[node] = grads[node] + g
            else:
                grads[node] = g
                starts.append(node)
    needed = through = None
    if capture is not None:
        needed, through = _leading_to(starts, capture)
        if len(roots) > 1:  # (torch runs one root's node whatever it leads to: its hooks
            starts = [node for node in starts if node in needed]  # run and it retains)

    # Count, for every Node (and leaf) reachable from the roots, the edges that point at it.
    # A leaf counts once per accumulator, keyed (leaf, shape, dtype): as torch's set_data, a
    # .data of another dtype gives the graphs made after it another AccumulateGrad, which
    # runs apart from the old one (its hooks too), when its own edges have delivered.
    pending = {}
    stack = list(starts)
    while stack:
        node = stack.pop()
        if through is not None and node not in through:
            continue
        for _, target, shape, dtype in node.edges:
            if isinstance(target, Node):
                if target in pending:
                    pending[target] += 1
                elif needed is None or target in needed:  # first time seen: walk on from it
                    pending[target] = 1
                    stack.append(target)
            elif capture is None:  # a leaf
                key = target, shape, dtype
                pending[key] = pending.get(key, 0) + 1

    # Backward formulas build a graph only when one is asked for.
    skipping = through if capture is not None and not run_captured else None
    ready = [node for node in starts if node not in pending]
    if len(ready) > 1:
        ready.sort(key=_sequence_nr)
    grad_mode, _state.enabled = _state.enabled, create_graph
    outer_given, _state.given = _state.given, tuple(root_grads)
    if counters:  # (a gradient tensor was given: _first_grad)
        views = {} if views is None else views
        outer_counters, _state.counters = _state.counters, counters
        outer_views, _state.views = _state.views, views
    users = numpy_errors.get()  # (numpy's warnings off, but in users' code: _quiet.py)
    quiet = numpy_errors.set(QUIET if users is DEFAULT else users)
    collecting = gc.isenabled()
    gc.disable()  # the walk makes no reference cycles: spare it collections of the whole heap
    try:
        while ready:
            node = ready.pop()
            grad = grads.pop(node)
            if grad is None:  # no gradient reached it: torch runs it with none
                _run_undefined(node, pending, grads, ready, leaf_grads, needed, capture,
                               retain_graph, skipping, users)
                continue
            if node.output_made is not None:  # (its output's .data was replaced since:
                grad = _as_node_made(grad, *node.output_made)  # torch checks the gradient)
            given = grad
            if hooked and (node.fn is _Output or "siblings" in node.__dict__):
                pending.setdefault(node, -1)  # (a root: reached now)
                _hook_unreached_siblings(node, pending, grads, users)
            if hooked and node in _HOOKS:
                grad = _run_hooks(node, grad, create_graph, users)
            if node.retained is not None and node.retained() is not None:  # (autograd.grad
                _accumulate_leaf(node.retained(), grad, create_graph, in_place=False)  # too)
            if capture is not None:
                if node in capture:  # (torch captures it before the tensor's hooks where the
                    # node runs on, as they run later then; after them where it does not)
                    _capture(captured, capture[node], given if node in through else grad)
                if node not in through and not (run_captured and node in capture):
                    continue  # nothing it leads to is asked for
            for version, expected, position, tensor in node.versions:  # changed since saved?
                if version.value != expected or tensor is not None and (
                        tensor._data is not node.saved[position] or tensor._base is not None
                        and (tensor._view_nograd or tensor._view_multi is not None)):
                    _check_versions(node)  # (it raises, or reads the tensor's new storage)
                    break
            else:
                if node.versions and node.read:  # (indices, masks, targets)
                    _check_read(node)
            fn = node.fn
            if capture is not None and node not in through and not fn._on_tensors and \
                    type(node).__name__ != "NotImplemented":
                # (an input's node that leads to nothing asked for: torch's runs it, reading
                # what it saved, so a freed graph fails, but computes no gradient, so a
                # derivative it lacks, unique's, is not reached; a user's backward runs, and
                # so does its NotImplemented node, floor_divide's, which always raises)
                node.saved_tensors  # noqa: B018
                if not retain_graph and node.saved:
                    node.saved, node.versions = None, ()
                continue
            if tracer is not None:
                start = time.perf_counter()
            if create_graph or fn._on_tensors:  # a user's backward, or one on tensors
                input_grads = _backward_on_tensors(node, grad, users) if create_graph else \
                    _backward_of_user(node, grad, users)
                if type(input_grads) is not tuple:
                    input_grads = (input_grads,)
                if len(input_grads) > len(node.needs_input_grad) and all(
                        g is None for g in input_grads[len(node.needs_input_grad):]):
                    input_grads = input_grads[:len(node.needs_input_grad)]  # (as torch)
                if len(input_grads) != len(node.needs_input_grad):
                    raise RuntimeError(
                        f"{node.name()} returned {len(input_grads)} gradients but its forward "
                        f"took {len(node.needs_input_grad)} inputs: return one per input (None "
                        f"where an input needs no gradient)")
            else:
                try:
                    input_grads = fn.backward(node, grad) if type(grad) is not ZeroGrad else \
                        _zero_backward(node, grad)
                except ValueError as e:  # (numpy's: a saved tensor whose .data took a shape
                    # that its gradient does not broadcast with; torch's is a RuntimeError)
                    raise RuntimeError(f"{node.name()}: {e}") from None
                if type(input_grads) is not tuple:
                    input_grads = (input_grads,)
                if views is not None and (fn.grad_is_view or node.__dict__.get("grad_is_view")):
                    _note_views(views, grad, input_grads)  # (x[None]'s node says so itself)
            if tracer is not None:
                tracer.record(node, grad, input_grads, time.perf_counter() - start)
            if anomaly:
                _check_nan(node, input_grads)
            finished = None  # (leaves whose last edge this node holds: filled after the loop)
            for i, target, shape, dtype in node.edges:
                to_node = isinstance(target, Node)
                if capture is not None and (target not in needed if to_node
                                            else not _captured(target, shape, capture)):
                    continue
                g = input_grads[i]
                if g is None:  # still counts as delivered: the walk goes on
                    _deliver_undefined(target, shape, dtype, pending, grads, ready, leaf_grads,
                                       capture, users)
                    continue
                made = target.output_made if to_node else None
                if made is not None:  # (the target's output took other .data since: torch
                    # sums and casts the gradient to it as the target made it, not to the input
                    # this node took, and refuses one that does not fit)
                    if not isinstance(g, (Tensor, np.ndarray)):
                        g = np.asarray(g)
                    g = _as_node_made(Tensor._wrap(g) if create_graph and type(g) is np.ndarray
                                      else g, *made, node, i)
                elif create_graph:
                    g = _conform_tensor(g, shape, dtype, node, i)
                else:
                    if type(g) is not np.ndarray and type(g) is not _Grads and \
                            type(g) is not ZeroGrad:
                        g = np.asarray(g)
                    if g.shape != shape:
                        g = sum_to(g, shape, node, i)
                    if g.dtype is not dtype:
                        if dtype.kind not in "fc":
                            _refuse_integer_gradient()
                        g = g.astype(dtype)
                if to_node:
                    prev = grads.get(target)
                    if prev is not None:
                        g = prev + g
                        if isinstance(g, np.generic):  # (a sum of 0-d arrays: keep an array,
                            g = np.asarray(g)  # of which the views the next nodes make are)
                    grads[target] = g
                    pending[target] -= 1
                    if pending[target] == 0:  # (most often the only ready node: the latest)
                        if ready and ready[-1].sequence_nr > target.sequence_nr:
                            _make_ready(ready, target)
                        else:
                            ready.append(target)
                    continue
                key = target if capture is not None else (target, shape, dtype)
                if leaf_grads:  # (empty unless a leaf has more than one edge)
                    prev = leaf_grads.pop(key, None)
                    if prev is not None:
                        g = prev + g
                # as torch, a leaf's .grad changes once, when its last edge delivered (so an
                # error later in the walk leaves it changed, one earlier does not), once every
                # gradient this node returned passed the checks above
                if capture is None and pending[key] == 1:  # its last edge: into .grad
                    if len(node.edges) == 1:  # (no other gradient of the node to check)
                        if not retain_graph and node.saved:  # (freed before hooks run)
                            node.saved, node.versions = None, ()
                        _to_leaf(target, g, create_graph, None, None, users)
                        continue
                    if finished is None:
                        finished = []
                    finished.append((target, g))
                else:
                    leaf_grads[key] = g
                    if capture is None:
                        pending[key] -= 1
            if not retain_graph and node.saved:  # (as torch's, once its gradients passed the
                node.saved, node.versions = None, ()  # checks: an invalid one keeps them)
            if finished is not None:
                for target, g in finished:
                    _to_leaf(target, g, create_graph, None, None, users)
        # the rest: roots, leaves some edges to which carried no gradient, captured leaves
        for key, g in leaf_grads.items():
            leaf = key if capture is not None else key[0]
            _to_leaf(leaf, g, create_graph, capture, captured, users, reshaped.get(leaf)
                     if reshaped and (capture is None or run_captured) else None)
    finally:
        _state.enabled, _state.given = grad_mode, outer_given
        if counters:
            _state.counters, _state.views = outer_counters, outer_views
        numpy_errors.reset(quiet)
        if collecting:
            gc.enable()
    return captured


def _to_leaf(leaf, g, create_graph, capture, captured, users, reshaped=None):
    """Hand a leaf its summed gradient: through its hooks, then into .grad (or, for
    autograd.grad, into the captured list). ``reshaped``: the leaf was a root and its gradient
    was summed to its accumulator's shape (its ``.data`` took another), for its ``.grad``."""
    if _HOOKS and leaf in _HOOKS:
        g = _run_hooks(leaf, g, create_graph, users)
    if g is reshaped and leaf._grad is None:
        # torch gives .grad a copy of a root's own gradient (not a sum) in the leaf's shape
        shape = leaf._data.shape
        g = np.broadcast_to(g, shape).copy() if isinstance(g, np.ndarray) else g.expand(shape)
    if capture is None:
        # (as torch, a leaf view's history is brought up to date first: it may refuse it, or
        # the view may have one now)
        if (leaf.grad_fn if leaf._base is not None else leaf._grad_fn) is not None:
            _moved_into_graph()
        _accumulate_leaf(leaf, g, create_graph)
    else:
        _capture(captured, capture[leaf], g)


def _moved_into_graph():
    """A leaf changed in place by a recorded op after the graph reached it as a leaf."""
    raise RuntimeError("leaf variable has been moved into the graph interior")


class _Hooks(dict):
    """A leaf Tensor or a Node -> the hooks on its gradient, by identity (tensors compare
    elementwise), dropped when the object goes."""

    def add(self, key, hook):
        k = id(key)
        entry = self.get(k)
        if entry is None or entry[0]() is not key:  # (`k in self` would be __contains__ below)
            entry = self[k] = (weakref.ref(key, lambda _, k=k: self.pop(k, None)), [])
        entry[1].append(hook)

    def of(self, key):
        entry = self.get(id(key))
        return entry[1] if entry is not None and entry[0]() is key else ()

    def __contains__(self, key):
        return bool(self.of(key))


_HOOKS = _Hooks()


class RemovableHandle:
    """What register_hook returns: ``handle.remove()`` takes the hook off."""

    def __init__(self, key, hook):
        self.key, self.hook = weakref.ref(key), hook

    def remove(self):
        hooks = _HOOKS.of(self.key())
        if self.hook in hooks:
            hooks.remove(self.hook)


def register_hook(tensor, hook):
    """Call ``hook(grad)`` with the gradient of ``tensor`` in each backward pass; a hook that
    returns a tensor replaces the gradient (torch's Tensor.register_hook)."""
    if not tensor.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    key = _node_of(tensor) or tensor
    _HOOKS.add(key, hook)
    return RemovableHandle(key, hook)


def _hook_unreached_siblings(node, pending, grads, users):
    """torch's one node for the outputs of split, chunk, unbind or a Function calls the hooks
    of an output that no gradient reaches with None, once, and refuses a gradient in return
    (tinyad's node of such an output is not part of the backward at all: not in
    ``pending``, nor a root still to run, in ``grads``)."""
    for sibling in _siblings(node):
        if sibling not in pending and sibling not in grads:
            pending[sibling] = -1  # (called once: it stays out of the walk)
            _run_undefined_hooks(sibling, users)


def _run_undefined_hooks(key, users):
    """The hooks of a tensor that no gradient reaches, called with None, as torch's: they may
    not return one."""
    for hook in list(_HOOKS.of(key)):
        with quiet_numpy(users):
            if hook(None) is not None:
                raise RuntimeError("can't replace a None gradient with a non-None value")


def _run_hooks(key, grad, create_graph, users):
    for hook in list(_HOOKS.of(key)):
        with quiet_numpy(users):  # (numpy as the user set it: _quiet.py)
            replaced = hook(grad if create_graph else _hook_grad(grad))
        if replaced is not None:
            _check_hook_result(hook, replaced, grad._data if create_graph else grad)
            grad = replaced if create_graph else replaced._data
    return grad


def _hook_grad(grad):
    """The tensor a hook receives for ``grad``: the gradient tensor given to backward is the
    very tensor in torch, so an in-place change by the hook counts in its version."""
    out = _tensor_of(grad)
    counter = _given_counter(grad)
    if counter is not None:
        out._counter = counter
    return out


def _tensor_of(grad):
    """A gradient array as the tensor a user's code gets (a hook, a Function's backward): a
    ZeroGrad as torch's ZeroTensor (what the code returns is an ordinary gradient: torch's
    leaf copies one it returns as it is, which the code still holds)."""
    if type(grad) is not ZeroGrad:
        return Tensor._wrap(grad)
    out = Tensor._wrap(grad.view(np.ndarray))
    out._counter = ZeroVersion()
    return out


def _check_hook_result(hook, replaced, grad):
    """torch's checks of the gradient a hook returns in place of ``grad``."""
    if not isinstance(replaced, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(replaced).__name__}'")
    name = getattr(hook, "__name__", type(hook).__name__)
    if replaced._data.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value (it must return a "
                           f"gradient of shape {tuple(grad.shape)}, or None)")
    if replaced._data.dtype != grad.dtype:
        was, got = (ops.TORCH_TYPE_NAMES.get(d.name, d.name) for d in (grad.dtype,
                                                                        replaced._data.dtype))
        raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                           f"torch.{was}Tensor got torch.{got}Tensor)")


def _capture(captured, positions, g):
    """Add g to what a captured target has received (one array for all its positions)."""
    first = captured[positions[0]]
    g = g if first is None else first + g
    for k in positions:
        captured[k] = g


def _leading_to(starts, capture):
    """The part of the graph that autograd.grad runs (found by a DFS in post-order): the Nodes
    reachable from ``starts`` from which a captured target can be reached, and among them
    those whose backward must run because a captured target lies beyond them. The nodes of
    a captured node's sibling outputs are reached too, for their hooks and retained
    gradients only: torch's one node for all the outputs runs the hooks of each."""
    siblings = {sibling for node in capture if isinstance(node, Node)
                for sibling in _siblings(node)}
    leads, through = {}, set()
    for start in starts:
        stack = [(start, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                if any(leads.get(t, False) if isinstance(t, Node) else _captured(t, shape, capture)
                       for _, t, shape, _ in node.edges):
                    through.add(node)
                leads[node] = node in through or node in capture or node in siblings
            elif node not in leads:
                leads[node] = False  # visited; decided once its children are
                stack.append((node, True))
                stack.extend((t, False) for _, t, _, _ in node.edges
                             if isinstance(t, Node) and t not in leads)
    return {node for node, lead in leads.items() if lead}, through


def _siblings(node):
    """The nodes of the other outputs of the op that made ``node``'s output, where tinyad
    gives each output its own node (a user's Function with several outputs; split, chunk and
    unbind, whose nodes hold weak references to each other)."""
    if node.fn is _Output:
        return [p for p in node.function.proxies if p is not None]
    return [n for n in (ref() for ref in getattr(node, "siblings", ())) if n is not None]


def _captured(leaf, shape, capture):
    """Whether an edge to ``leaf`` (``shape``: its accumulator's) reaches a captured leaf: as in
    torch, only through the leaf's accumulator of now (a graph made before its dtype changed
    reaches an old one)."""
    acc = getattr(leaf, "_accumulator", None)
    return leaf in capture and acc is not None and shape is acc.shape


def _make_ready(ready, node):
    """Put ``node`` among the ready ones, which are kept in creation order: the last is run
    first."""
    bisect.insort(ready, node, key=_sequence_nr)


def _run_undefined(node, pending, grads, ready, leaf_grads, needed, capture, retain_graph,
                   skipping, users):
    """Run a Node that received no gradient at all, as torch runs it: its tensor's hooks are
    called with None (and may not return a gradient), a node without a derivative raises, it
    reads what it saved (that its saved tensors were freed or changed in place raises as in a
    run, and they are freed as after one), and every input gets no gradient either. But
    autograd.grad runs no input's node that leads to nothing asked for (not in ``skipping``,
    its part of the graph)."""
    if _HOOKS and node in _HOOKS:
        _run_undefined_hooks(node, users)
    if skipping is not None and node not in skipping:
        return
    if not node.fn.derivative:  # (torch's raises whatever it is given)
        node.fn.backward(node, None)
    if node.saved is None:
        node.saved_tensors  # noqa: B018 (raises: freed by an earlier backward)
    if any(version.value != expected for version, expected, _, _ in node.versions):
        _check_versions(node)  # (raises)
    if not retain_graph and node.saved:
        node.saved, node.versions = None, ()
    for _, target, shape, dtype in node.edges:
        if not isinstance(target, Node) or needed is None or target in needed:
            _deliver_undefined(target, shape, dtype, pending, grads, ready, leaf_grads,
                               capture, users)


def _deliver_undefined(target, shape, dtype, pending, grads, ready, leaf_grads, capture, users):
    """An edge that carries no gradient still counts as delivered: a Node whose every edge
    delivered none runs with none (``grads`` holds None for it); a leaf whose every edge
    delivered none has its hooks called with None (backward only)."""
    if isinstance(target, Node):
        pending[target] -= 1
        if pending[target] == 0:
            grads.setdefault(target, None)
            _make_ready(ready, target)
    elif capture is None:
        key = target, shape, dtype
        pending[key] -= 1
        if pending[key] == 0 and key not in leaf_grads and _HOOKS and target in _HOOKS:
            _run_undefined_hooks(target, users)


# ----------------------------------------------------------------------------- higher order


class _TensorContext:
    """The ``ctx`` a backward sees under create_graph: saved arrays as the graph's tensors."""

    __slots__ = ("_node", "saved_tensors")

    def __init__(self, node, saved_tensors):
        self._node, self.saved_tensors = node, saved_tensors

    def __getattr__(self, name):
        return getattr(self._node, name)


def _saved_as_tensors(node, twice=True):
    """The tensors that ``node``'s saved arrays stand for: its inputs, its output, constants
    (``twice``: for a backward that is differentiated, which cannot take other saved floats)."""
    if not node.saved_tensors:
        return ()
    inputs = {i: target for i, target, _, _ in node.edges}
    counters = {position: version for version, _, position, _ in node.versions}  # (-1: output)
    held = {position: tensor for _, _, position, tensor in node.versions}  # (None: output)
    tensors = []
    for position, (a, source) in enumerate(zip(node.saved_tensors, node.sources)):
        if source is not None and source <= -2:  # output k of several (-2 - k)
            output = node.proxies[-2 - source]
            t = Tensor._wrap(a)
            if output is not None:  # (else a non-differentiable one: a constant)
                t._requires_grad, t._grad_fn = True, output
            t._counter = counters.get(position, t._counter)
            tensors.append(t)
            continue
        if source == -1 or inputs.get(source) is not None:
            target = node if source == -1 else inputs[source]
            original = held.get(position)
            if original is not None and original._data.dtype != a.dtype:
                # an input the op took converted (_promoted): converted again, on the graph
                if not isinstance(target, Tensor):
                    original = Tensor._wrap(original._data)
                    original._requires_grad, original._grad_fn = True, target
                t = original.to(a.dtype)
            elif isinstance(target, Tensor):  # a leaf: the tensor itself
                tensors.append(target)
                continue
            else:
                t = Tensor._wrap(a)
                t._requires_grad, t._grad_fn = True, target
        elif isinstance(a, np.ndarray):
            leaf = held.get(position)
            if leaf is not None and leaf._requires_grad and leaf._data is a:
                # an input that needed no gradient then, a leaf that requires grad now: torch's
                # saved variable is the tensor itself, so its backward's graph reaches it
                tensors.append(leaf)
                continue
            if twice and source is None and a.dtype.kind in "fc" and not node.fn.saves_buffers:
                raise RuntimeError(
                    f"{node.name()} cannot be differentiated twice: it saved a float array that "
                    f"is neither an input nor the output of its op, so its backward would treat "
                    f"it as a constant. Save inputs or the output and recompute the rest in "
                    f"backward, or set once_differentiable = True on the Function.")
            t = Tensor._wrap(a)  # a constant: an input that needs no gradient, a mask, indices
        else:
            tensors.append(a)  # a Python number
            continue
        # the saved tensor's own counter: a later in-place change of it is seen by the ops of
        # this backward that save it, as in torch
        t._counter = counters.get(-1 if source == -1 else position, t._counter)
        tensors.append(t)
    return tuple(tensors)


def _backward_on_tensors(node, grad, users):
    """Run ``node``'s backward on Tensors, so that the gradients it returns have a graph."""
    if node.fn.once_differentiable:
        raise RuntimeError(
            f"{node.name()} cannot be differentiated twice: its Function is marked "
            f"once_differentiable. Use create_graph=False, or give it a backward that works "
            f"on tensors.")
    ctx = _TensorContext(node, _saved_as_tensors(node))
    try:
        if node.fn._on_tensors:  # a user's
            grads = grad.parts_for(node) if type(grad) is _Grads else (grad,)
            with quiet_numpy(users):
                return node.fn.backward(ctx, *(Tensor._wrap(g) if isinstance(g, np.ndarray)
                                               else g for g in grads))
        return node.fn.backward(ctx, grad)
    except TypeError as e:
        raise RuntimeError(
            f"{node.name()} cannot be differentiated twice: its backward failed when run on "
            f"tensors ({e}). Use only numpy functions that tinyad implements for tensors, or "
            f"set once_differentiable = True on the Function.") from e


def _conform_tensor(g, shape, dtype, node, index):
    """A gradient under create_graph: a Tensor of the input's shape and dtype (the gradients
    of several outputs, on their way to their Function's node, as they are)."""
    if type(g) is _Grads:
        return g
    if not isinstance(g, Tensor):
        g = Tensor._wrap(np.asarray(g))
    if g.shape != shape:
        g = sum_to(g, shape, node, index)
    if g.dtype is not dtype:
        if dtype.kind not in "fc":
            _refuse_integer_gradient()
        g = g.to(dtype)
    return g


# ----------------------------------------------------------------------------- entry points


def _root_grad(tensor, gradient, what="gradient", create_graph=False):
    """The gradient that starts backward at ``tensor``, checked against its shape."""
    if tensor.grad_fn is None and not tensor._requires_grad:  # (see Tensor.requires_grad)
        raise RuntimeError(
            "backward through a tensor that does not require grad: none of the tensors it was "
            "computed from has requires_grad=True (or it was computed under no_grad()). Create "
            "the leaves with requires_grad=True, e.g. tinyad.randn(3, requires_grad=True).")
    if gradient is None:
        if tensor._data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs, but this tensor has "
                f"shape {tuple(tensor._data.shape)}. Reduce it first (e.g. y.sum().backward()) "
                f"or pass {what}= a tensor of shape {tuple(tensor._data.shape)}.")
        if tensor._data.dtype.kind != "f":  # (one an in-place op gave a history)
            raise RuntimeError(f"grad can be implicitly created only for real scalar outputs "
                               f"but got {tensor.dtype}")
        g = np.array(1, dtype=tensor._data.dtype) if not tensor._data.ndim else np.ones(
            tensor._data.shape, tensor._data.dtype)  # (its own array: autograd.grad of an
        # output that is its input returns it, as torch's ones_like, no view)
    else:
        g = gradient._data
        if g.shape != tensor._data.shape:
            raise RuntimeError(
                f"{what} has shape {tuple(g.shape)} but the tensor it is the gradient of has "
                f"shape {tuple(tensor._data.shape)}; they must match.")
        if tensor._data.dtype.kind != "f":  # (torch's engine fails its own assertion there)
            raise RuntimeError(f"isDifferentiableType(grad.scalar_type()) INTERNAL ASSERT "
                               f"FAILED: a gradient for a tensor of {tensor.dtype}, which has "
                               f"none (backward from a float result instead)")
        if create_graph:
            return gradient.to(tensor._data.dtype)
        g = g.astype(tensor._data.dtype, copy=False)
    return Tensor._wrap(g) if create_graph else g


def _as_tuple(xs):
    """A tensor as a 1-tuple, anything else as tuple() makes it (a number: its TypeError)."""
    return (xs,) if isinstance(xs, Tensor) else tuple(xs)


def _roots(outputs, grad_outputs, what, create_graph):
    """The outputs, the gradients given for them, their root gradients and those gradients'
    version counters (_counters). As torch's: gradients beyond the outputs are ignored, and
    each must be a tensor or None (a number is refused: torch makes no tensor of it)."""
    outputs = _as_tuple(outputs)
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else _as_tuple(grad_outputs)
    grad_outputs = grad_outputs[:len(outputs)]
    for g in grad_outputs:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients "
                           f"({what} needs one tensor, or None, for each output)")
    roots = [_root_grad(t, g, what, create_graph) for t, g in zip(outputs, grad_outputs)]
    return outputs, grad_outputs, roots, _counters(roots, grad_outputs)


def _counters(roots, gradients):
    """The version counter of each gradient tensor given whose own array starts backward (a
    leaf's gradient may be a view of it: _first_grad), else None; () when there is none."""
    counters = tuple(g._counter if isinstance(g, Tensor) and g._data is r else None
                     for r, g in zip(roots, gradients))
    return counters if any(c is not None for c in counters) else ()


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradient of ``tensors`` into leaves' ``.grad`` (torch.autograd.backward).

    ``create_graph=True`` makes the gradients tensors with a graph of their own, so they can
    be differentiated again; the graph is then kept (``retain_graph`` defaults to it).
    ``inputs``: only these tensors' ``.grad`` receive a gradient (a non-leaf's too), and only
    the part of the graph that leads to them runs.
    """
    tensors, _, roots, counters = _roots(tensors, grad_tensors, "grad_tensors", create_graph)
    retain_graph = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(tensors, roots, retain_graph, None, create_graph, counters=counters)
        return
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    capture = {}
    for k, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if x.grad_fn is not None:  # a non-leaf input retains its gradient from now on, as in
            x.retain_grad()  # torch: its node fills its .grad when it runs
        capture.setdefault(_node_of(x) or x, []).append(k)
    views = {} if counters else None  # (kept for the leaves)
    grads = run_backward(tensors, roots, retain_graph, capture, create_graph, run_captured=True,
                         counters=counters, views=views)
    done = set()  # (a leaf given twice receives its gradient once)
    outer = _state.given, _state.counters, _state.views
    _state.given, _state.counters, _state.views = roots, counters, views  # (as while backward
    try:  # ran: _first_grad)
        for x, g in zip(inputs, grads):
            if g is not None and x.grad_fn is None and id(x) not in done:
                done.add(id(x))
                _accumulate_leaf(x, g, create_graph)
    finally:
        _state.given, _state.counters, _state.views = outer


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (as torch.autograd.grad);
    with ``materialize_grads``, zeros for an input no gradient reaches (else None, which
    ``allow_unused`` allows). ``only_inputs`` is ignored, as torch ignores it now."""
    if is_grads_batched:
        raise NotImplementedError("tinyad has no is_grads_batched (torch's vmap over "
                                  "grad_outputs): call grad once per row of grad_outputs, with "
                                  "retain_graph=True, and stack the results")
    if not only_inputs:
        _warn("only_inputs argument is deprecated and is ignored now (defaults to "
              "True). To accumulate gradient for other parts of the graph, please use "
              "torch.autograd.backward.", FutureWarning)
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    allow_unused = materialize_grads or bool(allow_unused)
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    capture = {}
    for k, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise RuntimeError(
                f"input {k} of grad() does not require grad: only tensors that require grad "
                f"(leaves created with requires_grad=True, or results computed from them) can "
                f"be differentiated with respect to")
        # (a view that requires grad through its base only is a leaf no gradient reaches)
        key = _node_of(x) or (x if x._requires_grad else object())
        capture.setdefault(key, []).append(k)
    outputs, grad_outputs, roots, counters = _roots(outputs, grad_outputs, "grad_outputs",
                                                    create_graph)
    retain_graph = create_graph if retain_graph is None else retain_graph
    result = run_backward(outputs, roots, retain_graph, capture, create_graph,
                          counters=counters)
    for k, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {k} appears to not have been used in the "
                f"graph. Set allow_unused=True if this is the desired behavior.")
    for k, x in enumerate(inputs):
        if result[k] is None and materialize_grads:  # (zeros; under create_graph, as torch's,
            zeros = np.zeros(x._data.shape, x._data.dtype)  # zeros that require grad)
            result[k] = Tensor._wrap(zeros).requires_grad_() if create_graph else zeros
    if create_graph:
        return tuple(result)
    # as torch: a repeated input gets one tensor, an output that is its own input gets the
    # grad_outputs tensor itself, and one whose last steps are views (t(), sum's expand) a view
    given = grad_outputs
    made, roots = {}, {}
    for g in result:
        if g is not None and id(g) not in made:
            made[id(g)] = _gradient_tensor(g, given, roots)
    return tuple(None if g is None else made[id(g)] for g in result)


def _gradient_tensor(g, grad_outputs, roots):
    """The tensor autograd.grad returns for the array ``g``: a grad_outputs tensor itself, a
    view of one (made under no_grad, as torch's backward makes it) or ``g`` as it is: the
    engine's own arrays are new, or views of the implicit ones (expanded, as torch's are), or
    of another gradient returned (``roots``: one tensor for each array the views lie in, so
    that they share its version counter, as torch's views of one gradient do)."""
    if type(g) is ZeroGrad:  # (torch's ZeroTensor, as it is)
        return _tensor_of(g)
    for t in grad_outputs:
        data = t._data if isinstance(t, Tensor) else np.asarray(t)
        if g is data and isinstance(t, Tensor):
            return t
        if np.may_share_memory(g, data) or not g.size and _same_owner(g, data):  # (empty
            # arrays share no memory numpy can see: their owner tells)
            if not isinstance(t, Tensor):
                return Tensor._wrap(np.array(g, copy=True))  # (kept simple: a copy)
            root = t if t._base is None else t._base
            if not root._data.flags.c_contiguous:  # (dense in another order, ones_like(x.t()):
                # a view of its dims in memory order)
                order = sorted(range(root._data.ndim), key=lambda d: -root._data.strides[d])
                with no_grad():
                    root = root.permute(order)
            if not root._data.flags.c_contiguous:
                return Tensor._wrap(np.array(g, copy=True))
            return _view_in(root, g)
    if type(g) is not np.ndarray:  # (a numpy scalar)
        return Tensor._wrap(np.asarray(g))
    root = g
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root is not g and not root.flags.c_contiguous:
        return Tensor._wrap(g)
    if id(root) not in roots:
        roots[id(root)] = Tensor._wrap(root)
    if root is g:
        return roots[id(root)]
    return _view_in(roots[id(root)], g)  # (a view of the engine's own: torch's has a _base)


def _view_in(root, g):
    """``g``, which lies in the C-ordered ``root``'s memory, as a view of it made under no_grad."""
    start = g.__array_interface__["data"][0] - root._data.__array_interface__["data"][0]
    with no_grad():
        return ops.StridedView.apply(root, g.shape, [n // g.itemsize for n in g.strides],
                                     start // g.itemsize)


# ----------------------------------------------------------------------------- seeing inside


class trace:
    """Record each step of the backward passes run inside ``with trace() as t:``.

    ``t.steps`` lists, in the order the reverse sweep ran them, each op with the shapes of its
    inputs, of the gradient flowing in and of the gradients flowing out, and the time it took;
    ``print(t)`` shows them as a table.
    """

    Step = collections.namedtuple("Step", "op input_shapes grad_in grad_out seconds")

    def __init__(self):
        self.steps = []

    def __enter__(self):
        self.prev, _state.tracer = _state.tracer, self
        return self

    def __exit__(self, *exc):
        _state.tracer = self.prev

    def record(self, node, grad, input_grads, seconds):
        if node.fn is _Output:  # (an output of several passing its gradient on: no op)
            return
        if type(grad) is _Grads:  # (a Function with several outputs: the first one's)
            grad = next(g for g in grad.parts if g is not None)
        shapes = {i: shape for i, _, shape, _ in node.edges}
        self.steps.append(self.Step(
            node.name(), [shapes.get(i) for i in range(len(node.needs_input_grad))],
            _shape_of(grad), [None if g is None else _shape_of(g) for g in input_grads],
            seconds))

    def __str__(self):
        rows = [("#", "op", "input shapes", "grad in", "grad out", "us")]
        for k, s in enumerate(self.steps, 1):
            ins = ", ".join(_shape(x) for x in s.input_shapes if x is not None)
            outs = ", ".join(_shape(g) for g in s.grad_out if g is not None)
            rows.append((str(k), s.op, ins, _shape(s.grad_in), outs, f"{s.seconds * 1e6:.1f}"))
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        total = sum(s.seconds for s in self.steps)
        lines.append(f"{len(self.steps)} steps, {total * 1e6:.1f} us in the ops' backward")
        return "\n".join(lines)


def _shape_of(x):
    return tuple(x._data.shape if isinstance(x, Tensor) else np.shape(x))


def _shape(shape):
    return str(tuple(shape))


class detect_anomaly:
    """Inside ``with detect_anomaly():`` a backward step that produces NaN raises an error
    naming the op and where the forward pass created it (as torch's: inf passes; with
    ``check_nan=False`` nothing is checked, the places are only recorded). Off by default (no
    cost)."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        self.prev = _state.anomaly, _state.check_nan
        _state.anomaly, _state.check_nan = True, self.check_nan
        return self

    def __exit__(self, *exc):
        _state.anomaly, _state.check_nan = self.prev


class set_detect_anomaly(detect_anomaly):
    """``set_detect_anomaly(True)`` turns anomaly detection on now (and, as a context manager,
    back to what it was at exit)."""

    def __init__(self, mode, check_nan=True):
        self.prev = _state.anomaly, _state.check_nan
        _state.anomaly, _state.check_nan = bool(mode), check_nan

    def __enter__(self):
        return self


def _check_nan(node, input_grads):
    for i, g in enumerate(input_grads):
        if g is None:
            continue
        values = g._data if isinstance(g, Tensor) else np.asarray(g)
        if values.dtype.kind in "fc" and np.isnan(values).any():
            where = getattr(node, "created_at", None)
            frames = [f for f in where or () if "/tinyad/" not in f.filename.replace("\\", "/")]
            origin = ("".join(traceback.format_list(frames)) if frames
                      else "  (not recorded: it was created outside detect_anomaly())\n")
            raise RuntimeError(
                f"{node.name()} returned nan values in "
                f"the gradient of its input {i}. The op was created in the forward pass at:\n"
                f"{origin}")


# Tensor's module imports this one, so Tensor is imported last, once Function exists.
from . import ops  # noqa: E402
from .tensor import _SCALAR_TYPE, Tensor, _broadcast_shape  # noqa: E402

# --------------------------------------------------------------------------- torch's odds and ends


def Variable(data, requires_grad=False, volatile=False):
    """Old torch code's wrapper around a tensor: today, a tensor over the same storage."""
    t = data.detach() if isinstance(data, Tensor) else Tensor(data)
    return t.requires_grad_() if requires_grad else t


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **kwargs):
    """torch.autograd.gradcheck, with torch's tolerances (tinyad.testing.gradcheck's defaults
    are tighter: they catch a gradient wrong by 1e-4 relative)."""
    from .testing import gradcheck as check
    return check(func, inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)


def gradgradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
                  **kwargs):
    """torch.autograd.gradgradcheck, with torch's tolerances."""
    from .testing import gradgradcheck as check
    return check(func, inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)
