# in-class notebook, first cell: z = x * y + sin(x), gradients by hand and by autograd
import torch

x = torch.tensor(1.5, requires_grad=True)
y = torch.tensor(-2.0, requires_grad=True)
z = x * y + torch.sin(x)
print(z)
z.backward()
print("dz/dx =", x.grad, " by hand:", y.item() + torch.cos(x).item())
print("dz/dy =", y.grad, " by hand:", x.item())
