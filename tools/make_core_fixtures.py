# SPDX-License-Identifier: BSL-1.0
"""Writes tests/fixtures/core/<net>.safetensors: what PyTorch computes for networks that mirror
typenn types, so that tests/parity_test_*.cpp can prove typenn computes the same without
needing torch at run time.

Run with Debian's python3-torch:  /usr/bin/python3 tools/make_core_fixtures.py

Each file holds, for one network and one batch:
  state.<key>        the state_dict the test loads (BatchNorm statistics and PReLU slopes are
                     randomised so that no layer starts as an identity)
  input              [B, In]
  eval_output        module.eval() forward, all B rows
  train_output       module.train() forward; rows past `rows` are zero
  dy                 random output gradient (also past `rows`: typenn must ignore those)
  dx                 gradient of sum(train_output * dy) with respect to input
  grad.<key>         gradient of every parameter
  state_after.<key>  every buffer after the training forward (running statistics and
                     num_batches_tracked updated); parameters are unchanged by a forward, so
                     they are checked against state.<key> instead of being stored twice
  rows               I64 scalar, only in the partial-batch fixture: the rows trained on
"""
import pathlib
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io  # noqa: E402
from typenn_modules import Residual  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "core"


def mlp():
    # Seq<Linear<5, 33>, BatchNorm<33>, ReLU, Linear<33, 5, no_bias>, Tanh, Linear<5, 3>>
    return nn.Sequential(nn.Linear(5, 33), nn.BatchNorm1d(33), nn.ReLU(),
                         nn.Linear(33, 5, bias=False), nn.Tanh(), nn.Linear(5, 3))


def activations():
    # Seq<Linear<5, 13>, LeakyReLU<>, Linear<13, 5, no_bias>, LeakyReLU<0.2f>, PReLU<>,
    #     Linear<5, 17>, PReLU<17>, ELU<>, Linear<17, 5>, ELU<0.5f>, Sigmoid, Identity,
    #     Linear<5, 5>, Tanh>
    return nn.Sequential(nn.Linear(5, 13), nn.LeakyReLU(), nn.Linear(13, 5, bias=False),
                         nn.LeakyReLU(0.2), nn.PReLU(), nn.Linear(5, 17), nn.PReLU(17),
                         nn.ELU(), nn.Linear(17, 5), nn.ELU(0.5), nn.Sigmoid(), nn.Identity(),
                         nn.Linear(5, 5), nn.Tanh())


def residual():
    # Seq<Linear<5, 13>,
    #     Residual<Seq<Linear<13, 13>, BatchNorm<13>, ReLU>>,
    #     Residual<Seq<Linear<13, 5>, ELU<>>, Linear<13, 5, no_bias>>,
    #     Linear<5, 3>>
    return nn.Sequential(
        nn.Linear(5, 13),
        Residual(nn.Sequential(nn.Linear(13, 13), nn.BatchNorm1d(13), nn.ReLU())),
        Residual(nn.Sequential(nn.Linear(13, 5), nn.ELU()), nn.Linear(13, 5, bias=False)),
        nn.Linear(5, 3))


def nested():
    # Seq<Linear<5, 17>,
    #     Seq<BatchNorm<17>, PReLU<>, Seq<Linear<17, 5>, Tanh>>,
    #     Residual<Residual<Seq<Linear<5, 5>, LeakyReLU<0.2f>>>, Seq<BatchNorm<5>, Linear<5, 5>>>,
    #     Residual<BatchNorm<5>, Residual<Linear<5, 5, no_bias>>>,
    #     Linear<5, 1>>
    return nn.Sequential(
        nn.Linear(5, 17),
        nn.Sequential(nn.BatchNorm1d(17), nn.PReLU(),
                      nn.Sequential(nn.Linear(17, 5), nn.Tanh())),
        Residual(Residual(nn.Sequential(nn.Linear(5, 5), nn.LeakyReLU(0.2))),
                 nn.Sequential(nn.BatchNorm1d(5), nn.Linear(5, 5))),
        Residual(nn.BatchNorm1d(5), Residual(nn.Linear(5, 5, bias=False))),
        nn.Linear(5, 1))


def partial():
    # Seq<Linear<5, 17>, BatchNorm<17>, PReLU<17>,
    #     Residual<Seq<Linear<17, 5>, ELU<0.5f>, Linear<5, 5>>,
    #              Seq<BatchNorm<17>, Linear<17, 5, no_bias>>>,
    #     Sigmoid, Linear<5, 3>>
    return nn.Sequential(
        nn.Linear(5, 17), nn.BatchNorm1d(17), nn.PReLU(17),
        Residual(nn.Sequential(nn.Linear(17, 5), nn.ELU(0.5), nn.Linear(5, 5)),
                 nn.Sequential(nn.BatchNorm1d(17), nn.Linear(17, 5, bias=False))),
        nn.Sigmoid(), nn.Linear(5, 3))


# name, constructor, batch size, rows trained on (None: the whole batch)
NETS = [
    ("mlp", mlp, 5, None),
    ("activations", activations, 7, None),
    ("residual", residual, 3, None),
    ("nested", nested, 7, None),
    ("partial", partial, 7, 5),
]


def randomise_defaults(module):
    """Freshly built BatchNorm and PReLU layers are close to identities (unit scale, zero
    statistics, one slope for all columns); parity means little there, so move them away."""
    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, nn.BatchNorm1d):
                layer.weight.uniform_(0.5, 1.5)
                layer.bias.uniform_(-0.5, 0.5)
                layer.running_mean.normal_(0.0, 0.5)
                layer.running_var.uniform_(0.5, 2.0)
                layer.num_batches_tracked.fill_(3)
            elif isinstance(layer, nn.PReLU):
                layer.weight.uniform_(-0.3, 0.6)


def fixture(build, batch, rows):
    module = build().float()
    randomise_defaults(module)
    in_features = module[0].in_features  # every net here starts with a Linear
    out = OrderedDict(("state." + key, value.clone())
                      for key, value in module.state_dict().items())

    x = torch.randn(batch, in_features)
    module.eval()
    with torch.no_grad():
        eval_output = module(x)

    used = batch if rows is None else rows
    module.train()
    x_train = x.clone().requires_grad_(True)
    y = module(x_train[:used])
    dy = torch.randn(batch, y.shape[1])
    (y * dy[:used]).sum().backward()

    train_output = torch.zeros(batch, y.shape[1])
    train_output[:used] = y.detach()
    out["input"] = x
    out["eval_output"] = eval_output
    out["train_output"] = train_output
    out["dy"] = dy
    out["dx"] = x_train.grad
    for key, parameter in module.named_parameters():
        out["grad." + key] = parameter.grad
    for key, buffer in module.named_buffers():
        out["state_after." + key] = buffer
    if rows is not None:
        out["rows"] = torch.tensor(rows, dtype=torch.int64)
    return out


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for seed, (name, build, batch, rows) in enumerate(NETS):
        torch.manual_seed(seed)
        path = OUT_DIR / (name + ".safetensors")
        safetensors_io.save(fixture(build, batch, rows), path)
        print(f"{path.relative_to(OUT_DIR.parent.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
