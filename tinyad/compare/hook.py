"""The import hook that makes ``import torch`` give tinyad, and the names of what tinyad lacks.

:func:`install` puts :class:`TorchToTinyad` first on ``sys.meta_path``. From then on
``import torch`` returns the ``tinyad`` module itself, ``import torch.nn.functional as F`` returns
``tinyad.nn.functional``, and so on for every submodule tinyad has. The program's text is not
changed. A submodule tinyad does not have (``torch.nn.init``, ``torch.utils.data``...) and the
torch ecosystem packages (``torchvision``...) raise an ImportError that names what is missing
and says tinyad does not have it, instead of a ModuleNotFoundError about a module the program
never mentioned.

:func:`missing_api` reads an exception raised by a tinyad run and names, in torch's terms, the
API that tinyad lacks (``torch.svd``, ``Tensor.add_``, the ``device=`` keyword of ``rand``...),
or returns None when the error is not about a missing API.
"""

import importlib
import importlib.abc
import importlib.util
import re
import sys
import types

# Packages built on torch that tinyad does not replace.
ECOSYSTEM = ("torchvision", "torchaudio", "torchtext", "torchdata", "functorch", "torch_geometric",
             "pytorch_lightning", "lightning")


def _tinyad_name(fullname):
    """``torch.nn.functional`` -> ``tinyad.nn.functional``."""
    return "tinyad" + fullname[len("torch"):]


def torch_name(name):
    """``tinyad.nn.functional`` -> ``torch.nn.functional`` (other names unchanged)."""
    if name == "tinyad" or name.startswith("tinyad."):
        return "torch" + name[len("tinyad"):]
    return name


class _Alias(importlib.abc.Loader):
    """Loads ``torch.X`` as the already importable module ``tinyad.X`` (the same object)."""

    def __init__(self, target):
        self.target = target
        self.original_spec = None

    def create_module(self, spec):
        module = self.target if isinstance(self.target, types.ModuleType) else \
            importlib.import_module(self.target)
        self.original_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        # the import system set __spec__ to torch's alias spec: give tinyad its own back
        module.__spec__ = self.original_spec


class TorchToTinyad(importlib.abc.MetaPathFinder):
    """Resolves ``torch`` and its submodules to tinyad's; refuses what tinyad lacks."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in ECOSYSTEM:
            raise ModuleNotFoundError(
                f"tinyad does not have {top}: this program imports {fullname}, a package built "
                f"on torch that tinyad does not replace (tinyad mirrors torch's tensors, autograd, "
                f"torch.nn.functional and the lab's nn/optim only)", name=fullname)
        if top != "torch":
            return None
        target_name = _tinyad_name(fullname)
        module = sys.modules.get(target_name)
        if module is None:
            try:
                found = importlib.util.find_spec(target_name)
            except ModuleNotFoundError:
                found = None
            if found is None:
                # tinyad may define a namespace object as an attribute (tinyad.cuda)
                parent, _, leaf = target_name.rpartition(".")
                attribute = getattr(importlib.import_module(parent), leaf, None) if parent else None
                if not isinstance(attribute, types.ModuleType):
                    raise ModuleNotFoundError(
                        f"tinyad does not have {fullname}: the program imports it, and tinyad "
                        f"has no module {target_name} (this run resolves torch to tinyad)",
                        name=fullname)
                module = attribute
        # is_package: an aliased plain module (tinyad.autograd) gets an empty __path__, so that
        # ``import torch.autograd.functional`` asks this finder (and is refused by name)
        # instead of failing with "'torch.autograd' is not a package"
        return importlib.util.spec_from_loader(fullname, _Alias(module or target_name),
                                               is_package=True)


_finder = None


def install():
    """Make ``import torch`` (and its submodules tinyad has) resolve to tinyad from now on."""
    global _finder
    if _finder is None:
        if "torch" in sys.modules and not sys.modules["torch"].__name__.startswith("tinyad"):
            raise RuntimeError("the real torch is already imported in this process; the hook must "
                               "be installed before anything imports torch")
        _finder = TorchToTinyad()
        sys.meta_path.insert(0, _finder)
    return _finder


def uninstall():
    """Remove the hook and forget the ``torch`` aliases it created."""
    global _finder
    if _finder is not None:
        sys.meta_path.remove(_finder)
        _finder = None
    for name in [n for n in sys.modules if n == "torch" or n.startswith("torch.")]:
        if getattr(sys.modules[name], "__name__", "").startswith("tinyad"):
            del sys.modules[name]


# ----------------------------------------------------------------------------- missing APIs

_MODULE_ATTR = re.compile(r"module '([\w.]+)' has no attribute '(\w+)'")
_OBJECT_ATTR = re.compile(r"'(\w+)' object has no attribute '(\w+)'")
_TYPE_ATTR = re.compile(r"type object '(\w+)' has no attribute '(\w+)'")
_IMPORT_NAME = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")
_NOT_HERE = "tinyad does not have "
_HAS_NO = re.compile(r"^(tinyad[\w.]*) has no ([\w.]+)")  # tinyad's own "has no X" errors
_KEYWORD = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")


def _is_tinyad_class(name):
    """True if a class called ``name`` is defined in a tinyad module (Tensor, Linear...)."""
    return any(isinstance(getattr(module, name, None), type)
               for key, module in list(sys.modules.items())
               if key == "tinyad" or key.startswith("tinyad."))


def missing_api(error):
    """The torch API a tinyad run's ``error`` shows to be missing, in torch's names, or None."""
    message = str(error)
    if message.startswith(_NOT_HERE):  # the hook's and tinyad's own refusals
        return re.split(r"[:;]", message[len(_NOT_HERE):], maxsplit=1)[0].strip()
    m = _HAS_NO.match(message)
    if m:
        name = m.group(2)
        return name if name.startswith("torch.") else f"{torch_name(m.group(1))}.{name}"
    if isinstance(error, ImportError):
        m = _IMPORT_NAME.search(message)
        if m:
            return f"{torch_name(m.group(2))}.{m.group(1)}"
        name = getattr(error, "name", None)
        return torch_name(name) if name else None
    if isinstance(error, AttributeError):
        m = _MODULE_ATTR.search(message)
        if m and m.group(1).startswith("tinyad"):
            return f"{torch_name(m.group(1))}.{m.group(2)}"
        if message.startswith("'numpy.ndarray' object has no attribute"):
            return ("Tensor methods inside a custom Function (tinyad's Function.forward and "
                    "backward receive numpy arrays, torch's receive tensors)")
        m = _TYPE_ATTR.search(message) or _OBJECT_ATTR.search(message)
        if m and not m.group(2).startswith("_") and _is_tinyad_class(m.group(1)):
            return f"{m.group(1)}.{m.group(2)}"
        return None
    if isinstance(error, TypeError):
        m = _KEYWORD.search(message)
        if m:
            return f"the {m.group(2)}= keyword of {m.group(1)}()"
        return None
    if isinstance(error, NotImplementedError):
        return message.split("\n")[0] or None
    return None
