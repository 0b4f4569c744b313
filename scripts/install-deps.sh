#!/usr/bin/env bash
# Installs the Debian bookworm packages civicdesk needs to build, run and test.
# Only packages that are missing are installed; a machine that has them all is left untouched.
# Usage: scripts/install-deps.sh [build|test|bench|fuzz]
#   test adds PostgreSQL, Chromium, poppler and nginx for the tests; bench adds the baselines that the
#   benchmarks run side by side with civicdesk (sqlite3's own CLI, nginx, wrk). fuzz adds clang and
#   its libFuzzer and sanitizer runtimes for `make fuzz`.
set -euo pipefail

mode="${1:-build}"

build_packages=(
  build-essential cmake pkg-config clang-format
  libboost-dev libsqlite3-dev libpq-dev libsodium-dev libicu-dev
  libkainjow-mustache-dev nlohmann-json3-dev libxlsxwriter-dev
  libpango1.0-dev libcairo2-dev fonts-noto-cjk
  libmecab-dev mecab-ipadic-utf8 libcsv-dev libzip-dev libexpat1-dev
  libgtest-dev libgmock-dev libbenchmark-dev coinor-libcbc-dev libcurl4-openssl-dev
)
test_packages=(postgresql-15 postgresql-client-15 poppler-utils chromium libreoffice-calc-nogui unzip nginx-light python3-aiosmtpd)
fuzz_packages=(clang libclang-rt-14-dev)
bench_packages=(sqlite3 mecab fasttext python3-sklearn python3-numpy postgresql-15 postgresql-client-15 wrk nginx-light)

wanted=("${build_packages[@]}")
if [ "$mode" = "test" ]; then
  wanted+=("${test_packages[@]}")
  # Browser tests run on Node.js; a machine may already have it from elsewhere.
  if ! command -v npm >/dev/null 2>&1; then
    wanted+=(nodejs npm)
  fi
fi
if [ "$mode" = "fuzz" ]; then
  wanted+=("${fuzz_packages[@]}")
fi
if [ "$mode" = "bench" ]; then
  wanted+=("${bench_packages[@]}")
fi

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
