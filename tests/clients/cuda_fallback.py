# GPU code on a machine without one: check, fall back, and what asking anyway does
import torch

print(torch.cuda.is_available(), torch.cuda.device_count())
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
print(device, device.type)
x = torch.ones(2, 2, device=device, requires_grad=True)
(x * 3).sum().backward()
print(x.grad.to("cpu"))
try:
    torch.ones(2).cuda()
except (AssertionError, RuntimeError) as e:
    print("cuda():", type(e).__name__)
try:
    torch.zeros(3, device="cuda")
except (AssertionError, RuntimeError) as e:
    print("device='cuda':", type(e).__name__)
