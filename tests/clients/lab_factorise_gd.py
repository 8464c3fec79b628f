# lab part 1: A ~ U V^T on centred Iris, gradient descent on the summed squared error
import torch
import torch.nn.functional as F
from _iris import features


def gd_factorise_ad(A, rank, num_epochs=300, lr=0.01):
    m, n = A.shape
    U = torch.rand(m, rank, dtype=torch.float64, requires_grad=True)
    V = torch.rand(n, rank, dtype=torch.float64, requires_grad=True)
    for epoch in range(num_epochs):
        loss = F.mse_loss(U @ V.t(), A, reduction="sum")
        loss.backward()
        with torch.no_grad():
            U -= lr * U.grad
            V -= lr * V.grad
        U.grad.zero_()
        V.grad.zero_()
        if epoch % 50 == 0:
            print(f"epoch {epoch}: loss {loss.item():.6f}")
    return U.detach(), V.detach()


data = torch.tensor(features())
A = data - data.mean(dim=0)
U, V = gd_factorise_ad(A, 2)
print("loss", torch.sum((A - U @ V.t()) ** 2).item())
print(U[:3])
print(V)
