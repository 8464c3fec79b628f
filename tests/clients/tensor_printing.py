# what tensors look like when printed
import torch

print(torch.tensor([0.1, 2.0]))
print(torch.tensor([[1.0, 2.5], [3.25, -4.0]]))
print(torch.tensor(3.2))
print(torch.tensor([1, 2, 3]))
print(torch.tensor([True, False]))
print(torch.tensor([0.1, 2.0], dtype=torch.float64))
print(torch.tensor([1e-5, 1.0, 1000.0]))
print(torch.tensor([123456.0, 0.5]))
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x)
print(x * 2, x + 1, x - 1, x / 2, x ** 2)
print(x.sum(), x.mean(), x.exp(), x.tanh())
print(torch.tensor([[1.0, 2.0]], requires_grad=True) @ torch.ones(2, 1))
print(x.detach(), x.grad_fn, (x * 2).grad_fn)
print(repr(torch.zeros(2, 3)), str(torch.ones(1)))
print(f"{torch.tensor(0.25).item():.3f}", torch.tensor(2.5).item())
