#!/bin/bash
# Runs inside the test guest (chroot of the host's root, read-only, with a
# tmpfs /tmp): tstape and tsfs on the guest's /dev/sgN and /dev/nstN (a tgtd
# tape attached through QEMU's scsi-generic), and a tape written by the
# guest's own st driver with GNU tar. Usage: sg_guest_test.sh BUILD_DIR
# Writes one line per check to /tmp/results/result ("ok NAME", "FAIL NAME")
# and "done" at the end; details go to the console.
set -u
bin=$1
tstape=$bin/tapecore/tstape/tstape
tsfs=$bin/fusefs/tsfs
out=/tmp/results/result
: >"$out"
# In a coverage build (tests/coverage.sh) the programs write their counts
# here instead of into the read-only build tree; the host adds them to its own.
export GCOV_PREFIX=/tmp/results/gcov
log() { echo "guest: $*"; }
ok() { echo "ok $1" >>"$out"; log "ok $1"; }
fail() { echo "FAIL $1${2:+ ($2)}" >>"$out"; log "FAIL $1${2:+: $2}"; }
check() {  # check NAME COMMAND...: ok when the command exits 0
  local name=$1; shift
  local t0=$SECONDS
  if "$@" >/tmp/check.out 2>&1; then ok "$name"; else fail "$name" "$(tail -3 /tmp/check.out | tr '\n' ' ')"; fi
  sed 's/^/  | /' /tmp/check.out | head -30
  log "  ($((SECONDS - t0)) s)"
}

sg=$(ls /sys/class/scsi_tape/nst0/device/scsi_generic 2>/dev/null | head -1)
if [ -z "$sg" ] || [ ! -c "/dev/$sg" ] || [ ! -c /dev/nst0 ]; then
  fail devices "no /dev/nst0 with an sg peer: $(ls /sys/class/scsi_tape /sys/class/scsi_generic 2>&1 | tr '\n' ' ')"
  echo done >>"$out"; exit 1
fi
ok devices
log "tape /dev/nst0 is /dev/$sg; $(cat /sys/class/scsi_tape/nst0/device/vendor /sys/class/scsi_tape/nst0/device/model | tr -s ' \n' ' ')"
host=$(basename "$(readlink -f /sys/class/scsi_tape/nst0/device)"); host=host${host%%:*}
for f in /sys/class/scsi_host/$host/sg_tablesize /sys/class/scsi_host/$host/can_queue \
         /sys/class/scsi_tape/nst0/device/max_sectors; do
  [ -r "$f" ] && log "sysfs $f = $(cat "$f")"
done
echo "$sg" >/tmp/results/sg_name

# tstape on /dev/sgN and on /dev/nst0 (mapped to the same sg node).
check inquiry_sg "$tstape" inquiry "/dev/$sg"
grep -i 'transfer' /tmp/check.out >/tmp/results/clamp || true
check inquiry_nst "$tstape" inquiry /dev/nst0
grep -q "/dev/$sg" /tmp/check.out && ok inquiry_nst_names_sg || fail inquiry_nst_names_sg "no /dev/$sg in the output"
check mt_rewind "$tstape" mt "/dev/$sg" rewind
# Multiples of 512: tsfs and tstape pad the last block of what they write.
head -c 300032 /dev/urandom >/tmp/a
head -c 2621440 /dev/urandom >/tmp/b  # 2.5 MiB: more than one transfer of the clamp
check write_sg "$tstape" write "/dev/$sg" /tmp/a
check write_nst "$tstape" write /dev/nst0 /tmp/b
check list_nst "$tstape" list /dev/nst0
"$tstape" list "/dev/$sg" >/tmp/list.out 2>&1
# tgtd gives no sizes before a file is read ("?"); the two files must be there.
if grep -Eq '^ +0 ' /tmp/list.out && grep -Eq '^ +1 ' /tmp/list.out && ! grep -Eq '^ +2 ' /tmp/list.out; then
  ok list_two_files
else
  fail list_two_files "$(tr '\n' ' ' </tmp/list.out)"
