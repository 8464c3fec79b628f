# numpy habits that torch accepts: axis=, keepdims=, x.sum(0), np functions on tensors
import numpy as np
import torch

X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(axis=0), X.mean(axis=1, keepdims=True))
print(torch.sum(X, 1), torch.max(X, 0).values, X.min())
print(np.mean(X.numpy()), np.asarray(X).shape)
mu = X.mean(0)
sd = X.std(0)
print((X - mu) / sd)
print(X.T @ X, X.numel(), len(X))
