#!/usr/bin/env bash
# Installs every Debian package Tailor needs to build, test and benchmark.
# Idempotent: packages already present are skipped. Runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-system-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libssl-dev zlib1g-dev libeigen3-dev libhnswlib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-pytest
  wrk clang-format curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# The machine image's python3 ships boto3 and the AWS CLI; elsewhere Debian's packages stand in.
if ! python3 -c 'import boto3' 2>/dev/null; then missing+=(python3-boto3); fi
if ! command -v aws >/dev/null 2>&1; then missing+=(awscli); fi
if ! python3 -c 'import pytest' 2>/dev/null; then missing+=(python3-pytest); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
