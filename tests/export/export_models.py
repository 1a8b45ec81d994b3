# SPDX-License-Identifier: BSL-1.0
"""tools/typenn_export.py end to end: exports PyTorch models covering every module it knows
(nested Sequentials, residuals with and without shortcuts, float64, named children, a model
that is not a Sequential, the command line), compiles check_exports.cpp against the generated
headers, and runs it: typenn must load each file and compute PyTorch's outputs. Modules typenn
cannot express must be refused with the module's class and path.

Run by CTest (tests/export/CMakeLists.txt):
    /usr/bin/python3 export_models.py OUT_DIR COMPILER FLAGS_FILE CHECK_SOURCE
Exits with 77, which CTest reports as skipped, when this Python has no torch.
"""
import os
import pathlib
import shutil
import subprocess
import sys
from collections import OrderedDict

try:
    import torch
    from torch import nn
except ImportError:
    print("SKIP: /usr/bin/python3 has no torch, which tools/typenn_export.py needs; install "
          "Debian's python3-torch (tools/install_dependencies.sh) to run this test")
    sys.exit(77)

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import safetensors_io  # noqa: E402
import typenn_export  # noqa: E402
from typenn_modules import Residual  # noqa: E402

ROWS = 5  # check_exports.cpp's batch


def every_layer():
    return nn.Sequential(
        nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 8, bias=False),
        nn.LeakyReLU(0.2), nn.Linear(8, 8), nn.PReLU(), nn.Linear(8, 8), nn.PReLU(8),
        nn.ELU(), nn.Linear(8, 8), nn.ELU(0.5), nn.Sigmoid(), nn.Linear(8, 8), nn.Tanh(),
        nn.Identity(), nn.LeakyReLU(), nn.Linear(8, 3))


def nested():
    return nn.Sequential(nn.Linear(5, 9),
                         nn.Sequential(nn.BatchNorm1d(9), nn.Sequential(nn.Tanh(), nn.Linear(9, 9))),
                         nn.ReLU(), nn.Sequential(nn.Linear(9, 4)))


def residuals():
    return nn.Sequential(
        nn.Linear(4, 6),
        Residual(nn.Sequential(nn.Linear(6, 6), nn.BatchNorm1d(6), nn.ReLU())),
        Residual(nn.Sequential(nn.Linear(6, 3), nn.ELU()), nn.Linear(6, 3, bias=False)),
        Residual(nn.Sequential(Residual(nn.Linear(3, 3)), nn.PReLU(3)),
                 nn.Sequential(nn.BatchNorm1d(3), nn.Identity())),
        nn.Linear(3, 2))


def double_net():
    return nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.Tanh(), nn.Linear(5, 2)).double()


def named():
    return nn.Sequential(OrderedDict(fc=nn.Linear(3, 4), act=nn.ReLU(), out=nn.Linear(4, 2)))


def bare():
    return Residual(nn.Linear(4, 4))


# name, module, its C++ alias, the type the exporter must write (None: checked in C++ only)
MODELS = [
    ("every_layer", every_layer, "EveryLayer", None),
    ("nested", nested, "Nested",
     "typenn::Seq<typenn::Linear<5, 9>, typenn::Seq<typenn::BatchNorm<9>, typenn::Seq<"
     "typenn::Tanh, typenn::Linear<9, 9>>>, typenn::ReLU, typenn::Seq<typenn::Linear<9, 4>>>"),
    ("residuals", residuals, "Residuals",
     "typenn::Seq<typenn::Linear<4, 6>, typenn::Residual<typenn::Seq<typenn::Linear<6, 6>, "
     "typenn::BatchNorm<6>, typenn::ReLU>>, typenn::Residual<typenn::Seq<typenn::Linear<6, 3>, "
     "typenn::ELU<>>, typenn::Linear<6, 3, typenn::no_bias>>, typenn::Residual<typenn::Seq<"
     "typenn::Residual<typenn::Linear<3, 3>>, typenn::PReLU<3>>, typenn::Seq<"
     "typenn::BatchNorm<3>, typenn::Identity>>, typenn::Linear<3, 2>>"),
    ("double_net", double_net, "DoubleNet", None),
    ("named", named, "Named", "typenn::Seq<typenn::Linear<3, 4>, typenn::ReLU, "
                              "typenn::Linear<4, 2>>"),
    ("bare", bare, "Bare", "typenn::Residual<typenn::Linear<4, 4>>"),
]


