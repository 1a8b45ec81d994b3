# SPDX-License-Identifier: BSL-1.0
"""Writes tests/fixtures/training/*.safetensors: what PyTorch 1.13's losses, optimizers,
learning-rate schedules and gradient clipping compute, so that tests/training_*_test.cpp can
prove typenn computes the same without needing torch at run time.

Run with Debian's python3-torch:  /usr/bin/python3 tools/make_training_fixtures.py

Files:
  optim_initial.safetensors      state_dict of NET (F32) before training
  optim_initial_f64.safetensors  the same in F64, for Model<Net, double>
  optim_data.safetensors         x [STEPS, BATCH, 6], target [STEPS, BATCH, 3]
  optim_<case>.safetensors       state_dict after STEPS steps of MSE training (one batch per
                                 step) with the case's optimizer, and `losses` [STEPS]
  losses.safetensors             inputs, loss and gradient of mse, cross_entropy and
                                 bce_with_logits, over all rows and over the first ROWS rows
  sched.safetensors              <case>: the lr after construction, then after each step
  plateau.safetensors            <case>.metrics, and <case>.lrs: the lr after each step
  clip.safetensors               grad.<key>; <case>.norm and <case>.<key> (clipped grads)

The C++ tests repeat the hyperparameters written here; keep both in step.
"""
import math
import pathlib
import sys
import warnings
from collections import OrderedDict

import torch
from torch import nn
from torch.optim import lr_scheduler

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "training"

STEPS = 6
BATCH = 8
ROWS = 3  # the partial batch of the loss fixtures
BASE_LR = 0.1  # every schedule case starts from it
SCHEDULE_STEPS = 45


def net():
    # Seq<Linear<6, 9, no_bias>, BatchNorm<9>, ReLU, Linear<9, 3>>: a bias before BatchNorm
    # would have a gradient of pure rounding noise, which Adam's normalisation blows up to
    # steps of size lr in a direction neither side can reproduce.
    return nn.Sequential(nn.Linear(6, 9, bias=False), nn.BatchNorm1d(9), nn.ReLU(),
                         nn.Linear(9, 3))


def initial_net():
    torch.manual_seed(1)
    module = net()
    with torch.no_grad():  # BatchNorm's affine parameters away from the identity
        module[1].weight.uniform_(0.5, 1.5)
        module[1].bias.uniform_(-0.5, 0.5)
    return module


OPTIMIZERS = OrderedDict([
    ("sgd_plain", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_nesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-2,
                                               nesterov=True)),
    ("sgd_dampening", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3,
                                                weight_decay=1e-2)),
    ("sgd_maximize", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.5, maximize=True)),
    ("adam", lambda p: torch.optim.Adam(p, lr=1e-2)),
    ("adam_weight_decay", lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.8, 0.99),
                                                     weight_decay=0.1)),
    ("adam_amsgrad", lambda p: torch.optim.Adam(p, lr=1e-2, eps=1e-6, amsgrad=True)),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1)),
    ("adamw_amsgrad_maximize", lambda p: torch.optim.AdamW(p, lr=1e-2, amsgrad=True,
                                                           maximize=True)),
])


def state(module, dtype=torch.float32):
    return OrderedDict((k, v if v.dtype == torch.int64 else v.to(dtype))
                       for k, v in module.state_dict().items())


def write_optimizer_fixtures():
    torch.manual_seed(2)
    x = torch.randn(STEPS, BATCH, 6)
    target = torch.randn(STEPS, BATCH, 3)
    safetensors_io.save(OrderedDict(x=x, target=target), OUT_DIR / "optim_data.safetensors")
    initial = initial_net()
    safetensors_io.save(state(initial), OUT_DIR / "optim_initial.safetensors")
    safetensors_io.save(state(initial, torch.float64),
                        OUT_DIR / "optim_initial_f64.safetensors")
    for name, make in OPTIMIZERS.items():
        module = initial_net()
        module.train()
        optimizer = make(module.parameters())
        losses = []
        for step in range(STEPS):
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(module(x[step]), target[step])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out = state(module)
        out["losses"] = torch.tensor(losses)
        safetensors_io.save(out, OUT_DIR / f"optim_{name}.safetensors")


