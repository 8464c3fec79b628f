# in-class notebook: a view of a leaf that requires grad cannot be changed in place
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x[:1]
try:
    y.add_(3)
except RuntimeError as e:
    print(type(e).__name__)
try:
    x.add_(1)
except RuntimeError as e:
    print("leaf:", type(e).__name__)
with torch.no_grad():
    y.add_(3)
print(x)
c = x.clone()
v = c[1:]
v.mul_(2)
c.sum().backward()
print(c, x.grad)
