# sums, means, max with dim, argmax, indexing and their gradients
import torch

X = torch.tensor([[1.0, 5.0, 2.0], [4.0, -1.0, 3.0]], requires_grad=True)
print(X.sum(dim=0), X.mean(dim=1, keepdim=True))
values, indices = X.max(dim=1)
print(values, indices)
print(torch.argmax(X), X.argmax(dim=0))
print(X[0], X[:, 1], X[1, 2])
idx = torch.tensor([0, 2, 2])
picked = X[1][idx]
total = values.sum() + picked.sum() + X[:, 1].prod() + X.var() + X.std(dim=0).sum()
total.backward()
print(X.grad)
print(X.t().shape, X.T.shape, X.reshape(3, 2).shape, X.view(-1).shape)
print(X.unsqueeze(0).shape, X.squeeze().shape, X.flatten().shape)
