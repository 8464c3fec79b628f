"""What one run records, and the neutralising of plots, network and sleep.

A :class:`Recorder` wraps ``print`` and (with ``grads=True``) ``Tensor.backward``,
``autograd.backward`` and ``autograd.grad`` of the engine the program sees as ``torch``, and
keeps a list of events, each a dict:

* ``{"kind": "print", "where", "parts": [{"text", "array", "dtype"}...], "text"}``: one print
  call to stdout; a part per argument, with the tensor's (or numpy array's) values at full
  precision when the argument is one;
* ``{"kind": "display", ...}``: the same for a notebook cell's displayed value;
* ``{"kind": "backward", "where", "call", "grads": {name: array or None}}``: every leaf that
  requires grad and is visible from the calling code (its variables, lists and dicts of tensors,
  the parameters of objects with ``named_parameters``), after the n-th ``backward()`` call;
* ``{"kind": "autograd.grad", "where", "call", "grads": {"result[i]": array}}``;
* ``{"kind": "error", "where", "type", "message", "missing"}``: an exception the program did
  not catch (or a notebook cell raised).

``where`` is ``{"cell", "line", "source"}``: the line of the program (the innermost frame in
the program's own file or cell) that made the call.
"""

import builtins
import linecache
import os
import socket
import sys
import time

import numpy as np

from .hook import missing_api

# Gradients recorded per run at most (a big model over many steps would fill the memory).
GRAD_BUDGET = 512 * 2**20


def _array(x, tensor_type):
    """Values of a tensor or numpy array at full precision, or None for anything else."""
    try:
        if isinstance(x, tensor_type):
            return np.array(x.detach().numpy(), copy=True)
        if isinstance(x, np.ndarray):
            return np.array(x, copy=True)
    except Exception:  # noqa: BLE001 - a value we cannot read is compared as text only
        return None
    return None


def _dtype_name(x):
    return str(getattr(x, "dtype", "")).replace("torch.", "")


class Recorder:
    """Records a run's printed values, leaf gradients and uncaught error."""

    def __init__(self, engine, is_user_file, grads=False):
        self.engine = engine
        self.tensor_type = engine.Tensor
        self.is_user_file = is_user_file
        self.grads = grads
        self.events = []
        self.cell = None
        self.calls = 0
        self.grad_bytes = 0
        self.grads_stopped_at = None
        self._busy = False
        self._saved = []
        # calls the engine makes on itself (torch.autograd.gradcheck calling autograd.grad)
        # are its own business: only calls from outside the engine's package are recorded
        self._engine_dir = os.path.dirname(os.path.abspath(engine.__file__)) + os.sep

    # ------------------------------------------------------------------ where

    def user_frame(self, frame):
        """The innermost frame, from ``frame`` outwards, that runs the program's own code."""
        while frame is not None and not self.is_user_file(frame.f_code.co_filename):
            frame = frame.f_back
        return frame

    def where(self, frame):
        if frame is None:
            return {"cell": self.cell, "line": None, "source": ""}
        filename, line = frame.f_code.co_filename, frame.f_lineno
        return {"cell": self.cell, "line": line,
                "source": linecache.getline(filename, line, frame.f_globals).strip()}

    # ------------------------------------------------------------------ print

    def _parts(self, args):
        return [{"text": str(a), "array": _array(a, self.tensor_type), "dtype": _dtype_name(a)}
                for a in args]

    def record_print(self, args, sep, end, frame, kind="print"):
        parts = self._parts(args)
        text = (" " if sep is None else sep).join(p["text"] for p in parts)
        self.events.append({"kind": kind, "where": self.where(self.user_frame(frame)),
                            "parts": parts, "text": text})

    def _print(self, original):
        recorder = self

        def print(*args, sep=" ", end="\n", file=None, flush=False):  # noqa: A001
            if not recorder._busy and (file is None or file is sys.stdout):
                recorder._busy = True
                try:
                    recorder.record_print(args, sep, end, sys._getframe(1))
                except Exception:  # noqa: BLE001 - str() failed: print below raises it
                    pass
                finally:
                    recorder._busy = False
            return original(*args, sep=sep, end=end, file=file, flush=flush)

        return print

    # ------------------------------------------------------------------ gradients

    def _leaves(self, frames):
        """(name, leaf) for every leaf requiring grad that the code in ``frames`` can see."""
        seen, found = set(), []

        def visit(name, value, depth=0):
            if isinstance(value, self.tensor_type):
                if id(value) not in seen and value.requires_grad and value.is_leaf:
                    seen.add(id(value))
                    found.append((name, value))
            elif depth == 0 and isinstance(value, (list, tuple)) and len(value) <= 64:
                for i, v in enumerate(value):
                    visit(f"{name}[{i}]", v, 1)
            elif depth == 0 and isinstance(value, dict) and len(value) <= 64:
                for k, v in value.items():
                    visit(f"{name}[{k!r}]", v, 1)
            elif depth == 0 and callable(getattr(value, "named_parameters", None)) \
                    and not isinstance(value, type):
                try:
                    for pname, p in value.named_parameters():
                        visit(f"{name}.{pname}", p, 1)
                except Exception:  # noqa: BLE001 - not an nn.Module after all
                    pass

        for frame in frames:
            if frame is None:
                continue
            scopes = [frame.f_locals] if frame.f_locals is frame.f_globals else \
                [frame.f_locals, frame.f_globals]
            for scope in scopes:
                for name, value in list(scope.items()):
                    if name.startswith("_") or name in ("In", "Out"):
                        continue
                    visit(name, value)
        return found

    def record_grads(self, frame, kind="backward", results=None):
        self.calls += 1
        if self.grad_bytes > GRAD_BUDGET:  # both runs stop at the same call: same sizes
            self.grads_stopped_at = self.grads_stopped_at or self.calls
            return
        user = self.user_frame(frame)
        if results is None:
            grads = {}
            for name, leaf in self._leaves([frame, user]):
                g = leaf.grad
                grads[f"{name}.grad"] = None if g is None else _array(g, self.tensor_type)
        else:
            grads = {f"result[{i}]": (None if g is None else _array(g, self.tensor_type))
                     for i, g in enumerate(results)}
        self.grad_bytes += sum(g.nbytes for g in grads.values() if g is not None)
        self.events.append({"kind": kind, "where": self.where(user), "call": self.calls,
                            "grads": grads})

    def _from_engine(self, frame):
        return frame.f_code.co_filename.startswith(self._engine_dir)

    def _recording(self, original, kind=None):
        """``original`` (backward or autograd.grad) wrapped to record the leaves' gradients
        after each call from the program (not from inside the engine)."""
        recorder = self

        def call(*args, **kwargs):
            if recorder._busy or recorder._from_engine(sys._getframe(1)):
                return original(*args, **kwargs)
            recorder._busy = True
            try:
                result = original(*args, **kwargs)
            finally:
                recorder._busy = False
            recorder._busy = True
            try:
                if kind is None:  # backward(): the leaves' .grad
                    recorder.record_grads(sys._getframe(1))
                else:  # autograd.grad: what it returned
                    recorder.record_grads(sys._getframe(1), kind, result)
            finally:
                recorder._busy = False
            return result

        call.__name__ = original.__name__
        return call

    def _backward(self, original):
        return self._recording(original)

    def _grad(self, original):
        return self._recording(original, kind="autograd.grad")

    # ------------------------------------------------------------------ errors

    def record_error(self, error, engine_is_tinyad):
        frame = None
        tb = error.__traceback__
        while tb is not None:
            if self.is_user_file(tb.tb_frame.f_code.co_filename):
                frame = tb.tb_frame
                line = tb.tb_lineno
            tb = tb.tb_next
        where = self.where(frame)
        if frame is not None:
            where["line"] = line
            where["source"] = linecache.getline(frame.f_code.co_filename, line,
                                                frame.f_globals).strip()
        self.events.append({
            "kind": "error", "where": where, "type": type(error).__name__,
            "message": str(error).split("\n")[0][:500],
            "missing": missing_api(error) if engine_is_tinyad else None,
        })

    # ------------------------------------------------------------------ install

    def _patch(self, owner, name, make):
        original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name)
        current = getattr(owner, name)
        self._saved.append((owner, name, original))
        setattr(owner, name, make(current))

    def install(self):
        self._patch(builtins, "print", self._print)
        if self.grads:
            self._patch(self.engine.Tensor, "backward", self._backward)
            autograd = getattr(self.engine, "autograd", None)
            if autograd is not None:
                for name, make in (("backward", self._backward), ("grad", self._grad)):
                    if hasattr(autograd, name):
                        self._patch(autograd, name, make)

    def uninstall(self):
        for owner, name, original in reversed(self._saved):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._saved = []


