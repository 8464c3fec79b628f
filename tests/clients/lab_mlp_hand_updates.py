# lab part 3: a 4-12-3 ReLU MLP, cross-entropy, hand-written updates
import numpy as np
import torch
import torch.nn.functional as F
from _iris import features, labels

order = np.random.RandomState(0).permutation(150)
X_all = features()[order]
y_all = labels()[order]
X_all = (X_all - X_all.mean(axis=0)) / X_all.var(axis=0, ddof=1)
X = torch.tensor(X_all[:100], dtype=torch.float32)
y = torch.tensor(y_all[:100])
X_val = torch.tensor(X_all[100:], dtype=torch.float32)
y_val = torch.tensor(y_all[100:])

torch.manual_seed(0)
W1 = torch.randn(4, 12, requires_grad=True)
W2 = torch.randn(12, 3, requires_grad=True)
b1 = torch.tensor(0.0, requires_grad=True)
b2 = torch.tensor(0.0, requires_grad=True)

lr = 0.01
for epoch in range(100):
    logits = torch.relu(X @ W1 + b1) @ W2 + b2
    loss = F.cross_entropy(logits, y)
    loss.backward()
    with torch.no_grad():
        for p in (W1, W2, b1, b2):
            p -= lr * p.grad
            p.grad.zero_()
    if epoch % 20 == 0:
        print(epoch, loss.item())

with torch.no_grad():
    train_acc = (torch.argmax(torch.relu(X @ W1 + b1) @ W2 + b2, dim=1) == y).float().mean()
    val_acc = (torch.argmax(torch.relu(X_val @ W1 + b1) @ W2 + b2, 1) == y_val).float().mean()
print("train", train_acc.item(), "val", val_acc.item())
