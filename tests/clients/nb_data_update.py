# in-class notebook: minimise (x - 3)^2 by updating x.data directly
import torch

x = torch.tensor([0.0, 10.0], requires_grad=True)
lr = 0.25
for i in range(6):
    f = ((x - 3) ** 2).sum()
    f.backward()
    x.data = x - lr * x.grad
    x.grad.data.zero_()
    print(i, f.item(), x)
print(x.requires_grad, x.is_leaf)
