# lab part 3: two learning rates, accuracy under no_grad
import numpy as np
import torch
import torch.nn.functional as F
from _iris import features, labels

order = np.random.RandomState(0).permutation(150)
data = features()[order]
data = (data - data.mean(0)) / data.var(0, ddof=1)
X = torch.from_numpy(data[:100]).float()
y = torch.from_numpy(labels()[order][:100])


def train(lr, epochs=50):
    torch.manual_seed(1)
    W1 = torch.randn(4, 12, requires_grad=True)
    W2 = torch.randn(12, 3, requires_grad=True)
    b1 = torch.zeros(1, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    for _ in range(epochs):
        loss = F.cross_entropy(F.relu(X @ W1 + b1) @ W2 + b2, y)
        loss.backward()
        with torch.no_grad():
            W1 -= lr * W1.grad
            W2 -= lr * W2.grad
            b1 -= lr * b1.grad
            b2 -= lr * b2.grad
            W1.grad.zero_()
            W2.grad.zero_()
            b1.grad.zero_()
            b2.grad.zero_()
    with torch.no_grad():
        predictions = torch.argmax(F.relu(X @ W1 + b1) @ W2 + b2, dim=1)
        accuracy = (predictions == y).sum().item() / len(y)
    return loss.item(), accuracy


for lr in (0.01, 0.1):
    print(lr, *train(lr))
