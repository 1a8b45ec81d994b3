#!/usr/bin/env bash
# Installs what building and testing typenn needs on Debian 12, from Debian's packages.
# Regenerating the PyTorch fixtures also needs python3-torch (pass --with-torch).
set -euo pipefail
packages=(cmake make g++ ccache libboost-dev libxtensor-dev libxsimd-dev nlohmann-json3-dev
          catch2 zlib1g-dev)
[[ "${1:-}" == "--with-torch" ]] && packages+=(python3-torch)
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
