# evaluation code: argmax, topk, sort, one_hot, equality and accuracy
import torch
import torch.nn.functional as F

logits = torch.tensor([[0.1, 2.0, -1.0], [1.5, 0.2, 0.3], [0.0, 0.1, 3.0], [2.0, 2.5, 0.0]])
labels = torch.tensor([1, 0, 2, 0])
pred = logits.argmax(dim=1)
print(pred, (pred == labels).sum().item(), (pred == labels).float().mean().item())
values, idx = torch.topk(logits, 2, dim=1)
print(values, idx)
s, order = torch.sort(logits[:, 0], descending=True)
print(s, order)
print(F.one_hot(labels, num_classes=3))
print(torch.equal(pred, labels), torch.isclose(logits, logits + 1e-9).all())
confusion = torch.zeros(3, 3, dtype=torch.long)
for t, p in zip(labels, pred):
    confusion[t, p] += 1
print(confusion)
