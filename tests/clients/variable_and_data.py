# older code: Variable, .data updates, grad.data.zero_()
import torch
from torch.autograd import Variable

x = Variable(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
w = Variable(torch.tensor([[0.5], [-0.5]]), requires_grad=True)
target = torch.tensor([[1.0], [0.0]])
for i in range(5):
    loss = ((x.mm(w) - target) ** 2).sum()
    loss.backward()
    w.data -= 0.05 * w.grad.data
    w.grad.data.zero_()
    print(i, loss.data.item())
print(w.data, x.grad)
print(w.data.norm(), type(w.data).__name__, w.data.requires_grad)
