# Shared by the benchmark scripts of tests/bench (sourced, not run):
# programs, blank tapes on vtape and on a private tgtd, mounting tsfs in
# the foreground (its pid for /proc), timing, min/median/max.
#
# The caller sets BUILD_DIR (default build) and WORK (a private directory,
# removed by bench_cleanup) before sourcing, and traps EXIT to bench_cleanup.
# WORK is under $BENCH_TMP (default /dev/shm): the data, the vtape images
# and tgtd's images (TMPDIR for tsfs-target) in memory, so that the numbers
# are those of tsfs and the target, not of the disk's writeback.

BUILD_DIR=${BUILD_DIR:-build}
TSFS=$(realpath "$BUILD_DIR/fusefs/tsfs")
TSTAPE=$(realpath "$BUILD_DIR/tapecore/tstape/tstape")
TARGET_CLI=$(realpath "$BUILD_DIR/tests/tsfs-target")
BENCH_SSC=$(realpath "$BUILD_DIR/tests/bench/tsfs-bench-ssc")
NULLFS=$(realpath "$BUILD_DIR/tests/bench/tsfs-bench-nullfs")
for p in "$TSFS" "$TSTAPE" "$TARGET_CLI" "$BENCH_SSC" "$NULLFS"; do
  [[ -x $p ]] || { echo "build first (cmake --build $BUILD_DIR): $p" >&2; exit 2; }
done
# No stored catalogs: every mount reads the tape (metadata.sh sets its own).
export TSFS_CATALOG_DIR=${TSFS_CATALOG_DIR:-none}

MNT=$WORK/mnt
mkdir -p "$MNT"
FS_PID=""      # the tsfs or null-FUSE process serving $MNT
TARGET_PID=""  # the tsfs-target holding a private tgtd
SOURCE=""

bench_cleanup() {
  if mountpoint -q "$MNT"; then fusermount3 -u "$MNT" || fusermount3 -u -z "$MNT"; fi
  if [[ -n $FS_PID ]]; then wait "$FS_PID" 2>/dev/null || true; fi
  stop_target
  rm -rf "$WORK"
}

# Seconds since the epoch with microseconds, without a fork.
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
elapsed3() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# rate BYTES SECONDS -> MB/s (10^6 bytes a second)
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

# The rate of a "... N bytes in S s, ..." line (tstape --stats, tsfs-bench-ssc).
stats_rate() {
  sed -n 's/.*: \([0-9]*\) bytes in \([0-9.]*\) s, .*/\1 \2/p' "$1" | tail -1 |
    { read -r b s && rate "$b" "$s"; }
}

stop_target() {
  [[ -n $TARGET_PID ]] || return 0
  kill -TERM "$TARGET_PID" 2>/dev/null || true
  wait "$TARGET_PID" 2>/dev/null || true
  TARGET_PID=""
}

# blank_tape KIND SIZE_MB: a blank tape of SIZE_MB in $SOURCE. vtape: a new
# image; tgtd: a new private tgtd (tsfs-target) with a new image.
blank_tape() {
  case $1 in
    vtape)
      local img
      img=$(mktemp -u "$WORK/vtape-XXXXXX")
      rm -f "$WORK"/vtape-*  # the previous tape: keep the page cache small
      "$TSTAPE" mkvtape "$img.tap" --capacity "$2M" >/dev/null
      SOURCE="vtape:$img.tap?capacity=$2M"
      ;;
    tgtd)
      stop_target
      TMPDIR=$WORK "$TARGET_CLI" start tgtd --size "$2" >"$WORK/target.uri" 2>"$WORK/target.err" &
      TARGET_PID=$!
      for _ in $(seq 1 200); do [[ -s $WORK/target.uri ]] && break; sleep 0.05; done
      SOURCE=$(head -1 "$WORK/target.uri")
      [[ -n $SOURCE ]] || { echo "tgtd did not start: $(cat "$WORK/target.err")" >&2; return 1; }
      ;;
    *) echo "unknown target $1 (vtape or tgtd)" >&2; return 1 ;;
  esac
}

# mount_fs LOG PROGRAM ARGS...: runs a FUSE file system on $MNT in the
# foreground (FS_PID) and waits for the mount.
mount_fs() {
  local log=$1
  shift
  "$@" 2>"$log" &
  FS_PID=$!
  for _ in $(seq 1 300); do
    mountpoint -q "$MNT" && return 0
    kill -0 "$FS_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "mount failed: $*: $(cat "$log")" >&2
  return 1
}
mount_tsfs() { mount_fs "$WORK/tsfs.log" "$TSFS" -f "$SOURCE" "$MNT" "$@"; }
mount_null() { mount_fs "$WORK/null.log" "$NULLFS" "$MNT" "$1"; }

# Unmounts and waits until the file system has exited (tsfs: filemarks
# written, tape rewound).
unmount_fs() {
  fusermount3 -u "$MNT"
  wait "$FS_PID" || true
  FS_PID=""
}

# Peak resident set of the file system process, in MiB (VmHWM).
peak_rss_mib() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$FS_PID/status"
}

# copy_cmd METHOD FROM TO: the copy a user would type.
copy_cmd() {
  case $1 in
    cat) cat "$2" >"$3" ;;
    cp) cp "$2" "$3" ;;
    dd) dd if="$2" of="$3" bs=1M status=none ;;
    *) echo "unknown method $1" >&2; return 1 ;;
  esac
}

# timed_copy METHOD FROM TO BYTES -> MB/s of the whole command (open to close).
timed_copy() {
  local t0 t1
  t0=$(now)
  copy_cmd "$1" "$2" "$3"
  t1=$(now)
  rate "$4" "$(elapsed "$t0" "$t1")"
}

# summary FILE KEY -> "min/median/max" of the values of KEY in FILE (lines
# "KEY VALUE"), "-" when there are none.
summary() {
  awk -v k="$2" '$1 == k { v[n++] = $2 }
    END {
      if (n == 0) { print "-"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
      printf "%s/%s/%s", v[0], med, v[n - 1]
    }' "$1"
}

# median FILE KEY -> the median alone ("-" when none).
median() { summary "$1" "$2" | awk -F/ '{ print NF == 3 ? $2 : "-" }'; }
