# lab part 1 with torch.linalg.svd and reduced matrices
import torch
from _iris import features

torch.set_default_dtype(torch.float64)
A = torch.tensor(features())
A = A - A.mean(dim=0, keepdim=True)
U, S, Vh = torch.linalg.svd(A, full_matrices=False)
print(U.shape, S.shape, Vh.shape)
rank = 2
A_r = U[:, :rank] @ torch.diag(S[:rank]) @ Vh[:rank, :]
err = torch.nn.functional.mse_loss(A_r, A, reduction="sum")
print("rank-2 error", err.item())
print("explained", (S[:rank] ** 2).sum().item() / (S ** 2).sum().item())
