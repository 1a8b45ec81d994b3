# SPDX-License-Identifier: BSL-1.0
"""Writes tests/fixtures/numerics/*.safetensors: what PyTorch 1.13 computes at the numerical
edges where a naive implementation overflows, divides by zero or silently stalls, so that
tests/numerics_test_*.cpp can prove typenn computes the same, finitely.

Run with Debian's python3-torch:  /usr/bin/python3 tools/make_numerics_fixtures.py

Every tensor is written twice, computed in float32 (suffix .f32) and in float64 (.f64), for
Model<Net, float> and Model<Net, double>, except the optimizer cases, which are float32.

Files:
  batchnorm.safetensors    BatchNorm1d(4) in training mode on a batch whose columns 1 and 3
                           are constant (zero variance; 0.1 is not exact in binary, -2 is):
                           x, weight, bias, dy; y, dx, weight.grad, bias.grad, running_mean,
                           running_var after the step; eval: y in eval mode after the step;
                           eval_zero_var: y in eval mode with running_var = 0 in column 1
  activations.safetensors  x (±1e4, ±100, ±89, ±20, ±1e-3, 0, ...) and dy; <name>.y, <name>.dx
                           for sigmoid, tanh, elu (alpha 1) and elu_0.5 (alpha 0.5)
  losses.safetensors       cross_entropy.{input, target, loss, grad} and
                           bce_with_logits.{input, target, loss, grad}, logits of ±1e4
  optim.safetensors        initial.<key> and grad<i>.<key> of NET's parameters; for each case
                           of OPTIMIZER_CASES, <case>.<key>: the parameters after its steps,
                           each step using grad<i> (or zeros) at the learning rate it names

The C++ tests repeat the hyperparameters written here; keep both in step.
"""
import pathlib
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "numerics"

DTYPES = OrderedDict([("f32", torch.float32), ("f64", torch.float64)])

BN_BATCH = 6
BN_FEATURES = 4
ACTIVATION_X = [1e4, -1e4, 100.0, -100.0, 89.0, -89.0, 20.0, -20.0,
                1e-3, -1e-3, 0.0, 0.5, -0.5, 3.0, -3.0, -1e4 + 1]  # 2 rows of 8


def batchnorm_case(dtype):
    torch.manual_seed(5)
    x = torch.randn(BN_BATCH, BN_FEATURES, dtype=torch.float64)
    x[:, 1] = 0.1
    x[:, 3] = -2.0
    x = x.to(dtype)
    dy = torch.randn(BN_BATCH, BN_FEATURES, dtype=torch.float64).to(dtype)
    module = nn.BatchNorm1d(BN_FEATURES).to(dtype)
    with torch.no_grad():
        module.weight.copy_(torch.tensor([0.5, 1.5, -0.75, 2.0]))
        module.bias.copy_(torch.tensor([0.1, -0.2, 0.3, 0.4]))
    out = OrderedDict(x=x, weight=module.weight.detach().clone(),
                      bias=module.bias.detach().clone(), dy=dy)
    module.train()
    xg = x.clone().requires_grad_(True)
    y = module(xg)
    y.backward(dy)
    out.update(y=y.detach(), dx=xg.grad, **{"weight.grad": module.weight.grad,
                                            "bias.grad": module.bias.grad},
               running_mean=module.running_mean.clone(), running_var=module.running_var.clone())
    module.eval()
    with torch.no_grad():
        out["eval"] = module(x)
        module.running_var[1] = 0.0
        out["eval_zero_var"] = module(x)
    return out


ACTIVATIONS = OrderedDict([
    ("sigmoid", nn.Sigmoid()),
    ("tanh", nn.Tanh()),
    ("elu", nn.ELU()),
    ("elu_0.5", nn.ELU(alpha=0.5)),
])


def activations_case(dtype):
    torch.manual_seed(6)
    x = torch.tensor(ACTIVATION_X, dtype=dtype).reshape(2, -1)
    dy = torch.randn(x.shape, dtype=torch.float64).to(dtype)
    out = OrderedDict(x=x, dy=dy)
    for name, activation in ACTIVATIONS.items():
        xg = x.clone().requires_grad_(True)
        y = activation(xg)
        y.backward(dy)
        out[f"{name}.y"] = y.detach()
        out[f"{name}.dx"] = xg.grad
    return out


