# device-agnostic code as tutorials write it
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device)
x = torch.randn(3, 2).to(device)
w = torch.randn(2, 1, device=device, requires_grad=True)
b = torch.zeros(1, device=device, requires_grad=True)
y = x @ w + b
loss = y.pow(2).mean()
loss.backward()
print(w.grad.cpu().numpy())
print(x.device, w.is_leaf, loss.device)
model = torch.nn.Linear(2, 1).to(device)
print(next(model.parameters()).device)
print(torch.tensor([1.0, 2.0]).cpu().tolist())
