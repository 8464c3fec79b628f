# backward(create_graph=True) and a gradient of a gradient
import torch

x = torch.tensor(1.5, requires_grad=True)
y = x ** 3
y.backward(create_graph=True)
g = x.grad
print(g.detach())
x.grad = None
g.backward()
print(x.grad)
w = torch.tensor([0.3, -0.2], requires_grad=True)
f = (w.tanh() ** 2).sum()
(grad_w,) = torch.autograd.grad(f, w, create_graph=True)
penalty = grad_w.pow(2).sum()
penalty.backward()
print(w.grad)
