# linear regression with nn.Linear, MSELoss and optim.SGD
import torch
from torch import nn, optim

X = torch.linspace(0, 1, 20).reshape(-1, 1)
Y = 3 * X + 0.5 + 0.01 * torch.randn(20, 1)
model = nn.Linear(1, 1)
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(X), Y)
    loss.backward()
    optimizer.step()
    if epoch % 25 == 0:
        print(f"epoch {epoch} loss {loss.item():.6f}")
print(model.weight.item(), model.bias.item())
