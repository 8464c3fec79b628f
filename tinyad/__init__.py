"""tinyad: a small reverse-mode autodiff engine over numpy with torch's API.

``import tinyad as torch`` runs the subset of torch that deep-learning labs and autograd
tutorials use.
"""

import functools
import sys
from importlib import metadata

# the packages above the engine, once the names they use exist
from . import autograd, cuda, func, linalg, nn, ops, optim, random, testing, viz  # noqa: E402, I001
from . import autograd_function as _autograd_function  # noqa: E402
from . import autograd_functional as _autograd_functional  # noqa: E402
from .autograd import (
    Function,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .random import (  # noqa: E402
    Generator,
    bernoulli,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    set_rng_state,
)
from .tensor import (
    BoolTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    Size,
    Tensor,
    _number_argument,
    add,
    addmm,
    arange,
    arctan2,
    as_tensor,
    atan2,
    bincount,
    bitwise_and,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    bmm,
    broadcast_shapes,
    broadcast_tensors,
    can_cast,
    cat,
    concat,
    concatenate,
    copysign,
    corrcoef,
    cov,
    det,
    device,
    diag,
    div,
    dot,
    dtype,
    einsum,
    empty,
    empty_like,
    eye,
    finfo,
    flip,
    float16,
    float32,
    float64,
    floor_divide,
    fmod,
    from_numpy,
    full,
    full_like,
    gather,
    get_default_dtype,
    hstack,
    hypot,
    iinfo,
    index_select,
    int8,
    int16,
    int32,
    int64,
    inverse,
    is_floating_point,
    isclose,
    lerp,
    linspace,
    logaddexp,
    matmul,
    maximum,
    meshgrid,
    minimum,
    mm,
    mv,
    nan_to_num,
    norm,
    ones,
    ones_like,
    outer,
    promote_types,
    remainder,
    result_type,
    scatter,
    scatter_add,
    set_default_dtype,
    set_default_tensor_type,
    sort,
    stack,
    sub,
    svd,
    tensor,
    topk,
    trace,
    uint8,
    unique,
    vstack,
    where,
    xlogy,
    zeros,
    zeros_like,
)
from .tensor import bool_ as bool  # noqa: A001 (torch.bool)

# torch.autograd.functional and torch.autograd.function, importable under those names
autograd.functional = _autograd_functional
autograd.function = _autograd_function
sys.modules[__name__ + ".autograd.functional"] = _autograd_functional
sys.modules[__name__ + ".autograd.function"] = _autograd_function

try:
    __version__ = metadata.version("tinyad")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"

# dtypes, under torch's names (they are numpy dtypes: tinyad.float32 == numpy.float32)
float, double, half, long, int, short = float32, float64, float16, int64, int32, int16  # noqa: A001


def _function_of(name):
    """torch.NAME(input, ...): input.NAME(...), for a tensor input only (torch's signatures
    refuse anything else with a TypeError)."""
    method = getattr(Tensor, name)

    @functools.wraps(method)
    def function(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return method(input, *args, **kwargs)
    function.__name__ = function.__qualname__ = name
    return function


def _number_or_tensor_first(name):
    """torch.NAME(input, other) for mul and pow, whose input may be a number."""
    method = getattr(Tensor, name)

    @functools.wraps(method)
    def function(input, *args, **kwargs):
        return method(_number_argument(input, f"{name}()", "input"), *args, **kwargs)
    function.__name__ = function.__qualname__ = name
    return function


# torch.NAME(input, ...) is input.NAME(...); mul and pow also take a number first
for _name in ("mul", "pow"):
    globals()[_name] = _number_or_tensor_first(_name)
for _name in ("split", "repeat"):
    globals()[_name] = getattr(Tensor, _name)
for _name in ("exp", "log", "sqrt", "tanh", "sigmoid", "sin", "cos", "abs", "sign",
              "relu", "square", "neg", "clamp", "clip", "sum", "mean", "var", "std",
              "max", "min", "argmax", "argmin", "reshape", "flatten",
              "unsqueeze", "squeeze", "transpose", "permute", "t", "numel",
              "softmax", "log_softmax", "allclose", "equal", "isnan",
              "isinf", "isfinite", "all", "any", "clone", "detach", "masked_fill",
              "chunk", "unbind", "count_nonzero", "prod", "narrow",
              "select", "logsumexp", "log1p", "expm1", "rsqrt", "tan", "asin", "acos",
              "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "asinh", "acosh", "atanh",
              "arcsinh", "arccosh", "arctanh", "exp2", "log2", "log10",
              "floor", "ceil", "trunc", "round", "reciprocal", "amax", "amin",
              "movedim", "moveaxis", "eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less",
              "less_equal", "greater", "greater_equal", "sgn", "positive", "fix", "deg2rad",
              "rad2deg", "fliplr", "flipud", "is_nonzero", "is_signed", "is_complex",
              "is_same_size", "unflatten", "index_add", "index_copy",
              "argsort", "cumsum", "tril", "triu", "erf", "logical_not", "logical_and",
              "logical_or", "logical_xor", "nonzero", "bitwise_not",
              "swapaxes", "swapdims", "roll", "diff", "diagonal", "cumprod", "median",
              "index_fill", "clamp_min", "clamp_max", "masked_select", "isposinf", "isneginf",
              "signbit", "addcmul", "addcdiv", "frac", "tile", "argwhere", "ravel"):
    globals()[_name] = _function_of(_name)
absolute, negative, multiply, divide, subtract = abs, neg, mul, div, sub  # noqa: F821


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """torch.repeat_interleave: as the method; with input alone, input holds the counts and
    the result repeats each index as often (torch.repeat_interleave(tensor([2, 1])): 0, 0, 1)."""
    if repeats is None:
        return arange(len(input)).repeat_interleave(input, output_size=output_size)  # noqa: F821
    return input.repeat_interleave(repeats, dim, output_size=output_size)


def broadcast_to(input, size):
    """torch.broadcast_to: input.expand(size), the shape as one argument (the method takes the
    sizes one by one too)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"broadcast_to(): argument 'size' (position 2) must be tuple of ints, "
                        f"not {type(size).__name__}")
    return _function_of("broadcast_to")(input, size=size)


def true_divide(input, other):
    """torch.true_divide: torch.div without a rounding mode (a number first too)."""
    return div(input, other)
cosine_similarity = nn.functional.cosine_similarity


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    if not isinstance(input, Tensor):
        raise TypeError(f"numel(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input.numel()


def __getattr__(name):
    raise AttributeError(
        f"tinyad has no torch.{name}: it implements tensors, autograd, the functional ops, "
        f"nn and optim that labs and tutorials use, not {name}")