# ----------------------------------------------------------------------------- neutralising

NEUTRALISED = (
    "plots: matplotlib uses the Agg backend and pyplot.show() does nothing",
    "network: looking up or connecting to hosts other than this machine raises OSError",
    "time.sleep returns at once when the program itself calls it",
)

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "")


class _NoNetwork(OSError):
    pass


def _host_of(address):
    return address[0] if isinstance(address, tuple) and address else None


def neutralise(is_user_file):
    """Plots to Agg without show(), no network, no sleeping in the program's own code."""
    os.environ["MPLBACKEND"] = "Agg"
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].show = lambda *a, **k: None
    else:
        sys.meta_path.insert(0, _AfterImport("matplotlib.pyplot", _quiet_pyplot))

    def connect(original):
        def guarded(sock, address, *rest):
            host = _host_of(address)
            if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL_HOSTS \
                    and not str(host).startswith("127."):
                raise _NoNetwork(f"network access is disabled by tinyad.compare (in both runs): "
                                 f"cannot connect to {address!r}")
            return original(sock, address, *rest)
        return guarded

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in _LOCAL_HOSTS and name is not None and not str(name).startswith("127."):
            raise _NoNetwork(f"network access is disabled by tinyad.compare (in both runs): "
                             f"cannot look up {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect(socket.socket.connect)
    socket.socket.connect_ex = connect(socket.socket.connect_ex)

    real_sleep = time.sleep

    def sleep(seconds):
        if is_user_file(sys._getframe(1).f_code.co_filename):
            return None
        return real_sleep(seconds)

    time.sleep = sleep


def _quiet_pyplot(module):
    module.show = lambda *a, **k: None


class _AfterImport:
    """A meta-path finder that calls ``callback(module)`` once ``name`` has been imported."""

    def __init__(self, name, callback):
        self.name, self.callback = name, callback

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module, callback = spec.loader.exec_module, self.callback

        def exec_and_patch(module):
            exec_module(module)
            callback(module)

        spec.loader.exec_module = exec_and_patch
        return spec
