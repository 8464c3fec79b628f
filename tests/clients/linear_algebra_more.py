# more linear algebra in small exercises: inverse, determinant, solve, trace, norms, einsum
import torch

A = torch.tensor([[4.0, 1.0], [2.0, 3.0]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(torch.inverse(A))
print(torch.det(A), torch.trace(A))
print(torch.linalg.solve(A, b))
print(torch.linalg.norm(A), torch.norm(A, p=2, dim=1))
print(torch.einsum("ij,j->i", A, b).detach())
loss = torch.det(A) + torch.linalg.inv(A).sum() + torch.einsum("ii", A) + A.matmul(b).sum()
loss.backward()
print(A.grad)
