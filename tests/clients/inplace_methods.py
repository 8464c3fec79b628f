# in-place methods in update steps
import torch

w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
v = torch.zeros(3)
for step in range(3):
    loss = (w * w).sum()
    loss.backward()
    with torch.no_grad():
        v.mul_(0.9).add_(w.grad)
        w.sub_(0.1 * v)
        w.clamp_(-2.5, 2.5)
    w.grad.zero_()
    print(step, w, v)
t = torch.empty(2, 2)
t.fill_(1.5)
t.div_(3)
t.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
t.zero_()
print(t)
u = torch.ones(3)
u.add_(torch.tensor([1.0, 2.0, 3.0]), alpha=2)
u.sqrt_()
print(u)
