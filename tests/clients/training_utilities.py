# the usual training-loop helpers: StepLR, clip_grad_norm_, zero_grad(set_to_none), state_dict
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
X = torch.randn(16, 3)
y = X.sum(dim=1, keepdim=True)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(12):
    opt.zero_grad(set_to_none=True)
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    opt.step()
    scheduler.step()
    if epoch % 4 == 0:
        print(epoch, round(loss.item(), 6), round(float(norm), 6), scheduler.get_last_lr())
print(list(model.state_dict().keys()))
model.eval()
print(model.training, model[0].training)
