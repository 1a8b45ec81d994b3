# SPDX-License-Identifier: BSL-1.0
"""Writes tests/fixtures/io/: files PyTorch wrote, for tests/io_roundtrip_test.cpp and
tests/io_malformed_test.cpp, so that those tests prove typenn reads PyTorch's checkpoints
without needing torch at run time.

Run with Debian's python3-torch:  /usr/bin/python3 tools/make_io_fixtures.py

The network mirrors the typenn type
    Seq<Linear<5, 7>, BatchNorm<7>, LeakyReLU<0.2f>, Residual<Seq<Linear<7, 7>, PReLU<>>>,
        Linear<7, 3, no_bias>>
and has taken one SGD step in training mode, so that no parameter is at its initial value and
BatchNorm's running statistics and num_batches_tracked are not their defaults.

  pytorch_net.safetensors        its state_dict
  pytorch_net_io.safetensors     input [4, 5]; eval_output [4, 3] (module.eval());
                                 dy [4, 3], an output gradient for a training pass on input
  pytorch_net_grads.safetensors  gradient of sum(train_output * dy) for every parameter, keyed
                                 as named_parameters(): what typenn::save_grads must write
  truncated.safetensors          pytorch_net.safetensors without its last 6 bytes
  overlapping_offsets.safetensors  "0.bias" starts 4 bytes before "0.weight" ends
  transposed_weight.safetensors  a valid file whose "0.weight" is [5, 7] instead of [7, 5]

The other direction: check that a file typenn saved loads into this network with PyTorch's
load_state_dict(strict=True), with the dtypes it holds (--double for a Model<Net, double>):
    /usr/bin/python3 tools/make_io_fixtures.py --check saved.safetensors [--double]
"""
import argparse
import json
import pathlib
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io  # noqa: E402
from typenn_modules import Residual  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "io"


def net():
    return nn.Sequential(nn.Linear(5, 7), nn.BatchNorm1d(7), nn.LeakyReLU(0.2),
                         Residual(nn.Sequential(nn.Linear(7, 7), nn.PReLU())),
                         nn.Linear(7, 3, bias=False))


def trained_net():
    torch.manual_seed(0)
    module = net()
    optimizer = torch.optim.SGD(module.parameters(), lr=0.1)
    module.train()
    module(torch.randn(8, 5)).pow(2).mean().backward()
    optimizer.step()
    return module


def raw_file(header, data):
    """A safetensors image from a header dict and data bytes, exactly as given."""
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def split(image):
    (n,) = struct.unpack("<Q", image[:8])
    return json.loads(image[8:8 + n]), image[8 + n:]


def write_fixtures():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    module = trained_net()
    state = module.state_dict()
    assert state["1.num_batches_tracked"].item() == 1
    net_path = OUT_DIR / "pytorch_net.safetensors"
    safetensors_io.save(state, net_path)

    torch.manual_seed(1)
    x = torch.randn(4, 5)
    dy = torch.randn(4, 3)
    module.eval()
    with torch.no_grad():
        eval_output = module(x)
    safetensors_io.save(OrderedDict(input=x, eval_output=eval_output, dy=dy),
                        OUT_DIR / "pytorch_net_io.safetensors")

    # Gradients of a training pass; it moves the running statistics, which the state file
    # above was written before.
    module.train()
    module.zero_grad()
    (module(x) * dy).sum().backward()
    grads = OrderedDict((name, p.grad) for name, p in module.named_parameters())
    safetensors_io.save(grads, OUT_DIR / "pytorch_net_grads.safetensors")

    image = net_path.read_bytes()
    (OUT_DIR / "truncated.safetensors").write_bytes(image[:-6])

    header, data = split(image)
    weight_end = header["0.weight"]["data_offsets"][1]
    bias_bytes = 4 * 7
    header["0.bias"]["data_offsets"] = [weight_end - 4, weight_end - 4 + bias_bytes]
    (OUT_DIR / "overlapping_offsets.safetensors").write_bytes(raw_file(header, data))

    transposed = OrderedDict(state)
    transposed["0.weight"] = state["0.weight"].t().contiguous()
    safetensors_io.save(transposed, OUT_DIR / "transposed_weight.safetensors")

    for path in sorted(OUT_DIR.iterdir()):
        print(f"{path.relative_to(OUT_DIR.parent.parent.parent)}: {path.stat().st_size} bytes")


def check(path, double):
    """Loads a typenn-saved file into the PyTorch twin, strictly and with matching dtypes."""
    image = pathlib.Path(path).read_bytes()
    header, data = split(image)
    assert (8 + struct.unpack("<Q", image[:8])[0]) % 8 == 0, "header not padded to 8 bytes"
    header.pop("__metadata__", None)
    offset = 0
    for name, info in header.items():
        begin, end = info["data_offsets"]
        assert begin == offset, f"{name}: data not contiguous"
        offset = end
    assert offset == len(data), "data section not covered exactly"

    module = net().double() if double else net()
    expected = module.state_dict()
    state = safetensors_io.load(path)
    assert list(header) == list(expected), "keys differ from state_dict order"
    for name, tensor in state.items():
        assert tensor.dtype == expected[name].dtype, f"{name}: {tensor.dtype}"
        assert tensor.shape == expected[name].shape, f"{name}: {tuple(tensor.shape)}"
    module.load_state_dict(state, strict=True)
    for name, tensor in module.state_dict().items():
        assert torch.equal(tensor, state[name]), name
    print(f"{path}: load_state_dict(strict=True) accepted all {len(state)} tensors")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", metavar="FILE")
    parser.add_argument("--double", action="store_true")
    args = parser.parse_args()
    if args.check:
        check(args.check, args.double)
    else:
        write_fixtures()


if __name__ == "__main__":
    main()
