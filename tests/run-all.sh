#!/usr/bin/env bash
# Builds tsfs in build/ and runs every test (unit, vtape, tgtd, istgt, FUSE mounts).
# Usage: tests/run-all.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j"$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
