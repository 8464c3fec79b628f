# a character-level bigram model of names, in the style of the popular "makemore" lesson:
# counts, sampling with a seeded torch.Generator, then the same model as a one-layer network
import torch
import torch.nn.functional as F

words = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia",
         "harper", "evelyn", "abigail", "emily", "ella", "elizabeth", "camila", "luna"]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
V = len(stoi)

N = torch.zeros((V, V), dtype=torch.int32)
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
print(N.sum(), N[0].argmax().item(), N.dtype)

P = (N + 1).float()
P /= P.sum(1, keepdims=True)
print(P[0, :5], P.sum(1)[:3])

g = torch.Generator().manual_seed(2147483647)
for _ in range(5):
    out, ix = [], 0
    while True:
        ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
        if ix == 0 or len(out) > 20:
            break
        out.append(itos[ix])
    print("".join(out))

log_likelihood, n = 0.0, 0
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        log_likelihood += torch.log(P[stoi[ch1], stoi[ch2]])
        n += 1
print(f"{-log_likelihood / n:.4f}")

# the same model, learnt: one-hot inputs times a weight matrix, softmax by hand
xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs, ys = torch.tensor(xs), torch.tensor(ys)
num = xs.nelement()
W = torch.randn((V, V), generator=g, requires_grad=True)
for k in range(30):
    xenc = F.one_hot(xs, num_classes=V).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W ** 2).mean()
    if k % 10 == 0:
        print(k, loss.item())
    W.grad = None
    loss.backward()
    W.data += -10 * W.grad
print(loss.item())

for _ in range(3):
    out, ix = [], 0
    while True:
        xenc = F.one_hot(torch.tensor([ix]), num_classes=V).float()
        p = F.softmax(xenc @ W, dim=1)
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        if ix == 0 or len(out) > 20:
            break
        out.append(itos[ix])
    print("".join(out))

# dropout by hand with a bernoulli mask, and a random split of the data
h = torch.ones(4, 6)
mask = torch.bernoulli(torch.full_like(h, 0.5), generator=g)
print(mask.sum(1), (h * mask / 0.5).shape)
perm = torch.randperm(num, generator=g)
print(perm.shape, sorted(perm.tolist()) == list(range(num)))
keep = torch.empty(2, 5).bernoulli_(0.8)
waits = torch.empty(4, dtype=torch.float64).exponential_(2.0)
print(keep, waits)
