# gradient descent by rebuilding the leaf: x = x - lr * grad; detach_(); requires_grad_()
import torch
import torch.nn.functional as F

target = torch.FloatTensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])
x = torch.rand_like(target)
x.requires_grad = True
print(x)
loss = F.mse_loss(x, target)
threshold = 1e-5
learning_rate = 1.0
iter_cnt = 0
while loss > threshold:
    iter_cnt += 1
    loss.backward()
    x = x - learning_rate * x.grad
    x.detach_()
    x.requires_grad_(True)
    loss = F.mse_loss(x, target)
    print("%d-th Loss: %.4e" % (iter_cnt, loss))
print(x)
