# gradients accumulate until zeroed; retain_graph to go through a graph twice
import torch

x = torch.tensor([2.0, 3.0], requires_grad=True)
y = (x ** 3).sum()
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
x.grad.zero_()
(x * x).sum().backward()
print(x.grad)
x.grad = None
(4 * x).sum().backward()
print(x.grad)
