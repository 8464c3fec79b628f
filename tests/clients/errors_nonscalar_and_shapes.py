# errors torch raises for common mistakes, caught and named
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
try:
    y.backward()
except RuntimeError as e:
    print("non-scalar:", type(e).__name__)
try:
    torch.tensor([1.0, 2.0]).sum().backward()
except RuntimeError as e:
    print("no grad:", type(e).__name__)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print("matmul shapes:", type(e).__name__)
try:
    torch.ones(2, 3) + torch.ones(4, 3)
except RuntimeError as e:
    print("broadcast:", type(e).__name__)
try:
    torch.tensor([1, 2]).requires_grad_()
except RuntimeError as e:
    print("integer leaf:", type(e).__name__)
try:
    torch.tensor(2.0).view(2)
except RuntimeError as e:
    print("view:", type(e).__name__)
y.backward(torch.ones(3))
print(x.grad)
