# autograd tutorial: requires_grad_ changes the flag in place
import torch

a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn is not None, b.requires_grad)
b.backward()
print(torch.allclose(a.grad, 2 * a))
