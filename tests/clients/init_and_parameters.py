# nn.init and nn.Parameter in a hand-built layer
import torch
import torch.nn as nn


class Affine(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_out, n_in))
        self.bias = nn.Parameter(torch.zeros(n_out))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x):
        return x @ self.weight.t() + self.bias


layer = Affine(3, 2)
print(layer.weight)
nn.init.normal_(layer.bias, mean=0.0, std=0.1)
nn.init.constant_(layer.bias, 0.25)
x = torch.ones(4, 3)
layer(x).sum().backward()
print(layer.weight.grad, layer.bias.grad)
print(isinstance(layer.weight, torch.Tensor), layer.weight.is_leaf)
