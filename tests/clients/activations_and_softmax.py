# activation functions and softmax along dimensions, with gradients
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([[-2.0, -0.5, 0.0, 0.5, 3.0], [1.0, 2.0, -1.0, 0.25, -3.0]], requires_grad=True)
outs = [torch.sigmoid(x), torch.tanh(x), torch.relu(x), F.leaky_relu(x, 0.1), F.softplus(x),
        F.elu(x), nn.Sigmoid()(x), nn.Tanh()(x), nn.ReLU()(x), nn.Softmax(dim=1)(x),
        torch.softmax(x, dim=0), F.log_softmax(x, dim=1), x.softmax(-1)]
total = sum(o.sum() for o in outs)
total.backward()
print(total)
print(x.grad)
print(torch.maximum(x, torch.zeros_like(x)))
print(torch.where(x > 0, x, 0.1 * x))
