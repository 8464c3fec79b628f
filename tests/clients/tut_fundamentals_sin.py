# "fundamentals of autograd": sin over a linspace, follow the graph, backward
import math

import torch

a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
b = torch.sin(a)
c = 2 * b
d = c + 1
out = d.sum()
print(out)
print("d:", d.grad_fn)
print("out:", out.grad_fn)
out.backward()
print(a.grad)
print(torch.allclose(a.grad, 2 * torch.cos(a.detach())))
