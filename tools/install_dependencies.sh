#!/usr/bin/env bash
# SPDX-License-Identifier: BSL-1.0
# Installs what building and testing typenn needs on Debian 12, from Debian's packages.
# python3-torch (Debian's PyTorch: about 230 MB to download, 1 GB installed) runs the test of
# tools/typenn_export.py and regenerates the PyTorch fixtures; --without-torch leaves it out,
# and that test then reports itself skipped.
set -euo pipefail
# clang-14 and libclang-rt-14-dev: libFuzzer, for the load fuzzer (CMake option TYPENN_FUZZ).
# libeigen3-dev and libbenchmark-dev: benchmarks/ (LibTorch's cases also need libtorch-dev).
packages=(cmake make g++ ccache libboost-dev libxtensor-dev libxsimd-dev nlohmann-json3-dev
          catch2 zlib1g-dev clang-14 libclang-rt-14-dev libeigen3-dev libbenchmark-dev)
[[ "${1:-}" != "--without-torch" ]] && packages+=(python3-torch)
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
