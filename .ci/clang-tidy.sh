#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: the checks and why the others are off) over
# the sources of tapecore/ and fusefs/, warnings as errors.
# Usage: .ci/clang-tidy.sh [BUILD_DIR]   (a configured build with compile_commands.json)
#
# Left out, and why:
#  - tests/: the gtest files double the time (gtest and gmock headers in every
#    file) for checks meant for the product code.
#  - fusefs/mount.cc: clang 14 (Debian 12) cannot parse a lambda that captures
#    a structured binding (C++20, P1091; GCC 12 and clang >= 16 can).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: no $build/compile_commands.json" >&2; exit 1; }
command -v run-clang-tidy > /dev/null || { echo "clang-tidy: run-clang-tidy is missing (apt-get install clang-tidy)" >&2; exit 1; }
start=$(date +%s)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# -Wno-unknown-warning-option: GCC-only warning flags in the compile commands.
if ! run-clang-tidy -quiet -p "$build" -j "$(nproc)" \
     -extra-arg=-Wno-unknown-warning-option \
     "^(?!.*/fusefs/mount\.cc$)$PWD/(tapecore|fusefs)/.*\.cc$" > "$out" 2>&1 ||
   grep -qE '(error|warning): ' "$out"; then
  sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E '(error|warning): ' -A3 | head -200 >&2
  echo "clang-tidy: FAILED" >&2
  exit 1
fi
echo "clang-tidy: clean, $(grep -c '^clang-tidy' "$out") files in $(( $(date +%s) - start )) s"
