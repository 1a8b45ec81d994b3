# SPDX-License-Identifier: BSL-1.0
"""Exports a PyTorch module to typenn in one step: its architecture as a C++ type in
<stem>.hpp, its weights as <stem>.safetensors, keyed as that type's state_dict.

As a module (tools/ on sys.path):

    import typenn_export
    cpp_type = typenn_export.export(module, "build/model", name="Net")

From the command line, with Debian's python3-torch:

    /usr/bin/python3 tools/typenn_export.py MODEL STEM [--name Net]

MODEL is a file written by torch.save(module), or package.module:attribute naming a module or
a function that returns one. The C++ type is printed. Then, in C++:

    #include "model.hpp"                      // using Net = typenn::Seq<...>;
    typenn::Model<Net> model;                 // Model<Net, double> for a float64 module
    typenn::load(model, "model.safetensors");

Understood: nn.Sequential (nested), nn.Linear (with or without bias), nn.BatchNorm1d (PyTorch's
defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics), nn.ReLU,
nn.LeakyReLU, nn.PReLU, nn.ELU, nn.Sigmoid, nn.Tanh, nn.Identity, and Residual from
tools/typenn_modules.py. Anything else raises ExportError naming the module's class and its
path in the model: nothing is skipped, approximated or dropped.

The file's keys are typenn's, positional within each Sequential; they are the module's own
state_dict keys unless a Sequential names its children (nn.Sequential(OrderedDict(...))).
"""
import argparse
import importlib
import pathlib
import sys
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io  # noqa: E402
from typenn_modules import Residual  # noqa: E402

SUPPORTED = ("nn.Sequential, nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.LeakyReLU, nn.PReLU, "
             "nn.ELU, nn.Sigmoid, nn.Tanh, nn.Identity and typenn_modules.Residual")

# BatchNorm<N> is nn.BatchNorm1d(N) with these settings and no others.
BATCHNORM_SETTINGS = {"eps": 1e-5, "momentum": 0.1, "affine": True, "track_running_stats": True}

SCALARS = {torch.float32: "float", torch.float64: "double"}


class ExportError(ValueError):
    """The module cannot be expressed as a typenn network; the message says where and why."""


def _where(path):
    return f"'{path}'" if path else "the root module"


def _join(path, name):
    return f"{path}.{name}" if path else str(name)


def _float_argument(value, what, path):
    """A float template argument as C++ spells it: the float32 PyTorch computes with."""
    single = np.float32(value)
    if not np.isfinite(single):
        raise ExportError(f"typenn_export: {what} at {_where(path)} is {value}: typenn takes "
                          "a finite float")
    return str(single) + "f"  # numpy: the shortest text that reads back as this float32


class _Exporter:
    """Walks a module tree, spelling its typenn type and collecting its tensors by typenn key,
    while remembering which of the module's own state_dict keys it took."""

    def __init__(self):
        self.tensors = OrderedDict()
        self.taken = set()

    def take(self, key, torch_key, tensor):
        self.tensors[key] = tensor.detach()
        self.taken.add(torch_key)

    def layer(self, module, key, path):
        """The typenn type of `module`; `key` is its typenn key prefix, `path` PyTorch's."""
        kind = type(module)
        if module._forward_hooks or module._forward_pre_hooks:
            raise ExportError(f"typenn_export: the {kind.__qualname__} at {_where(path)} has "
                              "forward hooks, which can change what it computes; typenn "
                              "cannot run them")
        if kind is nn.Sequential:
            if len(module) == 0:
                raise ExportError(f"typenn_export: the nn.Sequential at {_where(path)} is empty; "
                                  "typenn's Seq needs at least one layer")
            parts = [self.layer(child, _join(key, i), _join(path, name))
                     for i, (name, child) in enumerate(module.named_children())]
            return f"typenn::Seq<{', '.join(parts)}>"
        if kind is Residual:
            body = self.layer(module.body, _join(key, "body"), _join(path, "body"))
            shortcut = getattr(module, "shortcut", None)
            if shortcut is None:
                return f"typenn::Residual<{body}>"
            shortcut = self.layer(shortcut, _join(key, "shortcut"), _join(path, "shortcut"))
            return f"typenn::Residual<{body}, {shortcut}>"
        if kind is nn.Linear:
            for name in ("weight", "bias"):
                if getattr(module, name) is not None:
                    self.take(_join(key, name), _join(path, name), getattr(module, name))
            bias = "" if module.bias is not None else ", typenn::no_bias"
            return f"typenn::Linear<{module.in_features}, {module.out_features}{bias}>"
        if kind is nn.BatchNorm1d:
            for setting, wanted in BATCHNORM_SETTINGS.items():
                if getattr(module, setting) != wanted:
                    raise ExportError(
                        f"typenn_export: the nn.BatchNorm1d at {_where(path)} has "
                        f"{setting}={getattr(module, setting)!r}; typenn's BatchNorm<N> is "
                        "nn.BatchNorm1d(N) with " +
                        ", ".join(f"{s}={v!r}" for s, v in BATCHNORM_SETTINGS.items()))
            for name in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked"):
                self.take(_join(key, name), _join(path, name), getattr(module, name))
            return f"typenn::BatchNorm<{module.num_features}>"
        if kind is nn.PReLU:
            self.take(_join(key, "weight"), _join(path, "weight"), module.weight)
            n = module.num_parameters
            return "typenn::PReLU<>" if n == 1 else f"typenn::PReLU<{n}>"
        if kind is nn.LeakyReLU:
            if np.float32(module.negative_slope) == np.float32(0.01):
                return "typenn::LeakyReLU<>"
            slope = _float_argument(module.negative_slope, "the negative_slope", path)
            return f"typenn::LeakyReLU<{slope}>"
        if kind is nn.ELU:
            if np.float32(module.alpha) == np.float32(1.0):
                return "typenn::ELU<>"
            return f"typenn::ELU<{_float_argument(module.alpha, 'the alpha', path)}>"
        simple = {nn.ReLU: "typenn::ReLU", nn.Sigmoid: "typenn::Sigmoid",
                  nn.Tanh: "typenn::Tanh", nn.Identity: "typenn::Identity"}
        if kind in simple:
            return simple[kind]
        raise ExportError(f"typenn_export: the module at {_where(path)} is a "
                          f"{kind.__module__}.{kind.__qualname__}, which typenn has no "
                          f"counterpart for; it knows {SUPPORTED}")