def loss_and_grad(fn, prediction, *rest):
    prediction = prediction.clone().requires_grad_(True)
    loss = fn(prediction, *rest)
    loss.backward()
    return loss.detach(), prediction.grad


def write_loss_fixtures():
    torch.manual_seed(3)
    out = OrderedDict()

    def case(name, fn, prediction, target):
        out[f"{name}.input"] = prediction
        out[f"{name}.target"] = target
        for suffix, rows in (("", prediction.shape[0]), (".rows", ROWS)):
            loss, grad = loss_and_grad(fn, prediction[:rows], target[:rows])
            full_grad = torch.zeros_like(prediction)
            full_grad[:rows] = grad
            out[f"{name}.loss{suffix}"] = loss
            out[f"{name}.grad{suffix}"] = full_grad

    case("mse", nn.functional.mse_loss, torch.randn(5, 3), torch.randn(5, 3))
    # Rows 1 and 3 hold logits of ±1e4, where a naive softmax overflows.
    logits = torch.randn(5, 4) * 3
    logits[1] = torch.tensor([1e4, -1e4, 0.5, 1e4 - 3])
    logits[3] = torch.tensor([-1e4, -1e4 + 2, -1e4 + 1, -1e4])
    case("cross_entropy", nn.functional.cross_entropy, logits, torch.tensor([2, 0, 1, 1, 3]))
    logits = torch.randn(5, 3) * 3
    logits[0] = torch.tensor([1e4, -1e4, 1e4])
    logits[2] = torch.tensor([-1e4, 1e4, 0.0])
    targets = torch.rand(5, 3)
    targets[0] = torch.tensor([0.0, 1.0, 0.3])
    targets[2] = torch.tensor([1.0, 0.0, 1.0])
    case("bce_with_logits", nn.functional.binary_cross_entropy_with_logits, logits, targets)
    safetensors_io.save(out, OUT_DIR / "losses.safetensors")


def schedule_optimizer():
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=BASE_LR)


SCHEDULES = OrderedDict([
    ("step", lambda o: lr_scheduler.StepLR(o, 7, 0.5)),
    ("multi_step", lambda o: lr_scheduler.MultiStepLR(o, [5, 12, 12, 30], 0.3)),
    ("exponential", lambda o: lr_scheduler.ExponentialLR(o, 0.93)),
    ("cosine_periods", lambda o: lr_scheduler.CosineAnnealingLR(o, 10, 1e-3)),
    ("cosine", lambda o: lr_scheduler.CosineAnnealingLR(o, 50)),
    ("linear_warmup", lambda o: lr_scheduler.LinearLR(o, 0.1, 1.0, 5)),
    ("linear_decay", lambda o: lr_scheduler.LinearLR(o, 1.0, 0.2, 12)),
    ("sequential_warmup_cosine", lambda o: lr_scheduler.SequentialLR(
        o, [lr_scheduler.LinearLR(o, 0.25, 1.0, 5),
            lr_scheduler.CosineAnnealingLR(o, 35, 1e-4)], [5])),
    ("sequential_three", lambda o: lr_scheduler.SequentialLR(
        o, [lr_scheduler.LinearLR(o, 0.5, 1.0, 4), lr_scheduler.StepLR(o, 5, 0.5),
            lr_scheduler.ExponentialLR(o, 0.9)], [4, 20])),
    ("sequential_to_multi_step", lambda o: lr_scheduler.SequentialLR(
        o, [lr_scheduler.ExponentialLR(o, 0.9), lr_scheduler.MultiStepLR(o, [0, 3, 6], 0.5)],
        [10])),
    ("sequential_to_linear", lambda o: lr_scheduler.SequentialLR(
        o, [lr_scheduler.StepLR(o, 3, 0.5), lr_scheduler.LinearLR(o, 0.2, 1.0, 6)], [8])),
])


