# evaluating a model under torch.inference_mode, as tutorials do, and its inference tensors
import torch

W = torch.randn(3, 2, requires_grad=True)
x = torch.randn(4, 3)

with torch.inference_mode():
    logits = x @ W
    print(logits.requires_grad, logits.is_inference(), torch.is_inference_mode_enabled())


@torch.inference_mode()
def predict(inputs):
    return (inputs @ W).argmax(dim=1)


print(predict(x), torch.is_inference_mode_enabled())
try:
    (logits * W.sum()).sum().backward()  # an inference tensor saved for backward
except RuntimeError as e:
    print(type(e).__name__)
try:
    logits.add_(1)
except RuntimeError as e:
    print(type(e).__name__)
usable = logits.clone()  # the way out torch's message gives
loss = (usable * (x @ W)).sum()
loss.backward()
print(usable.is_inference(), W.grad)