def losses_case(dtype):
    out = OrderedDict()
    # Rows where the label's logit is 2e4 below the others (a loss of 2e4), all logits equal
    # at -1e4 or +1e4, and a near tie at the top.
    logits = torch.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4],
                           [-1e4, 1e4, 1e4 - 1]], dtype=dtype)
    labels = torch.tensor([1, 0, 0, 2])
    for name, fn, target in (
            ("cross_entropy", nn.functional.cross_entropy, labels),
            ("bce_with_logits", nn.functional.binary_cross_entropy_with_logits,
             torch.tensor([[0.0, 1.0, 0.25], [1.0, 0.0, 0.5], [0.0, 1.0, 1.0],
                           [1.0, 0.75, 0.0]], dtype=dtype))):
        xg = logits.clone().requires_grad_(True)
        loss = fn(xg, target)
        loss.backward()
        out.update({f"{name}.input": logits, f"{name}.target": target,
                    f"{name}.loss": loss.detach(), f"{name}.grad": xg.grad})
    return out


def net():
    # Seq<Linear<3, 4>, BatchNorm<4>, Linear<4, 2, no_bias>>
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2, bias=False))


GRADS = 4
# Each step is (lr, gradient index or None for zero gradients).
ZERO_THEN_GRADS = [(1e-2, None)] * 3 + [(1e-2, 0), (1e-2, 1)]
LR0_THEN_LR = [(0.0, 0), (0.0, 1), (0.0, 2), (1e-2, 3)]
OPTIMIZER_CASES = OrderedDict([
    ("adam_zero_grad", (lambda p: torch.optim.Adam(p, lr=1e-2), ZERO_THEN_GRADS)),
    ("adam_amsgrad_zero_grad", (lambda p: torch.optim.Adam(p, lr=1e-2, amsgrad=True),
                                ZERO_THEN_GRADS)),
    ("adam_zero_grad_weight_decay", (lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=0.1),
                                     ZERO_THEN_GRADS)),
    ("adamw_zero_grad", (lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
                         ZERO_THEN_GRADS)),
    ("sgd_lr0", (lambda p: torch.optim.SGD(p, lr=0.0, momentum=0.9, weight_decay=1e-2,
                                           nesterov=True), LR0_THEN_LR)),
    ("adam_lr0", (lambda p: torch.optim.Adam(p, lr=0.0, weight_decay=1e-2), LR0_THEN_LR)),
    ("adamw_lr0", (lambda p: torch.optim.AdamW(p, lr=0.0, weight_decay=0.1, amsgrad=True),
                   LR0_THEN_LR)),
])


def optim_case():
    torch.manual_seed(7)
    module = net()
    initial = OrderedDict((k, p.detach().clone()) for k, p in module.named_parameters())
    grads = [OrderedDict((k, torch.randn_like(p)) for k, p in module.named_parameters())
             for _ in range(GRADS)]
    out = OrderedDict((f"initial.{k}", v) for k, v in initial.items())
    for i, grad in enumerate(grads):
        out.update((f"grad{i}.{k}", g) for k, g in grad.items())
    for name, (make, steps) in OPTIMIZER_CASES.items():
        with torch.no_grad():
            for k, p in module.named_parameters():
                p.copy_(initial[k])
        optimizer = make(module.parameters())
        for lr, index in steps:
            optimizer.param_groups[0]["lr"] = lr
            # Zero tensors rather than None: PyTorch skips a parameter whose grad is None
            # (typenn has no such state), but steps on a zero gradient.
            for k, p in module.named_parameters():
                p.grad = torch.zeros_like(p) if index is None else grads[index][k].clone()
            optimizer.step()
        out.update((f"{name}.{k}", p.detach().clone()) for k, p in module.named_parameters())
    return out


def both_dtypes(make):
    out = OrderedDict()
    for suffix, dtype in DTYPES.items():
        out.update((f"{k}.{suffix}", v) for k, v in make(dtype).items())
    return out


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    safetensors_io.save(both_dtypes(batchnorm_case), OUT_DIR / "batchnorm.safetensors")
    safetensors_io.save(both_dtypes(activations_case), OUT_DIR / "activations.safetensors")
    safetensors_io.save(both_dtypes(losses_case), OUT_DIR / "losses.safetensors")
    safetensors_io.save(optim_case(), OUT_DIR / "optim.safetensors")


if __name__ == "__main__":
    main()
