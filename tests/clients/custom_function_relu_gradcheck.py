# the classic custom ReLU, checked with gradcheck
import torch


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


x = torch.tensor([[-1.0, 2.0], [0.5, -0.3]], dtype=torch.double, requires_grad=True)
out = MyReLU.apply(x)
print(out.detach())
out.sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(MyReLU.apply, (x,), eps=1e-6, atol=1e-4))
