# torch.nn.functional losses and their gradients
import torch
import torch.nn.functional as F

logits = torch.tensor([[1.0, -0.5, 0.2], [0.1, 0.3, -1.2]], requires_grad=True)
target = torch.tensor([0, 2])
ce = F.cross_entropy(logits, target)
nll = F.nll_loss(F.log_softmax(logits, dim=1), target)
print(ce, nll)
p = torch.tensor([0.2, 0.9, 0.6], requires_grad=True)
t = torch.tensor([0.0, 1.0, 1.0])
bce = F.binary_cross_entropy(p, t)
z = torch.tensor([-1.0, 2.0, 0.3], requires_grad=True)
bcel = F.binary_cross_entropy_with_logits(z, t)
mse = F.mse_loss(p, t)
print(bce, bcel, mse)
print(F.softmax(logits, dim=1).sum(dim=1))
(ce + bce + bcel + mse + F.mse_loss(p, t, reduction="sum")).backward()
print(logits.grad)
print(p.grad, z.grad)
