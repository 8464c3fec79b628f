# older tutorials: torch.Tensor(...) constructors, .type(), .size(), loss.data
import torch

a = torch.Tensor([[1, 2], [3, 4]])
print(a, a.dtype, a.type())
b = torch.Tensor(2, 3).zero_()
print(b.size(), b.size(0), b.shape[1])
c = a.type(torch.DoubleTensor)
print(c.type(), c.dtype)
x = torch.Tensor([0.5, 1.5]).requires_grad_()
loss = (x ** 2).sum()
print(loss.data, loss.data.item())
try:
    loss.data[0]
except IndexError as e:
    print("indexing a 0-d tensor:", type(e).__name__)
loss.backward()
print(x.grad.data)
