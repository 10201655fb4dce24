#!/usr/bin/env bash
# Large streaming buffers: throughput through the mount and peak RSS of tsfs
# with buffer_kb = 256 MiB and 1 GiB against the default (1 MiB).
#
# For each of REPS interleaved repetitions and each buffer size: a blank
# tape, a mount with -o buffer_kb=K, `dd bs=1M` writing SIZE_MB into
# file000 (timed from start to close: the close drains the buffers), the
# peak resident set of tsfs (VmHWM of /proc/PID/status), unmount; then a
# second mount reading file000 back with `dd bs=1M`, and its VmHWM.
#
# Goals (issue 10): throughput within 10 % of the default buffers' (the
# ratio is the median of the per-repetition ratios), and peak RSS at most
# 2 x buffer + 20 MiB. SIZE_MB should be well above 2 x the largest buffer.
# Not a test: it prints a table; numbers depend on the machine.
#
# Usage: tests/bench/buffers.sh   (as root; builds nothing)
# Environment: BUILD_DIR (build), BENCH_TMP (/dev/shm: data and images), SIZE_MB (4096), REPS (3), TARGETS (vtape),
#              BUFFERS_KB ("1024 262144 1048576"; the first is the reference),
#              MOUNT_OPTS (more -o options for every mount, e.g. write_watermark=1).
set -euo pipefail

cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-4096}
REPS=${REPS:-3}
TARGETS=${TARGETS:-vtape}
BUFFERS_KB=${BUFFERS_KB:-1024 262144 1048576}
WORK=$(mktemp -d "${BENCH_TMP:-/dev/shm}/tsfs-bench-XXXXXX")
. tests/bench/lib.sh
trap bench_cleanup EXIT

BYTES=$((SIZE_MB * 1024 * 1024))
TAPE_MB=$((SIZE_MB + 100))
DATA=$WORK/data
SAMPLES=$WORK/samples
: >"$SAMPLES"
echo "making $SIZE_MB MiB of test data..." >&2
head -c "$BYTES" /dev/urandom >"$DATA"
cat "$DATA" >/dev/null
REF=${BUFFERS_KB%% *}

declare -A V
for rep in $(seq 1 "$REPS"); do
  for t in $TARGETS; do
    for kb in $BUFFERS_KB; do
      echo "== rep $rep: $t buffer_kb=$kb" >&2
      blank_tape "$t" "$TAPE_MB"
      mount_tsfs -o buffer_kb="$kb" ${MOUNT_OPTS:+-o "$MOUNT_OPTS"}
      V[$t.$kb.write]=$(timed_copy dd "$DATA" "$MNT/file000" "$BYTES")
      echo "$t.$kb.write ${V[$t.$kb.write]}" >>"$SAMPLES"
      echo "$t.$kb.rss.write $(peak_rss_mib)" >>"$SAMPLES"
      unmount_fs
      mount_tsfs -o buffer_kb="$kb" ${MOUNT_OPTS:+-o "$MOUNT_OPTS"}
      V[$t.$kb.read]=$(timed_copy dd "$MNT/file000" /dev/null "$BYTES")
      echo "$t.$kb.read ${V[$t.$kb.read]}" >>"$SAMPLES"
      echo "$t.$kb.rss.read $(peak_rss_mib)" >>"$SAMPLES"
      unmount_fs
      stop_target
    done
    for kb in $BUFFERS_KB; do
      for d in write read; do
        awk -v k="$t.$kb.$d.ratio" -v a="${V[$t.$kb.$d]}" -v b="${V[$t.$REF.$d]}" \
          'BEGIN { printf "%s %.3f\n", k, a / b }' >>"$SAMPLES"
      done
    done
  done
done

echo
echo "large buffers: $SIZE_MB MiB per transfer with dd bs=1M, $REPS interleaved repetitions${MOUNT_OPTS:+, -o $MOUNT_OPTS};"
echo "MB/s = 10^6 bytes/s as min/median/max; ratio = median of per-repetition ratios to buffer_kb=$REF;"
echo "RSS = VmHWM of tsfs, max over the repetitions; goals: ratio >= 0.9, RSS <= 2 x buffer + 20 MiB"
echo "($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-6s %-10s %-20s %-6s %-20s %-6s %-10s %-10s %-10s\n' target buffer_kb "write MB/s" ratio \
  "read MB/s" ratio "RSS w MiB" "RSS r MiB" "RSS limit"
maxof() { summary "$SAMPLES" "$1" | awk -F/ '{ print NF == 3 ? $3 : "-" }'; }
for t in $TARGETS; do
  for kb in $BUFFERS_KB; do
    printf '%-6s %-10s %-20s %-6s %-20s %-6s %-10s %-10s %-10s\n' "$t" "$kb" \
      "$(summary "$SAMPLES" "$t.$kb.write")" "$(median "$SAMPLES" "$t.$kb.write.ratio")" \
      "$(summary "$SAMPLES" "$t.$kb.read")" "$(median "$SAMPLES" "$t.$kb.read.ratio")" \
      "$(maxof "$t.$kb.rss.write")" "$(maxof "$t.$kb.rss.read")" "$((2 * kb / 1024 + 20))"
  done
done
