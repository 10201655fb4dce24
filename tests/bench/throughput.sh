#!/usr/bin/env bash
# Streaming throughput of tsfs, against its own raw rate and two ceilings.
#
# For each target (vtape, and a private tgtd on loopback) and each of REPS
# interleaved repetitions:
#   target  the target's ceiling: tsfs-bench-ssc sends WRITE(6)/READ(6) of
#           the size the unit sends (1 MiB with the default buffers) straight
#           through the transport and the ssc layer: no unit, no buffers;
#   raw     `tstape write/read --stats` through the unit, timed by tstape's
#           own clock over the data phase (no process start, no open, no
#           catalog);
#   mount   cat, cp and dd bs=1M through a tsfs mount, timed from the start
#           to the end of the command (open and close included: the close
#           drains the buffers), with a private catalog store as tsfs has
#           by default;
# and once a repetition the null FUSE file system (tsfs-bench-nullfs, set
# up as tsfs is) with cat, cp and dd: the ceiling of FUSE on this machine.
# Every side reads and writes tape file 0 (file000), each write on a blank
# tape: the same file index on both sides.
#
# Prints rates in MB/s (10^6 bytes a second) as min/median/max, then the
# ratios mount÷raw, mount÷null-FUSE and raw÷target, each the median (and
# min-max) of the per-repetition ratios, for write and read.
# Not a test: no pass/fail; numbers depend on the machine and its load.
#
# Usage: tests/bench/throughput.sh   (as root: it mounts; builds nothing:
#        cmake --build build, or `cmake --build build --target bench`)
# Environment: BUILD_DIR (build), BENCH_TMP (/dev/shm: data and images), SIZE_MB (512), REPS (5),
#              TARGETS ("vtape tgtd"), METHODS ("cat cp dd").
set -euo pipefail

cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-512}
REPS=${REPS:-5}
TARGETS=${TARGETS:-vtape tgtd}
METHODS=${METHODS:-cat cp dd}
WORK=$(mktemp -d "${BENCH_TMP:-/dev/shm}/tsfs-bench-XXXXXX")
# A catalog store, as tsfs keeps by default (private to this run): the mount
# then knows the size of the file tstape wrote. Without one, a mount of tgtd
# cannot tell a file's size, and opening it for reading reads it through
# once first (tsfs(8), THE DIRECTORY): the mount would read every byte twice
# against raw's once (measured: 66 against 129 MB/s for the same cat).
export TSFS_CATALOG_DIR=${TSFS_CATALOG_DIR:-$WORK/catalog}
. tests/bench/lib.sh
trap bench_cleanup EXIT

BYTES=$((SIZE_MB * 1024 * 1024))
TAPE_MB=$((SIZE_MB * 2 + 100))
DATA=$WORK/data
SAMPLES=$WORK/samples
: >"$SAMPLES"
echo "making $SIZE_MB MiB of test data..." >&2
head -c "$BYTES" /dev/urandom >"$DATA"
cat "$DATA" >/dev/null # in the page cache: measure the tape, not the disk

declare -A V # this repetition's rates
sample() { # sample KEY VALUE
  V[$1]=$2
  echo "$1 $2" >>"$SAMPLES"
}
ratio() { # ratio KEY A B: A/B of this repetition's rates
  [[ -n ${V[$2]:-} && -n ${V[$3]:-} ]] || return 0
  echo "$1 $(awk -v a="${V[$2]}" -v b="${V[$3]}" 'BEGIN { printf "%.3f", a / b }')" >>"$SAMPLES"
}

# check_file0 REP: on the first repetition, tape file 0 must be the data.
check_file0() {
  [[ $1 == 1 ]] || return 0
  "$TSTAPE" read -q "$SOURCE" 0 | cmp -s - "$DATA" ||
    echo "WARNING: $SOURCE: file 0 is not the data written" >&2
}

