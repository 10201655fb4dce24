#!/usr/bin/env bash
# Builds tsfs in build/ and runs every test (unit, vtape, tgtd, istgt, FUSE mounts).
# Usage: tests/run-all.sh [extra ctest arguments]
# BUILD_DIR (default build) and TSFS_CMAKE_ARGS (e.g. -DTSFS_SANITIZE=ON) pick the build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
# shellcheck disable=SC2086 # TSFS_CMAKE_ARGS is a list of words
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTSFS_WERROR=ON ${TSFS_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j"$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
