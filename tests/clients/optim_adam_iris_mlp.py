# the lab's MLP with nn.Sequential, CrossEntropyLoss and Adam
import numpy as np
import torch
import torch.nn as nn
from _iris import features, labels

order = np.random.RandomState(0).permutation(150)
X = torch.tensor(features()[order], dtype=torch.float32)
X = (X - X.mean(0)) / X.std(0)
y = torch.tensor(labels()[order], dtype=torch.long)

model = nn.Sequential(nn.Linear(4, 12), nn.ReLU(), nn.Linear(12, 3))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(60):
    optimizer.zero_grad()
    loss = loss_fn(model(X[:100]), y[:100])
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        print(epoch, round(loss.item(), 5))
model.eval()
with torch.no_grad():
    predicted = model(X[100:]).argmax(dim=1)
print("val accuracy", (predicted == y[100:]).sum().item() / 50)
