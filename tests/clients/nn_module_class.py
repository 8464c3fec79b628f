# a custom nn.Module, its parameters and its printed form
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 12)
        self.fc2 = nn.Linear(12, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


net = Net()
print(net)
print(sum(p.numel() for p in net.parameters()))
for name, p in net.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
x = torch.randn(5, 4)
out = net(x)
print(out.shape)
loss = F.cross_entropy(out, torch.tensor([0, 1, 2, 1, 0]))
loss.backward()
print(net.fc1.weight.grad.shape, net.fc2.bias.grad)
