#!/usr/bin/env bash
# Two drives of a library streaming at once, through a real tsfs mount.
#
# A vtape library (vtlib:) whose drives stream at RATE MB/s each (the drive
# model's speed, as a real drive has one) is mounted; SIZE_MB is written with
# dd bs=1M to one cartridge alone, then to two cartridges in two drives at
# the same time. Both cartridges are loaded before the clock starts (the
# robot and the load are left out). Prints MB/s (10^6 bytes per second) for
# one drive, for both together, and the ratio aggregate / single.
#
# Usage: tests/bench/library_two_drives.sh     (as root; builds nothing)
# Environment: BUILD_DIR (default build), SIZE_MB (default 200), RATE (default 40).
# Not a test: no pass/fail, numbers depend on the machine.
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
SIZE_MB=${SIZE_MB:-200}
RATE=${RATE:-40}
TSFS=$(realpath "$BUILD_DIR/fusefs/tsfs")
TSTAPE=$(realpath "$BUILD_DIR/tapecore/tstape/tstape")
[[ -x $TSFS && -x $TSTAPE ]] || { echo "build first: $TSFS, $TSTAPE" >&2; exit 2; }

WORK=$(mktemp -d /tmp/tsfs-libbench-XXXXXX)
MNT=$WORK/mnt
mkdir -p "$MNT" "$WORK/lib"
cleanup() {
  if mountpoint -q "$MNT"; then fusermount3 -u "$MNT" || fusermount3 -u -z "$MNT"; fi
  for _ in $(seq 300); do pgrep -f -- "$MNT" >/dev/null || break; sleep 0.1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for tag in LIB001 LIB002 LIB003; do "$TSTAPE" mkvtape "$WORK/lib/$tag.tap" >/dev/null; done
capacity=$((SIZE_MB * 3 + 64))M
"$TSFS" "vtlib:$WORK/lib?drives=2&ie=0&capacity=$capacity&rate=$RATE&drivebuf=4M&pace" "$MNT" \
  -o catalog_dir=none 2>>"$WORK/tsfs.log"

now() { date +%s.%N; }
write() { dd if=/dev/zero of="$1" bs=1M count="$SIZE_MB" status=none; }

# Load both cartridges of the two-drive run first (an empty listing loads).
ls "$MNT/LIB002" "$MNT/LIB003" >/dev/null
t0=$(now); write "$MNT/LIB002/file000"; t1=$(now)
single=$(echo "$SIZE_MB * 1.048576 / ($t1 - $t0)" | bc -l)

t0=$(now)
write "$MNT/LIB002/file001" &
write "$MNT/LIB003/file000" &
wait
t1=$(now)
both=$(echo "2 * $SIZE_MB * 1.048576 / ($t1 - $t0)" | bc -l)

printf '%-22s %10s\n' "run" "MB/s"
printf '%-22s %10.1f\n' "one drive" "$single"
printf '%-22s %10.1f\n' "two drives at once" "$both"
printf '%-22s %10.2f\n' "aggregate / single" "$(echo "$both / $single" | bc -l)"
