#!/usr/bin/env bash
# The sg transport against a real Linux kernel: boots Debian's stock kernel in
# QEMU (TCG, no KVM needed) with a tgtd tape LUN attached as a SCSI
# pass-through device (virtio-scsi + scsi-generic over QEMU's iSCSI
# initiator), so the guest's sg and st drivers show it as /dev/sgN and
# /dev/nst0. The guest sees the host's root read-only over virtio-9p and runs
# sg_guest_test.sh with our built binaries.
# Usage: sg_kernel_test.sh BUILD_DIR TSFS_TARGET_BINARY
# Exit 0 all passed, 1 a check failed or the guest did not finish, 77 a
# dependency is missing outside CI (with CI=true that is a failure).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
target_bin=$2
timeout_s=${TSFS_QEMU_TIMEOUT:-420}

missing() {
  if [ "${CI:-}" = true ]; then echo "FAIL: $* (CI=true: a missing dependency fails)"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
command -v qemu-system-x86_64 >/dev/null || missing "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
ls /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so >/dev/null 2>&1 ||
  missing "QEMU has no iSCSI block driver (apt-get install qemu-block-extra)"
[ -x /bin/busybox ] || missing "busybox not found (apt-get install busybox-static)"
for b in "$build/tapecore/tstape/tstape" "$build/fusefs/tsfs" "$target_bin"; do
  [ -x "$b" ] || { echo "FAIL: $b is not built"; exit 1; }
done

t0=$SECONDS
image=$("$here/guest_image.sh") || missing "cannot build the guest kernel and initramfs (see above)"
kernel=$(sed -n 1p <<<"$image"); initrd=$(sed -n 2p <<<"$image"); version=$(sed -n 3p <<<"$image")
echo "guest kernel $version ($kernel), initramfs $initrd ($((SECONDS - t0)) s)"

work=$(mktemp -d /tmp/tsfs-qemu-XXXXXX)
target_pid=
qemu_pid=
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
  [ -n "$target_pid" ] && kill -TERM "$target_pid" 2>/dev/null && wait "$target_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# merge_guest_coverage GUEST_TREE BUILD: in a coverage build the guest's
# programs (the only ones that drive the kernel's sg and st drivers) left
# their .gcda counts in GUEST_TREE, a copy of BUILD's layout; each directory
# of them is merged into BUILD's with gcov-tool, so tests/coverage.sh counts
# tapecore/transport/sg_transport.cc as what ran here. Not a coverage build:
# nothing there, nothing done.
merge_guest_coverage() {
  local guest=$1 build=$2 dir rel merged
  [ -d "$guest" ] || return 0
  command -v gcov-tool >/dev/null || { echo "coverage: gcov-tool missing; guest counts dropped"; return 0; }
  while IFS= read -r dir; do
    rel=${dir#"$guest"}
    if ! compgen -G "$build$rel/*.gcda" >/dev/null; then
      cp "$dir"/*.gcda "$build$rel/"
      continue
    fi
    merged=$(mktemp -d "$work/merge-XXXXXX")
    gcov-tool merge -o "$merged" "$dir" "$build$rel" && cp "$merged"/*.gcda "$build$rel/"
    rm -rf "$merged"
  done < <(find "$guest" -name '*.gcda' -printf '%h\n' | sort -u)
  echo "coverage: the guest's counts merged into $build"
}
mkdir -p "$work/results"

"$target_bin" start tgtd --size 64 >"$work/uri" 2>"$work/target.err" &
target_pid=$!
for _ in $(seq 200); do [ -s "$work/uri" ] && break; sleep 0.05; done
[ -s "$work/uri" ] || { echo "FAIL: tgtd did not start: $(cat "$work/target.err")"; exit 1; }
uri=$(head -1 "$work/uri")
echo "tgtd tape at $uri"

# The guest runs the scripts from this source tree through the host root share.
qemu-system-x86_64 -accel tcg -m 768 -smp 2 -nographic -no-reboot -nic none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 tsfs.script=$here/sg_guest_test.sh tsfs.arg=$build" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$work/results,mount_tag=results,security_model=none" \
  -device virtio-scsi-pci,id=scsi0 \
  -drive "file=$uri,if=none,id=tape0,format=raw" \
  -device scsi-generic,drive=tape0,bus=scsi0.0 \
  </dev/null >"$work/console.log" 2>&1 &
qemu_pid=$!
boot=$SECONDS
while kill -0 "$qemu_pid" 2>/dev/null && [ $((SECONDS - boot)) -lt "$timeout_s" ]; do sleep 1; done
if kill -0 "$qemu_pid" 2>/dev/null; then
  cat "$work/console.log"
  echo "FAIL: the guest did not finish within $timeout_s s (TSFS_QEMU_TIMEOUT); console above"
  exit 1
fi
wait "$qemu_pid"; qemu_rc=$?
qemu_pid=
cat "$work/console.log"
echo "qemu exit status $qemu_rc; guest ran $((SECONDS - boot)) s; total $((SECONDS - t0)) s"
merge_guest_coverage "$work/results/gcov$build" "$build"
result=$work/results/result
[ -f "$result" ] || { echo "FAIL: the guest wrote no result (see the console above)"; exit 1; }
echo "--- results"
cat "$result"
[ -s "$work/results/clamp" ] && echo "guest clamp: $(cat "$work/results/clamp")"
grep -qx done "$result" || { echo "FAIL: the guest test stopped before the end"; exit 1; }
failed=$(grep -c '^FAIL' "$result")
passed=$(grep -c '^ok' "$result")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
