# autograd tutorial: a vector-Jacobian product through a loop of doublings
import torch

x = torch.randn(3, requires_grad=True)
y = x * 2
n = 1
while y.data.norm() < 1000:
    y = y * 2
    n += 1
print(n, y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
