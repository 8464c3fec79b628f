# a custom autograd.Function that saves its output
import torch


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


x = torch.tensor([0.0, 1.0, -1.0], dtype=torch.float64, requires_grad=True)
y = Exp.apply(x)
print(y.detach())
(y * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
print(x.grad)
