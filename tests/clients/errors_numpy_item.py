# common mistakes when leaving torch: numpy() on a tensor that requires grad, item() on many
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print("numpy():", type(e).__name__)
print(w.detach().numpy())
try:
    w.item()
except RuntimeError as e:
    print("item():", type(e).__name__)
try:
    float(w)
except (RuntimeError, TypeError, ValueError) as e:
    print("float():", type(e).__name__)
print(w.sum().item(), w[0].item(), w.tolist())
try:
    torch.tensor([1.0, 2.0]) @ torch.tensor([1.0, 2.0, 3.0])
except RuntimeError as e:
    print("dot shapes:", type(e).__name__)
try:
    w.grad.zero_()
except AttributeError as e:
    print("grad is None:", type(e).__name__)
