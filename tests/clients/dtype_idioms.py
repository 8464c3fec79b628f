# dtypes: defaults, conversions, old tensor types
import torch

print(torch.get_default_dtype())
print(torch.tensor([1.0, 2.0]).dtype, torch.tensor([1, 2]).dtype, torch.tensor(True).dtype)
a = torch.DoubleTensor([1, 2, 3])
b = torch.FloatTensor([[0.5, 1.5]])
print(a, a.dtype)
print(b, b.dtype)
print(a.float().dtype, b.double().dtype, b.long())
torch.set_default_dtype(torch.float64)
print(torch.get_default_dtype(), torch.tensor([0.1]).dtype, torch.zeros(2).dtype)
print(torch.tensor([0.1]) + torch.tensor([0.2], dtype=torch.float32))
print((torch.ones(2, dtype=torch.float32) * 2.5).dtype)
print(torch.arange(4).dtype, torch.arange(4.0).dtype)
