# tensors and numpy arrays back and forth
import numpy as np
import torch

a = np.array([[1.0, 2.0], [3.0, 4.0]])
t = torch.from_numpy(a)
print(t.dtype, t)
t2 = torch.tensor(a, dtype=torch.float32, requires_grad=True)
y = (t2 * t2).sum()
y.backward()
print(t2.grad.numpy())
print(t2.detach().numpy().sum(), y.item(), t2.tolist())
print(torch.as_tensor([1.5, 2.5]).dtype)
print(t.numpy() is a or np.shares_memory(t.numpy(), a))
