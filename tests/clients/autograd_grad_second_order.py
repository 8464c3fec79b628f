# torch.autograd.grad, first and second derivatives
import torch

x = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = (x ** 3 - 2 * x).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
(h,) = torch.autograd.grad(g.sum(), x)
print(h)
z = torch.exp(x).sum()
dz = torch.autograd.grad(z, [x], retain_graph=True)[0]
print(torch.allclose(dz, torch.exp(x)))
g2 = torch.autograd.grad(z * z, x)[0]
print(g2)
