# in-class notebook: an in-place change to a value backward needs is an error
import torch

x = torch.tensor([0.5, -0.25], requires_grad=True)
y = x.tanh()
y.add_(3)
print(y)
try:
    y.sum().backward()
except RuntimeError as e:
    print("RuntimeError raised:", type(e).__name__)

z = x.exp()
w = z * 2
z.mul_(10)  # exp saved its output: the backward through exp must fail
try:
    w.sum().backward()
except RuntimeError as e:
    print("second:", type(e).__name__)

u = x * 1
u.add_(1)  # add does not need its output: this one is fine
u.sum().backward()
print(x.grad)
