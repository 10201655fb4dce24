#!/usr/bin/env bash
# Metadata at scale: mount + `ls -l` of a vtape with 1k, 10k and 100k files.
#
# Each image is made once by tsfs-bench-ssc (COUNT tape files of one 512-byte
# record, straight through the ssc layer; its time is shown). Then, REPS
# times, interleaved over the sizes:
#   cold    no stored catalog (TSFS_CATALOG_DIR=none): the mount reads the
#           catalog from the tape;
#   stored  the catalog tsfs keeps per medium (a private directory per
#           image, filled by the first mount), checked against the tape at
#           mount.
# The time is from starting tsfs to the end of `ls -l` (every name listed
# and stat'ed: the mount point is polled every 10 ms, so up to 10 ms of it
# is waiting), with the two parts shown, and the cost per file, which is
# flat when the cost is linear in the number of files.
# The ceiling, in the same run: `ls -l` of a tmpfs directory holding the
# same number of empty files (row "tmpfs"): what ls itself costs (statx,
# sorting, printing) with no FUSE and no tape. The last column is tsfs's
# `ls -l` over that ceiling.
# Goal (issue 10): under 2 s for 100,000 files, linear in the count.
# Not a test: it prints a table.
#
# Usage: tests/bench/metadata.sh   (as root; builds nothing)
# Environment: BUILD_DIR (build), BENCH_TMP (/dev/shm: data and images), COUNTS ("1000 10000 100000"), REPS (3).
set -euo pipefail

cd "$(dirname "$0")/../.."
COUNTS=${COUNTS:-1000 10000 100000}
REPS=${REPS:-3}
WORK=$(mktemp -d "${BENCH_TMP:-/dev/shm}/tsfs-bench-XXXXXX")
. tests/bench/lib.sh
trap bench_cleanup EXIT

SAMPLES=$WORK/samples
: >"$SAMPLES"
# One catalog store per size: the three images begin with the same record,
# so they have the same medium fingerprint, and in one store each stored
# mount would find the catalog of another size, disagreeing, and read the
# tape again (tsfs(8), THE DIRECTORY).
store_for() { echo "$WORK/catalog-$1"; }

# image_source COUNT: the vtape source of the COUNT-file image (about 530
# bytes a file; the capacity in the source too, for vtapes that do not keep it).
image_source() { echo "vtape:$WORK/files-$1.tap?capacity=$(($1 * 600 / 1000000 + 10))M"; }

for n in $COUNTS; do
  "$TSTAPE" mkvtape "$WORK/files-$n.tap" --capacity "$((n * 600 / 1000000 + 10))M" >/dev/null
  t0=$(now)
  "$BENCH_SSC" files "$(image_source "$n")" "$n"
  t1=$(now)
  echo "$n.make $(elapsed3 "$t0" "$t1")" >>"$SAMPLES"
  mkdir -p "$WORK/tmpfs-$n"
  (cd "$WORK/tmpfs-$n" && seq -f 'file%06g' 0 $((n - 1)) | xargs touch)
done

# timed_ceiling COUNT: ls -l of the tmpfs directory of COUNT files.
timed_ceiling() {
  local n=$1 t0 t1 listed
  t0=$(now)
  listed=$(ls -l "$WORK/tmpfs-$n" | grep -c ' file[0-9]')
  t1=$(now)
  [[ $listed == "$n" ]] || echo "WARNING: tmpfs $n: ls -l listed $listed files" >&2
  echo "tmpfs.$n.ls $(elapsed3 "$t0" "$t1")" >>"$SAMPLES"
}

# timed_listing MODE COUNT: mount, ls -l, unmount; samples of the parts.
timed_listing() {
  local mode=$1 n=$2 t0 t1 t2 listed
  SOURCE=$(image_source "$n")
  t0=$(now)
  if [[ $mode == cold ]]; then
    TSFS_CATALOG_DIR=none mount_tsfs
  else
    TSFS_CATALOG_DIR=$(store_for "$n") mount_tsfs
  fi
  t1=$(now)
  listed=$(ls -l "$MNT" | grep -c ' file[0-9]')
  t2=$(now)
  unmount_fs
  [[ $listed == "$n" ]] || echo "WARNING: $mode $n: ls -l listed $listed files" >&2
  echo "$mode.$n.mount $(elapsed3 "$t0" "$t1")" >>"$SAMPLES"
  echo "$mode.$n.ls $(elapsed3 "$t1" "$t2")" >>"$SAMPLES"
  echo "$mode.$n.total $(elapsed3 "$t0" "$t2")" >>"$SAMPLES"
  awk -v n="$n" -v s="$(elapsed "$t0" "$t2")" 'BEGIN { printf "%s.%s.perfile %.2f\n", "'"$mode"'", n, s / n * 1e6 }' >>"$SAMPLES"
}

# The first stored mount fills the store (not counted).
for n in $COUNTS; do
  SOURCE=$(image_source "$n")
  TSFS_CATALOG_DIR=$(store_for "$n") mount_tsfs
  ls -l "$MNT" >/dev/null
  unmount_fs
  [[ -n $(ls "$(store_for "$n")") ]] || { echo "no catalog stored for $n files" >&2; exit 1; }
done
for rep in $(seq 1 "$REPS"); do
  for n in $COUNTS; do
    echo "== rep $rep: $n files" >&2
    timed_listing cold "$n"
    timed_listing stored "$n"
    timed_ceiling "$n"
  done
done

echo
echo "mount + ls -l of a vtape of N one-record files, $REPS interleaved repetitions;"
echo "seconds as min/median/max ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)); goal: total < 2 s at 100k"
printf '%-7s %-8s %-24s %-24s %-24s %-8s %-7s %-8s\n' catalog files "mount s" "ls -l s" "total s" \
  "us/file" "make s" "ls/tmpfs"
for mode in cold stored tmpfs; do
  for n in $COUNTS; do
    if [[ $mode == tmpfs ]]; then
      printf '%-7s %-8s %-24s %-24s %-24s %-8s %-7s %-8s\n' "$mode" "$n" - \
        "$(summary "$SAMPLES" "$mode.$n.ls")" - - - -
      continue
    fi
    ratio=$(awk -v a="$(median "$SAMPLES" "$mode.$n.ls")" -v b="$(median "$SAMPLES" "tmpfs.$n.ls")" \
      'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    printf '%-7s %-8s %-24s %-24s %-24s %-8s %-7s %-8s\n' "$mode" "$n" \
      "$(summary "$SAMPLES" "$mode.$n.mount")" "$(summary "$SAMPLES" "$mode.$n.ls")" \
      "$(summary "$SAMPLES" "$mode.$n.total")" "$(median "$SAMPLES" "$mode.$n.perfile")" \
      "$(median "$SAMPLES" "$n.make")" "$ratio"
  done
done
