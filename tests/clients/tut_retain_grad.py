# gradients of intermediate values: retain_grad
import torch

x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
h = x * 3
h.retain_grad()
y = (h ** 2).sum()
y.backward()
print(h.grad)
print(x.grad)
print(h.is_leaf, h.requires_grad, h.retains_grad)