fi
check read_sg_0 sh -c "'$tstape' read /dev/$sg 0 /tmp/a.back && cmp /tmp/a /tmp/a.back"
check read_nst_1 sh -c "'$tstape' read /dev/nst0 1 /tmp/b.back && cmp /tmp/b /tmp/b.back"
check mt_fsf_status sh -c "'$tstape' mt /dev/nst0 rewind && '$tstape' mt /dev/nst0 fsf 1 && '$tstape' status /dev/nst0"

# A tsfs mount on /dev/sgN: cp, cat, cmp, mt.
mkdir -p /tmp/m
head -c 700416 /dev/urandom >/tmp/c
check mount_sg "$tsfs" "/dev/$sg" /tmp/m
if mountpoint -q /tmp/m; then
  check mount_cp cp /tmp/c /tmp/m/file002
  check mount_cat_cmp sh -c 'cat /tmp/m/file002 | cmp - /tmp/c'
  check mount_cmp_file1 cmp /tmp/m/file001 /tmp/b
  check mount_mt sh -c 'mt -f /tmp/m rewind && mt -f /tmp/m fsf 2 && mt -f /tmp/m status'
  check mount_ls ls -l /tmp/m
  umount /tmp/m
  for _ in $(seq 300); do pgrep -x tsfs >/dev/null || break; sleep 0.1; done
  pgrep -x tsfs >/dev/null && fail mount_daemon_exit "tsfs still runs 30 s after umount"
fi
check read_after_mount sh -c "'$tstape' read /dev/nst0 2 | cmp - /tmp/c"

# GNU tar through the guest's own st driver, variable mode, 10240-byte records.
mkdir -p /tmp/data/sub
head -c 123457 /dev/urandom >/tmp/data/one
head -c 40000 /dev/urandom >/tmp/data/sub/two
echo small >/tmp/data/sub/three
tar -b 20 -cf /tmp/t.tar -C /tmp data
check st_tar_write sh -c 'mt -f /dev/nst0 rewind && mt -f /dev/nst0 eod && mt -f /dev/nst0 setblk 0 &&
  tar -b 20 -cf /dev/nst0 -C /tmp data && mt -f /dev/nst0 status'
check st_tar_list sh -c 'mt -f /dev/nst0 rewind && mt -f /dev/nst0 fsf 3 && tar -b 20 -tvf /dev/nst0'
"$tstape" list "/dev/$sg" >/tmp/list.out 2>&1; sed 's/^/  | /' /tmp/list.out
# A tape that tar wrote through st in variable mode reads back exactly, with
# tstape and through a mount whose size is that of the archive (issue 8).
check st_tar_read_by_tstape sh -c "'$tstape' read /dev/$sg 3 /tmp/t.back && cmp /tmp/t.tar /tmp/t.back"
check mount_scan "$tsfs" "/dev/$sg" /tmp/m -o scan
if mountpoint -q /tmp/m; then
  check st_tar_size_on_mount sh -c '[ "$(stat -c %s /tmp/m/file003)" = "$(stat -c %s /tmp/t.tar)" ]'
  check st_tar_cmp_on_mount cmp /tmp/m/file003 /tmp/t.tar
  check st_tar_extract_on_mount sh -c 'mkdir -p /tmp/x && tar -xf /tmp/m/file003 -C /tmp/x &&
    cmp /tmp/x/data/one /tmp/data/one && cmp /tmp/x/data/sub/two /tmp/data/sub/two'
  # Data that is not a multiple of 512 through the mount: the written bytes,
  # then the zeros of the padded last block (ts rule, tsfs(8)); stat agrees.
  head -c 123457 /dev/urandom >/tmp/odd
  { cat /tmp/odd; head -c 447 /dev/zero; } >/tmp/odd.padded
  check mount_cp_odd cp /tmp/odd /tmp/m/file004
  check mount_odd_size sh -c '[ "$(stat -c %s /tmp/m/file004)" = 123904 ]'
  check mount_odd_cmp cmp /tmp/m/file004 /tmp/odd.padded
  umount /tmp/m
  for _ in $(seq 300); do pgrep -x tsfs >/dev/null || break; sleep 0.1; done
fi
echo done >>"$out"
