# a student's version: float64 everywhere via set_default_dtype, backward(torch.ones(...))
import torch
from _iris import features

torch.set_default_dtype(torch.float64)


def factorise(A_, rank, num_epochs=100, lr=0.01):
    m, n = A_.shape
    U_ = torch.rand(m, rank, requires_grad=True)
    V_ = torch.rand(n, rank, requires_grad=True)
    for _epoch in range(num_epochs):
        loss = torch.nn.functional.mse_loss(U_ @ V_.t(), A_, reduction="sum")
        loss.backward(torch.ones(loss.shape))
        with torch.no_grad():
            U_ -= lr * U_.grad
            V_ -= lr * V_.grad
        U_.grad.zero_()
        V_.grad.zero_()
    return U_, V_, loss


A = torch.tensor(features())
A = A - A.mean(0)
U, V, loss = factorise(A, 2)
print(U.dtype, torch.get_default_dtype(), loss.item())
print(torch.rand(2).dtype)
