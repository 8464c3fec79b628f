# freezing a layer with requires_grad = False, and stop-gradient with detach
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
for p in net[0].parameters():
    p.requires_grad = False
x = torch.randn(5, 2)
out = net(x).sum()
out.backward()
print(net[0].weight.grad, net[2].weight.grad is not None)
trainable = [p for p in net.parameters() if p.requires_grad]
print(len(trainable), sum(p.numel() for p in trainable))
h = net[0](x)
target = h.detach() * 2
print(((h - target) ** 2).mean().requires_grad)