def write_schedule_fixtures():
    # SequentialLR itself calls the deprecated step(0) at milestones.
    warnings.filterwarnings("ignore", message="The epoch parameter")
    out = OrderedDict()
    for name, make in SCHEDULES.items():
        optimizer = schedule_optimizer()
        schedule = make(optimizer)
        lrs = [optimizer.param_groups[0]["lr"]]
        for _ in range(SCHEDULE_STEPS):
            optimizer.step()
            schedule.step()
            lrs.append(optimizer.param_groups[0]["lr"])
        out[name] = torch.tensor(lrs, dtype=torch.float64)
    safetensors_io.save(out, OUT_DIR / "sched.safetensors")


def falling_then_flat(n):
    # Improves fast, then by less than 1 % (below a 1e-2 relative threshold), then not at all,
    # with a late real improvement.
    values = []
    for i in range(n):
        if i < 8:
            values.append(1.0 / (1 + i))
        elif i < 30:
            values.append(1.0 / 8 * (1 - 0.002 * (i - 7)))
        elif i < 36:
            values.append(0.05)
        else:
            values.append(0.05 + 0.01 * math.sin(i))
    return values


def rising_noisy(n):
    return [1 - math.exp(-i / 6) + 0.04 * math.sin(3 * i) for i in range(n)]


PLATEAUS = OrderedDict([
    ("min_rel_cooldown", (BASE_LR, falling_then_flat(48), dict(
        mode="min", factor=0.5, patience=3, threshold=1e-2, cooldown=2, min_lr=0.004))),
    ("max_abs", (BASE_LR, rising_noisy(45), dict(
        mode="max", factor=0.3, patience=2, threshold=0.05, threshold_mode="abs",
        min_lr=1e-3))),
    ("max_rel", (BASE_LR, rising_noisy(45), dict(mode="max", patience=1, threshold=0.1))),
    ("defaults", (BASE_LR, falling_then_flat(48), dict())),
    ("eps", (1e-7, [1.0] * 42, dict(factor=0.5, patience=0))),
])


def write_plateau_fixtures():
    out = OrderedDict()
    for name, (lr, metrics, options) in PLATEAUS.items():
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        schedule = lr_scheduler.ReduceLROnPlateau(optimizer, **options)
        lrs = []
        for metric in metrics:
            optimizer.step()
            schedule.step(metric)
            lrs.append(optimizer.param_groups[0]["lr"])
        out[f"{name}.metrics"] = torch.tensor(metrics, dtype=torch.float64)
        out[f"{name}.lrs"] = torch.tensor(lrs, dtype=torch.float64)
    safetensors_io.save(out, OUT_DIR / "plateau.safetensors")


CLIPS = OrderedDict([
    ("norm", lambda p: nn.utils.clip_grad_norm_(p, 1.0)),
    ("norm_unclipped", lambda p: nn.utils.clip_grad_norm_(p, 100.0)),
    ("norm_inf", lambda p: nn.utils.clip_grad_norm_(p, 0.5, norm_type=math.inf)),
    ("norm_1_5", lambda p: nn.utils.clip_grad_norm_(p, 0.8, norm_type=1.5)),
    ("value", lambda p: nn.utils.clip_grad_value_(p, 0.3)),
])


def write_clip_fixtures():
    torch.manual_seed(4)
    module = net()
    grads = OrderedDict((k, torch.randn_like(p) * 0.5) for k, p in module.named_parameters())
    out = OrderedDict((f"grad.{k}", g) for k, g in grads.items())
    for name, clip in CLIPS.items():
        for k, p in module.named_parameters():
            p.grad = grads[k].clone()
        norm = clip(module.parameters())
        if norm is not None:
            out[f"{name}.norm"] = norm
        for k, p in module.named_parameters():
            out[f"{name}.{k}"] = p.grad
    safetensors_io.save(out, OUT_DIR / "clip.safetensors")


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_optimizer_fixtures()
    write_loss_fixtures()
    write_schedule_fixtures()
    write_plateau_fixtures()
    write_clip_fixtures()


if __name__ == "__main__":
    main()
