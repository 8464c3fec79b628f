# lab part 1: the truncated SVD is the best rank-2 reconstruction
import torch
from _iris import features

A = torch.tensor(features(), dtype=torch.float64)
A = A - A.mean(0)
U, S, V = torch.svd(A)
print(S)
A_hat = U[:, :2] @ torch.diag(S[:2]) @ V[:, :2].t()
print("svd loss:", torch.sum((A - A_hat) ** 2).item())
print("from the rest:", (S[2:] ** 2).sum().item())
print("frobenius:", torch.norm(A - A_hat).item())
print(torch.allclose(U.t() @ U, torch.eye(4, dtype=torch.float64)))
