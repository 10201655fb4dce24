#!/usr/bin/env bash
# Line and branch coverage of the test suite, per directory of the sources.
#
# A gcov build (--coverage -O0, Debug) in its own directory (build-cov), the
# whole ctest suite run in it, then gcovr over tapecore/ and fusefs/ with
# exception edges left out (--exclude-throw-branches: the edges GCC adds for
# every call that might throw; no exception crosses our code paths on
# purpose) and the branches GCC marks unreachable. Prints one line per
# directory and the total; the per-file table is left in
# BUILD_DIR/coverage.txt and an HTML report in BUILD_DIR/coverage/index.html.
#
# The QEMU test (ctest sg_kernel_qemu) brings the counts of the programs it
# ran in the guest back into the build tree, so the sg transport, which only
# the guest's kernel can drive, is measured too.
#
# Not part of CI: it is a full build and a full run (about 40 min on two busy
# cores). Extra arguments go to ctest, e.g. `tests/coverage.sh -R 'Unit|Fault'`
# to measure a part; a failing test is reported and the coverage still printed.
# Usage: tests/coverage.sh [ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-cov}
command -v gcovr >/dev/null || { echo "coverage: gcovr missing (packaging/install-deps.sh)" >&2; exit 1; }

# ccache with a base_dir writes relative source paths into the .gcno files,
# which gcovr cannot resolve (every file then counts 0/0): absolute paths here.
export CCACHE_BASEDIR=
# shellcheck disable=SC2086 # TSFS_CCACHE is a list of words
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug ${TSFS_CCACHE:-} \
  -DCMAKE_C_FLAGS="--coverage -O0" -DCMAKE_CXX_FLAGS="--coverage -O0" \
  -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
find "$BUILD_DIR" -name '*.gcda' -delete

status=0
ctest --test-dir "$BUILD_DIR" -j2 --output-on-failure "$@" > "$BUILD_DIR/coverage-ctest.log" 2>&1 || status=$?
tail -3 "$BUILD_DIR/coverage-ctest.log"
[ "$status" = 0 ] || echo "coverage: some tests failed (see $BUILD_DIR/coverage-ctest.log)" >&2

mkdir -p "$BUILD_DIR/coverage"
# gcovr once per top directory, with that directory's object tree as the
# place relative paths start from: a .gcno that ccache took from its cache
# may name its sources relative to where it was first compiled (with a
# CCACHE_BASEDIR), and a single run over the whole build then cannot resolve
# them and counts those files as 0/0. The two tracefiles are then merged.
for top in tapecore fusefs; do
  gcovr --root . --object-directory "$BUILD_DIR/$top" "$BUILD_DIR" --filter "$top/" \
    --exclude-throw-branches --exclude-unreachable-branches \
    --json "$BUILD_DIR/coverage-$top.json" 2> "$BUILD_DIR/coverage-gcovr-$top.log"
done
gcovr --root . --add-tracefile "$BUILD_DIR/coverage-tapecore.json" \
  --add-tracefile "$BUILD_DIR/coverage-fusefs.json" \
  --txt "$BUILD_DIR/coverage.txt" \
  --html-details "$BUILD_DIR/coverage/index.html" \
  --json-summary "$BUILD_DIR/coverage-summary.json" --json-summary-pretty

# One line per directory (tapecore/unit, tapecore/transport, fusefs, ...).
python3 - "$BUILD_DIR/coverage-summary.json" <<'EOF'
import json, os, sys
files = json.load(open(sys.argv[1]))["files"]
dirs = {}
for f in files:
    d = os.path.dirname(f["filename"])
    t = dirs.setdefault(d, [0, 0, 0, 0])
    t[0] += f["line_covered"]; t[1] += f["line_total"]
    t[2] += f["branch_covered"]; t[3] += f["branch_total"]
def pct(a, b):
    return "%6.1f %%" % (100.0 * a / b) if b else "     - "
print("%-22s %17s %19s" % ("directory", "lines", "branches"))
total = [0, 0, 0, 0]
for d in sorted(dirs):
    t = dirs[d]
    total = [x + y for x, y in zip(total, t)]
    print("%-22s %s %5d/%-5d %s %5d/%-5d" % (d, pct(t[0], t[1]), t[0], t[1], pct(t[2], t[3]), t[2], t[3]))
print("%-22s %s %5d/%-5d %s %5d/%-5d" % ("total", pct(total[0], total[1]), total[0], total[1],
                                         pct(total[2], total[3]), total[2], total[3]))
EOF
exit "$status"
