#!/usr/bin/env bash
# Installs specbench's build and run dependencies from Debian packages, idempotently:
# packages already present are left alone, and apt-get runs only when something is missing.
#   bash scripts/setup.sh [sanitize] [peers]
set -euo pipefail

packages=(
  build-essential cmake git pkg-config
  libboost-dev libboost-test-dev
  liblapacke-dev libopenblas-dev libtmglib-dev libsuitesparse-dev zlib1g-dev
  libbenchmark-dev libeigen3-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev libssl-dev
  python3-matplotlib python3-numpy python3-mpmath
  strace  # tests/cli: the order of open, fsync, rename in an atomic write
)
# `setup.sh sanitize`: also clang and its sanitizer/libFuzzer runtimes (scripts/build_sanitize.sh)
# `setup.sh peers`: also the Python libraries of the peer plug-ins (plugins/peers/, configs/peers.toml)
for group in "$@"; do
  case $group in
    sanitize) packages+=(clang libclang-rt-14-dev) ;;
    peers) packages+=(python3-scipy python3-sklearn python3-torch) ;;
    *) echo "setup.sh: unknown group '$group' (sanitize, peers)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
