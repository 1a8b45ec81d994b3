#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
"""Builds and runs typenn's benchmarks and writes benchmarks/RESULTS.md and speedups.svg.

    benchmarks/run.py [--build-dir build-bench] [--rounds 3] [--repetitions 3] [--min-time 0.25]

Steps: configure a Release build with -march=native (TYPENN_NATIVE); time the compilation of
every benchmark source on its own; build; run check.cpp (all frameworks compute the same
numbers, typenn and Eigen never allocate); check in the disassembly that the FMA peak kernel
is made of vfmadd instructions; run every benchmark in one process on one thread with
--benchmark_format=json, several rounds of it (a shared machine drifts by tens of per cent
between minutes, more than within one round); turn the medians into tables, speed-ups and a
bar chart: times are medians over rounds, ratios medians of the ratios within each round.
Needs only Python's standard library, CMake, a C++20 compiler and objdump. The LibTorch cases
need Debian's libtorch-dev and libopenblas0-pthread: without OpenBLAS, LibTorch runs on the
reference BLAS, many times slower, and the comparison means nothing.
"""
import argparse
import datetime
import json
import math
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
NETS = ["seed", "digits", "wide"]
TASKS = [("infer_batch1", "inference, batch 1"),
         ("infer_train_batch", "inference, train batch"),
         ("train_step", "training step")]
TASK_SHORT = {"infer_batch1": "infer batch 1", "infer_train_batch": "infer train batch",
              "train_step": "train step"}
VARIANTS = ["typenn", "typenn-reference", "eigen", "libtorch"]
NET_TEXT = {
    "seed": "seed: `Linear<10,20>, BatchNorm<20>, ReLU, Linear<20,1>`, train batch 32",
    "digits": "digits: `Linear<64,128>, ReLU, Linear<128,128>, ReLU, Linear<128,10>`, "
              "train batch 64",
    "wide": "wide: 4 × `Linear<256,256>` with ReLU between, train batch 64",
}
OPENBLAS_DIRS = ["/usr/lib/x86_64-linux-gnu/openblas-pthread",
                 "/usr/lib/x86_64-linux-gnu/openblas-serial",
                 "/usr/lib/x86_64-linux-gnu/openblas-openmp"]


