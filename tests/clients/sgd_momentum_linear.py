# logistic regression with optim.SGD(momentum) and BCEWithLogitsLoss
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(40, 2)
y = (X[:, 0] + 0.5 * X[:, 1] > 0).float().unsqueeze(1)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(30):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 9:
        print(epoch, loss.item())
with torch.no_grad():
    accuracy = ((torch.sigmoid(model(X)) > 0.5).float() == y).float().mean()
print("accuracy", accuracy.item())
print(model.weight.data, model.bias.data)
