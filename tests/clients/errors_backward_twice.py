# the graph is freed after backward: a second backward fails
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x.exp() * x).sum()
y.backward()
print(x.grad)
try:
    y.backward()
except RuntimeError as e:
    print("second backward:", type(e).__name__)
z = (x.sigmoid() * 2).sum()
z.backward(retain_graph=True)
z.backward()
print(x.grad)
