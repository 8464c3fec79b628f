# factory functions a first lab uses
import torch

print(torch.eye(3))
print(torch.full((2, 3), 7.0))
print(torch.linspace(0, 1, 5))
print(torch.arange(0, 10, 3))
print(torch.zeros(2, 2), torch.ones(3))
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.tensor([[5.0, 6.0]])
print(torch.cat([a, b], dim=0))
print(torch.cat((a, a), 1))
print(torch.stack([a, a]).shape)
print(torch.zeros_like(a), torch.ones_like(b))
print(torch.eye(2, 3, dtype=torch.float64))
print(torch.full((2,), 3))
