# torch.autograd.functional: Jacobians and Hessians of small functions
import torch
from torch.autograd.functional import hessian, jacobian


def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1])])


def energy(x):
    return (x ** 3).sum() + x[0] * x[1]


x = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(jacobian(f, x))
print(hessian(energy, x))
