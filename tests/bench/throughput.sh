#!/usr/bin/env bash
# Streaming throughput of tsfs: the FUSE mount against the raw tape core.
#
# One command, one run: on vtape and on a private tgtd (iSCSI on loopback),
# writes and reads SIZE_MB through the mount (dd bs=1M, and plain buffered
# cat) and the same through `tstape write` / `tstape read`, then prints
# MB/s (10^6 bytes per second) for each and the ratio mount/raw. Each side
# starts from a blank tape; opening the drive and reading its catalog are
# left out of both (the mount does them before the clock starts, and the
# time of `tstape list` is taken off `tstape read`).
#
# Usage: tests/bench/throughput.sh            (as root; builds nothing)
# Environment: BUILD_DIR (default build), SIZE_MB (default 500),
#              TARGETS (default "vtape tgtd").
# Not a test: no pass/fail, numbers depend on the machine.
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
SIZE_MB=${SIZE_MB:-500}
TARGETS=${TARGETS:-vtape tgtd}
TSFS=$(realpath "$BUILD_DIR/fusefs/tsfs")
TSTAPE=$(realpath "$BUILD_DIR/tapecore/tstape/tstape")
[[ -x $TSFS && -x $TSTAPE ]] || { echo "build first: $TSFS, $TSTAPE" >&2; exit 2; }

WORK=$(mktemp -d /tmp/tsfs-bench-XXXXXX)
MNT=$WORK/mnt
mkdir -p "$MNT"
TGT_CTL=""
cleanup() {
  if mountpoint -q "$MNT"; then fusermount3 -u "$MNT" || fusermount3 -u -z "$MNT"; fi
  wait_daemon_gone || true
  if [[ -n $TGT_CTL ]]; then
    tgtadm -C "$TGT_CTL" --lld iscsi --mode target --op delete --force --tid 1 >/dev/null 2>&1 || true
    tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1 || true
    sleep 0.5
    [[ -n ${TGT_PID:-} ]] && kill -9 "$TGT_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits until no tsfs process serves $MNT (filemarks written, tape rewound).
wait_daemon_gone() {
  for _ in $(seq 1 600); do
    pgrep -f "tsfs .* $MNT" >/dev/null || return 0
    sleep 0.1
  done
  return 1
}

now() { date +%s.%N; }
# mbps START END -> MB/s for SIZE_MB
mbps() { awk -v s="$1" -v e="$2" -v b="$BYTES" 'BEGIN { printf "%.1f", b / (e - s) / 1e6 }'; }

BYTES=$((SIZE_MB * 1024 * 1024))
DATA=$WORK/data
echo "making $SIZE_MB MiB of test data..." >&2
head -c "$BYTES" /dev/urandom > "$DATA"
cat "$DATA" > /dev/null  # in the page cache: measure the tape, not the disk

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_tgtd() {
  local port img
  port=$(free_port)
  TGT_CTL=$((200 + RANDOM % 700))
  img=$(mktemp -u "$WORK/tgtd-XXXXXX.img")
  tgtimg --op new --device-type tape --barcode BENCH1 --size $((SIZE_MB * 3 + 100)) \
    --type data --file "$img" >/dev/null
  tgtd -f -C "$TGT_CTL" --iscsi portal=127.0.0.1:"$port" >"$WORK/tgtd.log" 2>&1 &
  TGT_PID=$!
  for _ in $(seq 1 50); do
    tgtadm -C "$TGT_CTL" --op show --mode system >/dev/null 2>&1 && break
    sleep 0.1
  done
  tgtadm -C "$TGT_CTL" --lld iscsi --mode target --op new --tid 1 \
    --targetname iqn.2026-11.bench:tape0
  tgtadm -C "$TGT_CTL" --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 \
    --bstype ssc --device-type tape -b "$img"
  tgtadm -C "$TGT_CTL" --lld iscsi --mode target --op bind --tid 1 -I ALL
  SOURCE="iscsi://127.0.0.1:$port/iqn.2026-11.bench:tape0/1"
}

stop_tgtd() {
  [[ -n $TGT_CTL ]] || return 0
  tgtadm -C "$TGT_CTL" --lld iscsi --mode target --op delete --force --tid 1 >/dev/null 2>&1 || true
  tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1 || true
  sleep 0.5
  kill -9 "$TGT_PID" 2>/dev/null || true
  wait "$TGT_PID" 2>/dev/null || true
  TGT_CTL=""
}

# fresh_tape NAME: a blank tape of the kind NAME in $SOURCE.
fresh_tape() {
  case $1 in
    vtape)
      local img
      img=$(mktemp "$WORK/vtape-XXXXXX.tap")
      SOURCE="vtape:$img?capacity=$((SIZE_MB * 3 + 100))M"
      ;;
    tgtd) stop_tgtd; start_tgtd ;;
    *) echo "unknown target $1" >&2; return 1 ;;
  esac
}

