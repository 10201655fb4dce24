#!/usr/bin/env bash
# Repositions per GB through the mount, measured against the ideal.
#
# vtape with its drive model (rate R MB/s, drive buffer D, `pace`: vtape runs
# at R in real time). A producer writes SIZE_MB into the mount at 25, 50 and
# 90 % of R, then a consumer reads it back at the same rates; each for the
# default buffers and for 64 MiB buffers (buffer_kb). The count is the one
# tsfs logs at unmount (LOG SENSE page 0x0C, vtape's parameter 8000h).
#
# Ideal: a policy that starts the tape only when the drive buffer and both
# host buffers (b each) are full, and streams while the producer refills,
# moves (D + 2b) * R / (R - p) bytes per start, so
#   ideal repositions/GB = 1e9 / ((D + 2b) * R / (R - p)).
# Not a test: it prints a table; numbers depend on the machine.
#
# Usage: tests/bench/repositions.sh   (as root; builds nothing)
# Environment: BUILD_DIR (build), SIZE_MB (400), RATE (80 MB/s), DRIVEBUF_MB (64),
#              PERCENTS ("25 50 90"), BUFFERS_KB ("1024 65536").
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
SIZE_MB=${SIZE_MB:-400}
RATE=${RATE:-80}
DRIVEBUF_MB=${DRIVEBUF_MB:-64}
PERCENTS=${PERCENTS:-25 50 90}
BUFFERS_KB=${BUFFERS_KB:-1024 65536}
TSFS=$(realpath "$BUILD_DIR/fusefs/tsfs")
[[ -x $TSFS ]] || { echo "build first: $TSFS" >&2; exit 2; }

WORK=$(mktemp -d /tmp/tsfs-repos-XXXXXX)
MNT=$WORK/mnt
mkdir -p "$MNT"
TSFS_PID=""
cleanup() {
  if mountpoint -q "$MNT"; then fusermount3 -u "$MNT" || fusermount3 -u -z "$MNT"; fi
  [[ -n $TSFS_PID ]] && wait "$TSFS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# throttle MODE RATE_BYTES TOTAL: copies stdin to stdout (or makes TOTAL
# bytes when MODE is "make") at RATE_BYTES per second, 1 MiB at a time.
throttle() {
  python3 - "$@" <<'EOF'
import os, sys, time
mode, rate, total = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
chunk = 1 << 20
block = os.urandom(chunk)
start = time.monotonic()
done = 0
out = sys.stdout.buffer
while done < total:
    if mode == "make":
        data = block[: min(chunk, total - done)]
    else:
        data = sys.stdin.buffer.read(min(chunk, total - done))
        if not data:
            break
    if mode == "make":
        out.write(data)
    done += len(data)
    ahead = start + done / rate - time.monotonic()
    if ahead > 0:
        time.sleep(ahead)
out.flush()
EOF
}

mount_tape() {  # mount_tape SOURCE BUFFER_KB LOG
  "$TSFS" -f "$1" "$MNT" -o buffer_kb="$2" 2>"$3" &
  TSFS_PID=$!
  for _ in $(seq 1 100); do mountpoint -q "$MNT" && return 0; sleep 0.1; done
  echo "mount failed: $(cat "$3")" >&2
  return 1
}

unmount_tape() {  # prints the repositions of the unmount log line
  fusermount3 -u "$MNT"
  wait "$TSFS_PID" || true
  TSFS_PID=""
  sed -n 's/.*unmounted; .*; \([0-9]*\) repositions.*/\1/p' "$1" | tail -1
}

BYTES=$((SIZE_MB * 1024 * 1024))
ROWS=()
for kb in $BUFFERS_KB; do
  for pct in $PERCENTS; do
    img=$(mktemp "$WORK/t-XXXXXX.tap")
    src="vtape:$img?capacity=$((SIZE_MB * 2 + 100))M&rate=$RATE&drivebuf=$DRIVEBUF_MB&pace"
    p=$(awk -v r="$RATE" -v c="$pct" 'BEGIN { printf "%.0f", r * 1e6 * c / 100 }')
    ideal=$(awk -v d="$DRIVEBUF_MB" -v b="$kb" -v r="$RATE" -v c="$pct" 'BEGIN {
      D = d * 1048576; B = b * 1024; R = r * 1e6; P = R * c / 100;
      printf "%.1f", 1e9 / ((D + 2 * B) * R / (R - P)) }')
    echo "== buffers ${kb} KiB, producer/consumer at $pct % of $RATE MB/s" >&2

    mount_tape "$src" "$kb" "$WORK/w.log"
    throttle make "$p" "$BYTES" > "$MNT/file000"
    w=$(unmount_tape "$WORK/w.log")

    mount_tape "$src" "$kb" "$WORK/r.log"
    throttle copy "$p" "$BYTES" < "$MNT/file000" > /dev/null
    r=$(unmount_tape "$WORK/r.log")

    gb=$(awk -v b="$BYTES" 'BEGIN { print b / 1e9 }')
    ROWS+=("$kb $pct $ideal $(awk -v n="${w:-nan}" -v g="$gb" 'BEGIN { printf "%.1f", n / g }') \
$(awk -v n="${r:-nan}" -v g="$gb" 'BEGIN { printf "%.1f", n / g }')")
  done
done

echo
echo "repositions per GB through the mount: vtape rate=$RATE MB/s drivebuf=$DRIVEBUF_MB MiB," \
  "$SIZE_MB MiB per transfer"
printf '%-10s %-10s %10s %12s %12s %10s %10s\n' buffer_kb rate_pct ideal write read \
  "write/ideal" "read/ideal"
for row in "${ROWS[@]}"; do
  read -r kb pct ideal w r <<<"$row"
  printf '%-10s %-10s %10s %12s %12s %10s %10s\n' "$kb" "$pct" "$ideal" "$w" "$r" \
    "$(awk -v a="$w" -v b="$ideal" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$r" -v b="$ideal" 'BEGIN { printf "%.2f", a / b }')"
done