def run(cmd, **kwargs):
    print("+", " ".join(shlex.quote(str(c)) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def configure(build):
    run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DTYPENN_NATIVE=ON",
         "-DTYPENN_BUILD_BENCHMARKS=ON", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"])


def compile_times(build):
    """Compiles each benchmark source alone, serially and without ccache: CPU and wall seconds."""
    entries = json.loads((build / "compile_commands.json").read_text())
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for entry in entries:
            source = Path(entry["file"])
            if source.parent != HERE:
                continue
            args = shlex.split(entry["command"])
            if Path(args[0]).name == "ccache":
                args = args[1:]
            args[args.index("-o") + 1] = str(Path(scratch) / "out.o")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(args, cwd=entry["directory"], check=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            times.append((source.name, cpu, wall))
            print(f"  {source.name}: {cpu:.1f} s CPU, {wall:.1f} s wall", flush=True)
    return sorted(times, key=lambda t: -t[1])


def fma_disassembly(binary):
    """The FMA peak kernel's loop: its vfmadd instructions and the registers they use."""
    text = output(["objdump", "-d", "--no-show-raw-insn", str(binary)])
    match = re.search(r"<typenn_bench_fma_kernel>:\n(.*?)\n\n", text, re.S)
    if not match:
        return "typenn_bench_fma_kernel not found in the binary"
    fmas = re.findall(r"\t(vfmadd\w+)\s+%(\w+mm)\d+", match.group(1))
    if not fmas:
        return "no vfmadd instruction in typenn_bench_fma_kernel: the peak below is not an FMA peak"
    kinds = sorted({f"{op} {reg}" for op, reg in fmas})
    return f"{len(fmas)} × {', '.join(kinds)} in `typenn_bench_fma_kernel`"


def cpu_flags():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def benchmark_environment(coretype):
    env = dict(os.environ)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # LibTorch's float products go to the system BLAS: prefer OpenBLAS if it is installed,
    # whatever libblas.so.3 points to, with its best kernel for this CPU: OpenBLAS 0.3.21
    # does not know Zen 5, and an environment may pin an older kernel.
    for directory in OPENBLAS_DIRS:
        if Path(directory, "libblas.so.3").exists():
            env["LD_LIBRARY_PATH"] = directory + ":" + env.get("LD_LIBRARY_PATH", "")
            break
    if coretype is None and {"avx512f", "avx512dq", "avx512bw", "avx512vl"} <= cpu_flags():
        coretype = "SkylakeX"
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def run_benchmarks(binary, args, env, round_number):
    out = binary.parent / f"results-{round_number}.json"
    cmd = [binary, "--benchmark_format=json", f"--benchmark_out={out}",
           "--benchmark_out_format=json", f"--benchmark_repetitions={args.repetitions}",
           f"--benchmark_min_time={args.min_time}", "--benchmark_report_aggregates_only=true",
           "--benchmark_enable_random_interleaving=true"]
    run(cmd, env=env, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def medians(results):
    """name -> {seconds, flop, cv}: median CPU time per call over one round's repetitions."""
    table = {}
    for b in results["benchmarks"]:
        name, aggregate = b.get("run_name", b["name"]), b.get("aggregate_name")
        seconds = b["cpu_time"] * UNIT[b["time_unit"]]
        if aggregate == "median":
            table.setdefault(name, {}).update(seconds=seconds, flop=b.get("flop", 0.0))
        elif aggregate == "cv":
            table.setdefault(name, {})["cv"] = b["cpu_time"]  # a ratio, whatever the unit
    return table


def over_rounds(tables):
    """name -> {seconds, flop, cv, spread}: the median over rounds of each round's median; cv
    the largest within a round, spread (slowest − fastest round) / median."""
    combined = {}
    for name in {name for table in tables for name in table}:
        rows = [t[name] for t in tables if name in t and "seconds" in t[name]]
        if not rows:
            continue
        times = [r["seconds"] for r in rows]
        middle = statistics.median(times)
        combined[name] = {"seconds": middle, "flop": rows[0]["flop"],
                          "cv": max(r.get("cv", 0) for r in rows),
                          "spread": (max(times) - min(times)) / middle}
    return combined


def format_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_ratio(r):
    return "–" if r is None else (f"{r:.3g}×" if r < 100 else f"{r:.0f}×")


def speedup(tables, net, task, variant, baseline):
    """Median over rounds of baseline time / variant time, both from the same round."""
    ratios = []
    for table in tables:
        a, b = table.get(f"{net}/{task}/{variant}"), table.get(f"{net}/{task}/{baseline}")
        if a and b:
            ratios.append(b["seconds"] / a["seconds"])
    return statistics.median(ratios) if ratios else None


def slowdown(tables, net, task, baseline_net):
    """Median over rounds of typenn's time on net / its time on baseline_net, same round."""
    ratios = []
    for table in tables:
        a = table.get(f"{net}/{task}/typenn")
        b = table.get(f"{baseline_net}/{task}/typenn")
        if a and b:
            ratios.append(a["seconds"] / b["seconds"])
    return statistics.median(ratios) if ratios else None


# The digits net with another activation in place of ReLU (typenn_cases.cpp), and the most
# each task may cost against the ReLU net (issue 14, §5).
ACTIVATION_NETS = [("digits-tanh", "Tanh"), ("digits-sigmoid", "Sigmoid"), ("digits-elu", "ELU<>")]
ACTIVATION_LIMITS = {"train_step": 1.25, "infer_batch1": 1.3, "infer_train_batch": 1.5}


def activation_table(table, tables):
    lines = ["| net | task | time | against the ReLU net | at most | met |",
             "|---|---|---:|---:|---:|:---:|"]
    for net, activation in ACTIVATION_NETS:
        for task, _ in TASKS:
            row = table.get(f"{net}/{task}/typenn")
            ratio = slowdown(tables, net, task, "digits")
            if row is None or ratio is None:
                lines.append(f"| {activation} | {TASK_SHORT[task]} | not measured | – | – | – |")
                continue
            limit = ACTIVATION_LIMITS[task]
            lines.append(f"| {activation} | {TASK_SHORT[task]} | {format_time(row['seconds'])} | "
                         f"{ratio:.2f}× | {limit}× | {'yes' if ratio <= limit else 'no'} |")
    return "\n".join(lines)


def net_table(table, tables, net, peak):
    lines = ["| task | variant | time | GFLOP/s | % of FMA peak | vs LibTorch | vs Eigen | cv | "
             "rounds |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for task, task_text in TASKS:
        for variant in VARIANTS:
            row = table.get(f"{net}/{task}/{variant}")
            if not row:
                continue
            gflops = row["flop"] / row["seconds"] / 1e9
            name = f"**{variant}**" if variant == "typenn" else variant
            lines.append(
                f"| {task_text} | {name} | {format_time(row['seconds'])} | {gflops:.3g} | "
                f"{100 * gflops / peak:.1f}% | "
                f"{format_ratio(speedup(tables, net, task, variant, 'libtorch'))} | "
                f"{format_ratio(speedup(tables, net, task, variant, 'eigen'))} | "
                f"{100 * row.get('cv', 0):.1f}% | {100 * row['spread']:.1f}% |")
    return "\n".join(lines)


def targets(table, tables, peak, check_passed):
    """Issue 4, §3: (target, measured, reached)."""
    rows = []

    def percent(net):
        row = table.get(f"{net}/train_step/typenn")
        return 100 * row["flop"] / row["seconds"] / 1e9 / peak if row else None

    def add(text, value, goal, unit):
        if value is None:
            rows.append((text, "not measured", "–"))
        else:
            shown = f"{value:.1f}%" if unit == "%" else format_ratio(value)
            rows.append((text, shown, "yes" if value >= goal else "no"))

    add("training step, digits: ≥ 65% of FMA peak", percent("digits"), 65, "%")
    add("training step, digits: ≥ 2.5× LibTorch",
        speedup(tables, "digits", "train_step", "typenn", "libtorch"), 2.5, "×")
    add("training step, wide: ≥ 70% of FMA peak", percent("wide"), 70, "%")
    add("training step, wide: ≥ 1.5× LibTorch",
        speedup(tables, "wide", "train_step", "typenn", "libtorch"), 1.5, "×")
    add("training step, seed: ≥ 50× LibTorch",
        speedup(tables, "seed", "train_step", "typenn", "libtorch"), 50, "×")
    for net, goal in (("seed", 3), ("digits", 1.2), ("wide", 1.3)):
        add(f"inference batch 1, {net}: ≥ {goal}× Eigen",
            speedup(tables, net, "infer_batch1", "typenn", "eigen"), goal, "×")
    rows.append(("no heap allocation (typenn, every benchmarked call)",
                 "0 allocations" if check_passed else "see check output",
                 "yes" if check_passed else "no"))
    lines = ["| target | measured | reached |", "|---|---:|:---:|"]
    lines += [f"| {t} | {m} | {r} |" for t, m, r in rows]
    return "\n".join(lines)


def weight_stream_bound(table):
    """Where the wide net's batch-1 inference stands against the time its weights take to
    stream (machine/weight_stream), as Markdown, or None without that case."""
    bound = table.get("machine/weight_stream/wide_batch1")
    ours, eigen = table.get("wide/infer_batch1/typenn"), table.get("wide/infer_batch1/eigen")
    if not (bound and ours and eigen):
        return None
    weight_bytes = bound["flop"] / 2 * 4  # the case counts the forward's 2 FLOPs per float weight
    return (f"Inference at batch 1 on wide reads 1 MiB of weights per call. Reading them alone, "
            f"adding and nothing else, takes **{format_time(bound['seconds'])}** "
            f"(`machine/weight_stream/wide_batch1`, "
            f"{weight_bytes / bound['seconds'] / 1e9:.0f} GB/s). typenn takes "
            f"{format_time(ours['seconds'])} ({bound['seconds'] / ours['seconds']:.0%} of that "
            f"speed), Eigen {format_time(eigen['seconds'])}; 1.3× Eigen would be "
            f"{format_time(eigen['seconds'] / 1.3)}"
            + (", less than streaming the weights takes." if eigen['seconds'] / 1.3 <
               bound['seconds'] else "."))


def speedup_svg(tables, path):
    """Grouped bars on a log scale: typenn's speed-up over LibTorch and over Eigen."""
    groups = [(net, task, TASK_SHORT[task]) for net in NETS for task, _ in TASKS]
    baselines = [("libtorch", "vs LibTorch", "#3b528b"), ("eigen", "vs Eigen", "#21918c")]
    values = {(net, task, b): speedup(tables, net, task, "typenn", b)
              for net, task, _ in groups for b, _, _ in baselines}
    present = [v for v in values.values() if v]
    if not present:
        return False
    low = 10 ** math.floor(math.log10(min(min(present), 1)))
    high = 10 ** math.ceil(math.log10(max(max(present), 1) * 1.5))
    width, height, left, right, top, bottom = 960, 420, 60, 20, 50, 80
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(v):
        return top + plot_h * (1 - (math.log10(v) - math.log10(low)) /
                               (math.log10(high) - math.log10(low)))

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">typenn speed-up '
           f'(median CPU time per call, one thread; above 1× typenn is faster)</text>']
    decade = low
    while decade <= high * 1.0001:
        svg.append(f'<line x1="{left}" x2="{width - right}" y1="{y(decade):.1f}" '
                   f'y2="{y(decade):.1f}" stroke="{"#000" if decade == 1 else "#ddd"}"/>')
        svg.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">'
                   f'{decade:g}×</text>')
        decade *= 10
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(baselines)
    for g, (net, task, text) in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.1
        for b, (baseline, _, color) in enumerate(baselines):
            v = values[(net, task, baseline)]
            if not v:
                continue
            x, top_y, base_y = x0 + b * bar_w, min(y(v), y(1)), max(y(v), y(1))
            svg.append(f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar_w - 2:.1f}" '
                       f'height="{max(base_y - top_y, 0.5):.1f}" fill="{color}"/>')
            label_y = top_y - 3 if v >= 1 else base_y + 11
            svg.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{label_y:.1f}" '
                       f'text-anchor="middle" font-size="9">{escape(format_ratio(v))}</text>')
        cx = left + (g + 0.5) * group_w
        svg.append(f'<text x="{cx:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                   f'font-weight="bold">{escape(net)}</text>')
        svg.append(f'<text x="{cx:.1f}" y="{height - bottom + 32}" text-anchor="middle">'
                   f'{escape(text)}</text>')
    for b, (_, label, color) in enumerate(baselines):
        lx = left + 10 + b * 120
        svg.append(f'<rect x="{lx}" y="{height - 28}" width="12" height="12" fill="{color}"/>')
        svg.append(f'<text x="{lx + 18}" y="{height - 18}">{escape(label)}</text>')
    svg.append("</svg>")
    path.write_text("\n".join(svg) + "\n")
    return True


def package_versions():
    # One query each: dpkg-query prints nothing at all when one of several is not installed.
    names = ["libbenchmark-dev", "libeigen3-dev", "libtorch-dev", "libopenblas0-pthread"]
    found = (output(["dpkg-query", "-W", "-f", "${Package} ${Version}", name]) for name in names)
    return [line for line in found if line]


def machine_lines(context, build, env):
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    flags = cpu_flags()
    isa = "AVX-512" if "avx512f" in flags else ("AVX2 + FMA" if "fma" in flags else "SSE")
    compiler = output(["c++", "--version"]).splitlines()[0]
    commands = json.loads((build / "compile_commands.json").read_text())
    flags_used = next((" ".join(a for a in shlex.split(e["command"])
                                if a.startswith(("-O", "-march", "-std", "-DNDEBUG")))
                       for e in commands if e["file"].endswith("typenn_cases.cpp")), "?")
    lines = [f"- CPU: {model}, {context.get('num_cpus', '?')} cores, {isa}; "
             f"benchmarks on one thread",
             f"- compiler: {compiler}; benchmark sources built with `{flags_used}`",
             f"- packages: {', '.join(package_versions()) or 'unknown'}"]
    if "torch_version" in context:
        lines.append(f"- LibTorch {context['torch_version']}, "
                     f"{context.get('torch_num_threads')} thread; BLAS: "
                     f"`{context.get('blas_library')}`, OpenBLAS kernel "
                     f"**{context.get('openblas_corename')}** "
                     f"(run with OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE', 'unset')}; "
                     f"the environment had {os.environ.get('OPENBLAS_CORETYPE', 'none')}), "
                     f"{context.get('openblas_num_threads')} OpenBLAS thread "
                     f"(OPENBLAS_NUM_THREADS=1); `{context.get('openblas_config')}`")
    else:
        lines.append("- LibTorch: not built (libtorch-dev not found)")
    if context.get("library_build_type") == "debug":
        lines.append("- Debian's libbenchmark reports itself as a debug build; that concerns "
                     "its own bookkeeping outside the timed calls, not the code measured")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build-bench")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of the whole benchmark program, one after the other")
    parser.add_argument("--repetitions", type=int, default=3, help="of each case per round")
    parser.add_argument("--min-time", type=float, default=0.25,
                        help="seconds per repetition of each benchmark")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-compile-times", action="store_true")
    parser.add_argument("--openblas-coretype",
                        help="OpenBLAS kernel for LibTorch (default: SkylakeX with AVX-512)")
    args = parser.parse_args()
    build = args.build_dir.resolve()
    started = datetime.datetime.now(datetime.timezone.utc)

    configure(build)
    times = [] if args.skip_compile_times else compile_times(build)
    run(["cmake", "--build", build, "--target", "typenn_benchmarks", "typenn_bench_check",
         "-j", str(args.jobs)])
    bin_dir = build / "benchmarks"
    check = subprocess.run([bin_dir / "typenn_bench_check"], capture_output=True, text=True)
    print(check.stdout, flush=True)
    disassembly = fma_disassembly(bin_dir / "typenn_benchmarks")
    env = benchmark_environment(args.openblas_coretype)
    load_before = os.getloadavg()
    rounds = [run_benchmarks(bin_dir / "typenn_benchmarks", args, env, r)
              for r in range(args.rounds)]
    load_after = os.getloadavg()

    tables = [medians(results) for results in rounds]
    table = over_rounds(tables)
    peak_name = next(name for name in table if name.startswith("machine/fma_peak/"))
    peak_row = table[peak_name]
    peak = peak_row["flop"] / peak_row["seconds"] / 1e9
    context = rounds[0]["context"]
    svg_written = speedup_svg(tables, HERE / "speedups.svg")

    md = ["# typenn benchmarks", "",
          f"Written by `benchmarks/run.py` on {started:%Y-%m-%d %H:%M} UTC; do not edit by "
          "hand. Reproduce with `benchmarks/run.py` (builds in `build-bench/`).", "",
          "## Machine", ""]
    md += machine_lines(context, build, env)
    md += [f"- FMA peak of one core, measured in the same run: **{peak:.0f} GFLOP/s** "
           f"({peak_name.split('/')[-1]}; {disassembly})",
           f"- load average (1 min) {load_before[0]:.1f} before the run, {load_after[0]:.1f} "
           "after: the machine is shared, so times are CPU times (time on the core, not "
           f"waiting for it). The benchmark program ran {args.rounds} times in a row; each "
           f"time every case ran {args.repetitions} repetitions of ≥ {args.min_time} s, the "
           "cases interleaved at random. A time below is the median over rounds of each "
           "round's median; a speed-up the median over rounds of the ratio within a round; cv "
           "the largest spread of repetitions within a round (standard deviation / mean); "
           "rounds the spread between rounds ((slowest − fastest) / median)",
           "", "## How the work is counted", "",
           "A `Linear<In, Out>` forward costs 2·In·Out FLOPs per row; a training step costs "
           "three such products per Linear (forward, dX = dY·W, dW = dYᵀ·X) at the train "
           "batch, the first layer's dX included whether or not an implementation computes it. "
           "None does (the input needs no gradient; typenn computes it only when "
           "`backward(tape, dy, dx)` asks), so the counted FLOPs exceed the work done by "
           "30% on seed, 10.6% on digits and 8.3% on wide: the same for every variant, "
           "so ratios are unaffected. Bias, BatchNorm, "
           "activations, loss and the SGD update are not counted. GFLOP/s = counted FLOPs / "
           "median time; % of peak against the FMA peak above.", "",
           "Every variant runs the same nets from the same data and the same initial "
           "parameters; a training step is forward, MSE loss, backward and an SGD step with "
           "momentum 0.9 (lr 0.01), BatchNorm in training mode. `typenn` is `Model<Net>` "
           "(fused kernels), `typenn-reference` is `Model<Net, float, execution::Reference>` "
           "(the plain loops the fused code is tested against), `eigen` a hand-written Eigen "
           "3.4 version with all sizes fixed at compile time (`benchmarks/eigen_cases.cpp`), "
           "`libtorch` the same `torch::nn::Sequential` and `torch::optim::SGD` a PyTorch user "
           "writes. Speed-ups are the other variant's time over this row's time.", ""]
    md += ["## Targets (issue 4, §3)", "", targets(table, tables, peak, check.returncode == 0),
           ""]
    bound_text = weight_stream_bound(table)
    if bound_text:
        md += [bound_text, ""]
    if svg_written:
        md += ["## Speed-ups", "", "![typenn's speed-ups](speedups.svg)", ""]
    for net in NETS:
        md += [f"## {NET_TEXT[net]}", "", net_table(table, tables, net, peak), ""]
    md += ["## Smooth activations against ReLU (issue 14, §5)", "",
           "typenn's digits net with each activation in place of ReLU, against the ReLU net in "
           "the same round (median over rounds of the ratio).", "",
           activation_table(table, tables), ""]
    md += ["## Checks before timing", "",
           "`typenn_bench_check` (also a ctest): every variant gives the same loss after three "
           "training steps and the same outputs, within 1e-4 relative; typenn and Eigen make no "
           f"heap allocation in any benchmarked call. Result: "
           f"**{'passed' if check.returncode == 0 else 'FAILED'}**.", "", "```",
           check.stdout.strip(), "```", ""]
    if times:
        md += ["## Compile time of each benchmark source", "",
               "Each compiled alone, serially, without ccache, with the flags of the build "
               "(CPU time of the compiler; wall time depends on the machine's load).", "",
               "| source | CPU | wall |", "|---|---:|---:|"]
        md += [f"| `{name}` | {cpu:.1f} s | {wall:.1f} s |" for name, cpu, wall in times]
        md.append("")
    (HERE / "RESULTS.md").write_text("\n".join(md))
    print(f"wrote {HERE / 'RESULTS.md'}" + (f" and {HERE / 'speedups.svg'}" if svg_written else ""))
    return 0 if check.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
