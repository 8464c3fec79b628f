# indexing habits from older torch code: x[[rows, cols]], byte masks, float lists, range
import torch
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(4, 3, requires_grad=True)
y = torch.tensor([2, 0, 1, 1])
log_probs = F.log_softmax(logits, dim=1)
picked = log_probs[[torch.arange(4), y]]  # a list of two index tensors: two indices
loss = -picked.mean()
loss.backward()
print(picked, loss)
print(log_probs[range(4), y].sum(), log_probs.max(axis=1).indices)
mask = (y == 1).byte()  # an old-style byte mask
print(logits[mask], logits.detach()[[1.0, 3.0]])
scores = logits.detach().clone()
scores[[0, 1], [2, 2]] = 0.0
print(scores, torch.cat([scores, scores], axis=1).shape)