def network(module):
    """(C++ type, tensors by typenn key in typenn's state_dict order) for `module`."""
    exporter = _Exporter()
    cpp_type = exporter.layer(module, "", "")
    left = [key for key in module.state_dict() if key not in exporter.taken]
    if left:
        raise ExportError("typenn_export: the module holds tensors that its typenn type has no "
                          f"place for: {', '.join(left)}")
    dtypes = {t.dtype for t in exporter.tensors.values() if t.is_floating_point()}
    if len(dtypes) > 1 or not dtypes <= SCALARS.keys():
        raise ExportError("typenn_export: expected every parameter and buffer in float32, or "
                          f"every one in float64; found {sorted(str(d) for d in dtypes)}")
    return cpp_type, exporter.tensors


def export(module, stem, name="Net"):
    """Writes <stem>.safetensors and <stem>.hpp (`using <name> = <type>;`) for `module`;
    returns the C++ type."""
    if not name.isidentifier():
        raise ExportError(f"typenn_export: the name '{name}' is not a C++ identifier")
    cpp_type, tensors = network(module)
    stem = pathlib.Path(stem)
    dtype = next((t.dtype for t in tensors.values() if t.is_floating_point()), torch.float32)
    model = f"typenn::Model<{name}>" if dtype == torch.float32 else f"typenn::Model<{name}, double>"
    weights = stem.with_name(stem.name + ".safetensors")
    safetensors_io.save(tensors, weights)
    stem.with_name(stem.name + ".hpp").write_text(
        f"// Generated by tools/typenn_export.py from a {type(module).__qualname__}: do not edit.\n"
        f"// Its weights are in {weights.name}, keyed as this type's state_dict:\n"
        f"//   {model} model;\n"
        f"//   typenn::load(model, \"{weights.name}\");\n"
        "#pragma once\n"
        "#include <typenn/typenn.hpp>\n\n"
        f"using {name} = {cpp_type};\n")
    return cpp_type


def _load_module(spec):
    if pathlib.Path(spec).is_file():
        return torch.load(spec)
    if ":" not in spec:
        raise SystemExit(f"typenn_export: '{spec}' is neither a file nor package.module:attribute")
    module_name, attribute = spec.split(":", 1)
    found = getattr(importlib.import_module(module_name), attribute)
    return found if isinstance(found, nn.Module) else found()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a torch.save(module) file, or package.module:attribute")
    parser.add_argument("stem", help="writes STEM.hpp and STEM.safetensors")
    parser.add_argument("--name", default="Net", help="the C++ alias (default: Net)")
    args = parser.parse_args()
    try:
        print(export(_load_module(args.model), args.stem, args.name))
    except ExportError as error:
        raise SystemExit(str(error)) from None


if __name__ == "__main__":
    main()