def prepared(make, seed):
    """The module with non-default parameters and running statistics, in eval mode."""
    torch.manual_seed(seed)
    module = make()
    dtype = next(module.parameters()).dtype
    with torch.no_grad():
        for p in module.parameters():
            p.add_(0.1 * torch.randn_like(p))
        module.train()
        width = next(m for m in module.modules() if isinstance(m, nn.Linear)).in_features
        for _ in range(3):
            module(torch.randn(16, width, dtype=dtype))
    return module.eval()


def save_io(module, path):
    width = next(m for m in module.modules() if isinstance(m, nn.Linear)).in_features
    dtype = next(module.parameters()).dtype
    x = torch.randn(ROWS, width, dtype=dtype)
    with torch.no_grad():
        safetensors_io.save(OrderedDict(input=x, output=module(x)), path)


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)


def export_models(out):
    for seed, (stem, make, alias, expected) in enumerate(MODELS):
        module = prepared(make, seed)
        cpp_type = typenn_export.export(module, out / stem, name=alias)
        print(f"{stem}: {cpp_type}", flush=True)
        check(expected is None or cpp_type == expected,
              f"{stem}: expected the type\n  {expected}\nfound\n  {cpp_type}")
        header = (out / f"{stem}.hpp").read_text()
        check(f"using {alias} = {cpp_type};\n" in header, f"{stem}.hpp: no alias {alias}")
        save_io(module, out / f"{stem}_io.safetensors")


def export_from_command_line(out):
    """Both forms of MODEL, a torch.save file and package.module:attribute, and a refusal."""
    saved = prepared(residuals, 10)
    torch.save(saved, out / "cli_model.pt")
    (out / "cli_factory.py").write_text(
        "import torch\nfrom torch import nn\n\n\n"
        "def make():\n"
        "    torch.manual_seed(11)\n"
        "    return nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).eval()\n")
    sys.path.insert(0, str(out))
    import cli_factory

    environment = dict(os.environ, PYTHONPATH=str(out))
    for module, model, stem, alias in (
            (saved, str(out / "cli_model.pt"), "cli_saved", "CliSaved"),
            (cli_factory.make(), "cli_factory:make", "cli_factory", "CliFactory")):
        run = subprocess.run([sys.executable, str(TOOLS / "typenn_export.py"), model,
                              str(out / stem), "--name", alias],
                             env=environment, capture_output=True, text=True)
        check(run.returncode == 0, f"typenn_export.py {model}: {run.stderr}")
        check(f"using {alias} = {run.stdout.strip()};" in (out / f"{stem}.hpp").read_text(),
              f"typenn_export.py {model} printed '{run.stdout.strip()}', not the type it wrote")
        save_io(module, out / f"{stem}_io.safetensors")

    run = subprocess.run([sys.executable, str(TOOLS / "typenn_export.py"), "torch.nn:GELU",
                          str(out / "refused")], capture_output=True, text=True)
    check(run.returncode != 0 and "the root module is a torch.nn.modules.activation.GELU"
          in run.stderr, f"typenn_export.py torch.nn:GELU: expected a refusal naming GELU and "
                         f"its place, got status {run.returncode}, {run.stderr!r}")
    check(not (out / "refused.hpp").exists(), "a refused export wrote refused.hpp")


class MyLinear(nn.Linear):
    pass


