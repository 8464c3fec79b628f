# reshaping, permuting, expanding, splitting: values and gradients
import torch

x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
y = x.permute(2, 0, 1)
print(y.shape, y.is_contiguous())
z = y.contiguous().view(4, 6)
parts = torch.chunk(z, 2, dim=1)
print([p.shape for p in parts])
a, b = torch.split(z, [2, 2], dim=0)
e = x[:, :1, :].expand(2, 3, 4)
r = x[0, 0].repeat(2)
t = torch.transpose(x, 0, 2)
loss = parts[0].sum() + (a * b).sum() + e.sum() + r.pow(2).sum() + t[0].sum()
loss.backward()
print(x.grad)
print(x.flatten(1).shape, x.unsqueeze(1).shape, x.mean(dim=(0, 2)))
