# dot, mm, norm, diag, clamp, abs, max and their gradients
import torch

x = torch.tensor([3.0, -4.0, 1.0], requires_grad=True)
M = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 2.0]], requires_grad=True)
print(torch.dot(x, x), x.norm(), torch.norm(x))
print(torch.mm(M, x.unsqueeze(1)))
print(torch.diag(x))
print(torch.diag(torch.tensor([[1.0, 2.0], [3.0, 4.0]])))
print(x.clamp(min=0), torch.clamp(x, -1.0, 2.0), x.abs())
loss = torch.dot(x, x) + x.norm() + torch.mm(M, torch.diag(x)).sum() + x.clamp(min=0).sum()
loss = loss + M.abs().sum() + M.max()
loss.backward()
print(x.grad)
print(M.grad)
