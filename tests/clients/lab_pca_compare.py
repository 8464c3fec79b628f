# lab part 2: compare the gradient-descent factor with PCA
import torch
from _iris import features

torch.manual_seed(0)
A = torch.tensor(features())
A = A - A.mean(dim=0)
U = torch.rand(150, 2, dtype=torch.float64, requires_grad=True)
V = torch.rand(4, 2, dtype=torch.float64, requires_grad=True)
for _epoch in range(400):
    loss = ((A - U @ V.T) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        U -= 0.01 * U.grad
        V -= 0.01 * V.grad
        U.grad.zero_()
        V.grad.zero_()
P, S, Q = torch.svd(A)
pca = A @ Q[:, :2]
print("pca variance", pca.var(dim=0))
print("U_hat variance", U.detach().var(dim=0))
Qu, _ = torch.linalg.qr(U.detach())
cosines = torch.linalg.svd(Qu.T @ P[:, :2])[1]
print("cosines of principal angles", cosines)
