#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in build-fuzz) and runs each one
# for a bounded time, starting from its seed corpus tests/fuzz/corpus/NAME/.
#
#   tests/fuzz/run.sh                    every target, 20 s each (CI)
#   tests/fuzz/run.sh fuzz_sense ...     only these targets
#   FUZZ_SECONDS=600 tests/fuzz/run.sh   longer runs
#   FUZZ_RUNS=10000000 FUZZ_SECONDS=0 FUZZ_TIMEOUT=0 nice -n 19 tests/fuzz/run.sh
#                                        a fixed number of executions each
#
# New inputs that reach new code go to BUILD/fuzz-corpus/NAME (never into the
# tree); a crash, leak, timeout or sanitizer report stops that target, leaves
# the input in BUILD/fuzz-artifacts/ and makes the script exit 1. The last
# lines print executions and the result per target. Environment:
#   FUZZ_BUILD_DIR (build-fuzz), FUZZ_JOBS (2), FUZZ_SECONDS (20), FUZZ_RUNS,
#   FUZZ_TIMEOUT (10: seconds one input may take, wall clock; 0 for none),
#   FUZZ_ARGS (more libFuzzer flags, e.g. -jobs=1 -workers=1).
# libFuzzer's -timeout is wall-clock time: a target at nice 19 beside a
# build can be held off the CPU for longer than that and is then reported
# as a hang (seen in runs of 6-8 million executions whose "slow" inputs ran
# in well under a second alone). Long runs at low priority want FUZZ_TIMEOUT=0.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-}

for tool in clang clang++; do
  if ! command -v "$tool" > /dev/null; then
    echo "fuzz: $tool is missing (packaging/install-deps.sh installs it)" >&2
    exit 1
  fi
done

launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTSFS_FUZZ=ON "${launcher[@]}" > /dev/null
cmake --build "$build" --target fuzz_all -j "${FUZZ_JOBS:-2}"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$root"/tests/fuzz/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
fi

mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
summary=()
failed=0
passed_count=0
failed_count=0
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  seeds=$root/tests/fuzz/corpus/$name
  work=$build/fuzz-corpus/$name
  log=$build/fuzz-logs/$name.log
  mkdir -p "$work"
  if [ ! -d "$seeds" ]; then
    echo "fuzz: no seed corpus $seeds" >&2
    exit 1
  fi
  limits=(-max_total_time="$seconds")
  [ -n "$runs" ] && limits+=(-runs="$runs")
  echo "fuzz: $t (${runs:+$runs runs, }${seconds}s limit)"
  # ${FUZZ_ARGS} unquoted on purpose: a list of flags.
  # shellcheck disable=SC2086
  if "$build/tests/fuzz/$t" "${limits[@]}" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/fuzz-artifacts/$name-" ${FUZZ_ARGS:-} "$work" "$seeds" > "$log" 2>&1; then
    result=ok
    passed_count=$((passed_count + 1))
  else
    result=FAILED
    failed=1
    failed_count=$((failed_count + 1))
    tail -n 60 "$log" >&2
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  summary+=("$(printf '%-22s %12s executions  %s' "$t" "${execs:-?}" "$result")")
done

echo "fuzz: summary (logs in $build/fuzz-logs)"
printf '  %s\n' "${summary[@]}"
echo "fuzz: $passed_count passed, $failed_count failed"
exit $failed
