# torch.no_grad as a decorator and inference helpers
import torch

W = torch.randn(3, 2, requires_grad=True)


@torch.no_grad()
def predict(x):
    return x @ W


x = torch.randn(4, 3)
p = predict(x)
print(p.requires_grad, p.shape)
out = (x @ W).sum()
print(out.requires_grad)
with torch.enable_grad():
    print((x @ W).requires_grad)
print(p.detach().numpy().round(4))
