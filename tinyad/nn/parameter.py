"""Parameter: a tensor that a Module registers as one of its parameters."""

from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and registers itself when assigned to a
    Module's attribute (``self.weight = Parameter(...)``).

    As in torch, ``Parameter(t)`` shares ``t``'s storage (it is a detached alias of ``t``, so it is
    always a leaf), and ops on a Parameter return plain Tensors.
    """

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = Tensor([])
        elif not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter expects a tensor, got {type(data).__name__}; wrap arrays with "
                f"tinyad.tensor(...) first")
        self = data.detach()  # same storage and version counter, no history
        self.__class__ = cls  # Parameter adds no slots, so the layout is the same
        if requires_grad:
            self.requires_grad_(True)
        return self

    def __init__(self, data=None, requires_grad=True):
        pass  # everything happens in __new__

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