def with_extra_buffer():
    linear = nn.Linear(2, 2)
    linear.register_buffer("scale", torch.ones(2))
    return nn.Sequential(linear)


def with_hook():
    linear = nn.Linear(2, 2)
    linear.register_forward_hook(lambda module, inputs, output: 2 * output)
    return nn.Sequential(nn.ReLU(), linear)


def with_own_parameter():
    sequential = nn.Sequential(nn.Linear(2, 2))
    sequential.register_parameter("gain", nn.Parameter(torch.ones(1)))
    return sequential


# A module typenn cannot express, and what the refusal must say.
REFUSALS = [
    (lambda: nn.Sequential(nn.Linear(3, 3), nn.Dropout()),
     ["the module at '1' is a torch.nn.modules.dropout.Dropout", "it knows nn.Sequential"]),
    (lambda: nn.Sequential(nn.Linear(2, 2), Residual(nn.Sequential(nn.Linear(2, 2), nn.GELU()))),
     ["the module at '1.body.1' is a torch.nn.modules.activation.GELU"]),
    (lambda: nn.Sequential(OrderedDict(encoder=nn.Sequential(OrderedDict(fc=nn.Conv1d(1, 1, 3))))),
     ["the module at 'encoder.fc' is a torch.nn.modules.conv.Conv1d"]),
    (lambda: nn.Conv1d(1, 1, 3), ["the root module is a torch.nn.modules.conv.Conv1d"]),
    (lambda: nn.Sequential(MyLinear(2, 2)), ["the module at '0' is a __main__.MyLinear"]),
    (lambda: nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4, momentum=0.2)),
     ["the nn.BatchNorm1d at '1' has momentum=0.2", "eps=1e-05, momentum=0.1"]),
    (lambda: nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4, eps=1e-3)), ["eps=0.001"]),
    (lambda: nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4, affine=False)), ["affine=False"]),
    (lambda: nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4, track_running_stats=False)),
     ["track_running_stats=False"]),
    (with_extra_buffer, ["has no place for: 0.scale"]),
    (with_own_parameter, ["has no place for: gain"]),
    (with_hook, ["the Linear at '1' has forward hooks"]),
    (lambda: nn.Sequential(nn.Linear(2, 2)).half(), ["every parameter and buffer in float32",
                                                     "torch.float16"]),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Sequential()), ["the nn.Sequential at '1' is empty"]),
]


def check_refusals(out):
    for i, (make, expected) in enumerate(REFUSALS):
        stem = out / f"refused_{i}"
        try:
            typenn_export.export(make(), stem)
            check(False, f"refusal {i}: exported, expected an error containing {expected}")
        except typenn_export.ExportError as error:
            for text in expected:
                check(text in str(error), f"refusal {i}: '{text}' not in: {error}")
        check(not stem.with_suffix(".hpp").exists(), f"refusal {i} wrote {stem}.hpp")
    try:
        typenn_export.export(named(), out / "bad_name", name="my-net")
        check(False, "the alias 'my-net' was accepted")
    except typenn_export.ExportError as error:
        check("is not a C++ identifier" in str(error), str(error))
    print(f"{len(REFUSALS) + 1} refusals, each naming the module and its place", flush=True)


def main():
    out, compiler, flags, source = pathlib.Path(sys.argv[1]), *sys.argv[2:5]
    shutil.rmtree(out, ignore_errors=True)  # nothing left from an earlier run can pass for output
    out.mkdir(parents=True)
    export_models(out)
    export_from_command_line(out)
    check_refusals(out)
    program = out / "check_exports"
    compiled = subprocess.run([compiler, f"@{flags}", "-O0", f"-I{out}", source, "-o",
                               str(program)], capture_output=True, text=True)
    check(compiled.returncode == 0, f"check_exports.cpp does not compile with the exported "
                                    f"headers:\n{compiled.stderr[:20000]}")
    sys.exit(subprocess.run([str(program), str(out)]).returncode)


if __name__ == "__main__":
    main()