run_target() { # run_target KIND REP
  local t=$1 rep=$2 m
  echo "== rep $rep: $t" >&2
  # The target's ceiling: write then read file 0, no unit.
  blank_tape "$t" "$TAPE_MB"
  "$BENCH_SSC" write "$SOURCE" "$BYTES" 2>"$WORK/s.log" || { cat "$WORK/s.log" >&2; return 1; }
  sample "$t.target.write" "$(stats_rate "$WORK/s.log")"
  "$BENCH_SSC" read "$SOURCE" 2>"$WORK/s.log" || { cat "$WORK/s.log" >&2; return 1; }
  sample "$t.target.read" "$(stats_rate "$WORK/s.log")"

  # Raw: tstape on a blank tape, file 0, its own clock.
  blank_tape "$t" "$TAPE_MB"
  "$TSTAPE" write -q --stats "$SOURCE" "$DATA" >/dev/null 2>"$WORK/s.log" ||
    { cat "$WORK/s.log" >&2; return 1; }
  sample "$t.raw.write" "$(stats_rate "$WORK/s.log")"
  "$TSTAPE" read -q --stats "$SOURCE" 0 2>"$WORK/s.log" >/dev/null ||
    { cat "$WORK/s.log" >&2; return 1; }
  sample "$t.raw.read" "$(stats_rate "$WORK/s.log")"

  # Mount, reading the file tstape wrote (file000): a mount per method, so
  # that each starts as tstape does, on a new connection (on tgtd the first
  # read of an iSCSI session runs slower than later ones in it).
  for m in $METHODS; do
    mount_tsfs
    sample "$t.mount.$m.read" "$(timed_copy "$m" "$MNT/file000" /dev/null "$BYTES")"
    unmount_fs
  done

  # Mount, writing file000 of a blank tape, once per method.
  for m in $METHODS; do
    blank_tape "$t" "$TAPE_MB"
    mount_tsfs
    sample "$t.mount.$m.write" "$(timed_copy "$m" "$DATA" "$MNT/file000" "$BYTES")"
    unmount_fs
    check_file0 "$rep"
  done
  stop_target

  for m in $METHODS; do
    for d in write read; do
      ratio "$t.$m.$d.mount/raw" "$t.mount.$m.$d" "$t.raw.$d"
      ratio "$t.$m.$d.mount/null" "$t.mount.$m.$d" "null.$m.$d"
    done
  done
  ratio "$t.raw/target.write" "$t.raw.write" "$t.target.write"
  ratio "$t.raw/target.read" "$t.raw.read" "$t.target.read"
}

run_null() { # the FUSE ceiling: file000 reads as BYTES, file001 swallows
  local m
  echo "== rep $1: null FUSE" >&2
  mount_null "$BYTES"
  for m in $METHODS; do
    sample "null.$m.write" "$(timed_copy "$m" "$DATA" "$MNT/file001" "$BYTES")"
    sample "null.$m.read" "$(timed_copy "$m" "$MNT/file000" /dev/null "$BYTES")"
  done
  unmount_fs
}

for rep in $(seq 1 "$REPS"); do
  run_null "$rep"
  for t in $TARGETS; do run_target "$t" "$rep"; done
done

# The table.
echo
echo "tsfs throughput: $SIZE_MB MiB per transfer, tape file 0, $REPS interleaved repetitions;"
echo "MB/s = 10^6 bytes/s as min/median/max; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
printf '%-6s %-7s %-7s %-22s %-22s\n' target side method "write MB/s" "read MB/s"
row() { # row TARGET SIDE METHOD KEY-PREFIX
  printf '%-6s %-7s %-7s %-22s %-22s\n' "$1" "$2" "$3" \
    "$(summary "$SAMPLES" "$4.write")" "$(summary "$SAMPLES" "$4.read")"
}
for m in $METHODS; do row - null "$m" "null.$m"; done
for t in $TARGETS; do
  row "$t" target ssc "$t.target"
  row "$t" raw tstape "$t.raw"
  for m in $METHODS; do row "$t" mount "$m" "$t.mount.$m"; done
done
echo
echo "ratios: median [min-max] of the per-repetition ratios; goals: mount÷raw >= 0.9, raw÷target >= 0.9"
printf '%-6s %-7s %-20s %-20s %-20s %-20s\n' target method "write mount÷raw" "read mount÷raw" \
  "write mount÷null" "read mount÷null"
cell() { summary "$SAMPLES" "$1" | awk -F/ '{ print NF == 3 ? $2 " [" $1 "-" $3 "]" : "-" }'; }
for t in $TARGETS; do
  for m in $METHODS; do
    printf '%-6s %-7s %-20s %-20s %-20s %-20s\n' "$t" "$m" "$(cell "$t.$m.write.mount/raw")" \
      "$(cell "$t.$m.read.mount/raw")" "$(cell "$t.$m.write.mount/null")" \
      "$(cell "$t.$m.read.mount/null")"
  done
done
printf '%-6s %-7s %-20s %-20s\n' target "" "write raw÷target" "read raw÷target"
for t in $TARGETS; do
  printf '%-6s %-7s %-20s %-20s\n' "$t" "" "$(cell "$t.raw/target.write")" \
    "$(cell "$t.raw/target.read")"
done
