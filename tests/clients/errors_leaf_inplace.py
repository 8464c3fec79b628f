# updating a leaf that requires grad must happen under no_grad
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as e:
    print("outside no_grad:", type(e).__name__)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, w.requires_grad, w.grad_fn)
try:
    w.zero_()
except RuntimeError as e:
    print("zero_ on leaf:", type(e).__name__)
w.grad.zero_()
print(w.grad)
