# walking the graph by hand with grad_fn.next_functions
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
d = c.sum()
print(type(d.grad_fn).__name__)
fn, _ = d.grad_fn.next_functions[0]
print(type(fn).__name__)
for f, i in fn.next_functions:
    print(type(f).__name__, i)