RESULTS=()
run_target() {
  local name=$1 t0 t1 tl
  local dd_w cat_w dd_r cat_r raw_w raw_r

  # Raw: tstape on a blank tape. `tstape read` opens the drive and reads the
  # catalog before it streams; `tstape list` does only that, so its time is
  # taken off to compare the streaming alone.
  fresh_tape "$name"
  echo "== $name raw: $SOURCE" >&2
  t0=$(now); "$TSTAPE" write "$SOURCE" "$DATA" >/dev/null; t1=$(now); raw_w=$(mbps "$t0" "$t1")
  t0=$(now); "$TSTAPE" list "$SOURCE" >/dev/null; tl=$(now)
  t0=$(awk -v a="$t0" -v b="$tl" 'BEGIN { printf "%.9f", b - a }')
  local r0 r1
  r0=$(now); "$TSTAPE" read "$SOURCE" 0 > /dev/null; r1=$(now)
  raw_r=$(mbps 0 "$(awk -v a="$r0" -v b="$r1" -v l="$t0" 'BEGIN { printf "%.9f", b - a - l }')")

  # Through the mount, on another blank tape (mounting reads the catalog
  # before the clock starts, as above).
  fresh_tape "$name"
  echo "== $name mount: $SOURCE" >&2
  "$TSFS" "$SOURCE" "$MNT"
  t0=$(now); dd if="$DATA" of="$MNT/file000" bs=1M status=none; t1=$(now); dd_w=$(mbps "$t0" "$t1")
  t0=$(now); cat "$DATA" > "$MNT/file001"; t1=$(now); cat_w=$(mbps "$t0" "$t1")
  t0=$(now); dd if="$MNT/file000" of=/dev/null bs=1M status=none; t1=$(now); dd_r=$(mbps "$t0" "$t1")
  t0=$(now); cat "$MNT/file001" > /dev/null; t1=$(now); cat_r=$(mbps "$t0" "$t1")
  cmp -n "$BYTES" "$MNT/file001" "$DATA" || echo "WARNING: $name: file001 differs" >&2
  fusermount3 -u "$MNT"
  wait_daemon_gone

  RESULTS+=("$name dd_bs=1M $dd_w $dd_r $raw_w $raw_r")
  RESULTS+=("$name cat $cat_w $cat_r $raw_w $raw_r")
  RESULTS+=("$name tstape(raw) $raw_w $raw_r $raw_w $raw_r")
  stop_tgtd
}

for t in $TARGETS; do run_target "$t"; done

echo
echo "tsfs throughput, $SIZE_MB MiB per transfer, MB/s = 10^6 bytes/s ($(nproc) CPUs, $(uname -r))"
printf '%-7s %-12s %10s %10s %12s %12s\n' target method "write MB/s" "read MB/s" "write/raw" "read/raw"
for r in "${RESULTS[@]}"; do
  read -r tg method w rd rw rr <<<"$r"
  printf '%-7s %-12s %10s %10s %12s %12s\n' "$tg" "$method" "$w" "$rd" \
    "$(awk -v a="$w" -v b="$rw" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$rd" -v b="$rr" 'BEGIN { printf "%.2f", a / b }')"
done
