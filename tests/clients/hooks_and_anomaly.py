# tensor hooks to look at (and change) gradients as they flow, and anomaly detection
import torch

seen = []
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: seen.append(g.clone()))
h = x.register_hook(lambda g: g * 10)
z = (y ** 2).sum()
z.backward()
print(seen[0])
print(x.grad)
h.remove()
x.grad = None
(y.detach() * x).sum().backward()
print(x.grad)
with torch.autograd.set_detect_anomaly(True):
    a = torch.tensor([4.0], requires_grad=True)
    (a.sqrt() * 3).backward()
print(a.grad)
