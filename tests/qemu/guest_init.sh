#!/bin/sh
# /init of the tsfs test guest (busybox-static). Loads the modules listed in
# /modules.order, mounts the host's root read-only over virtio-9p on /host,
# gives it fresh /proc, /sys, /dev and a tmpfs on /tmp and /run, then runs the
# script named by tsfs.script= (argument tsfs.arg=) inside /host (chroot), with the results share
# (virtio-9p tag "results") at /tmp/results. Powers off when the script ends.
PATH=/bin:/sbin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do
  insmod "/modules/$m" || echo "tsfs-guest: insmod $m failed"
done
script=
arg=
for word in $(cat /proc/cmdline); do
  case "$word" in
    tsfs.script=*) script=${word#tsfs.script=} ;;
    tsfs.arg=*) arg=${word#tsfs.arg=} ;;
  esac
done
mkdir -p /host
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /host; then
  echo "tsfs-guest: cannot mount the host root over 9p"; poweroff -f
fi
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mount -t tmpfs -o size=256m tmpfs /host/tmp
mount -t tmpfs tmpfs /host/run
mkdir -p /host/tmp/results
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results /host/tmp/results ||
  echo "tsfs-guest: cannot mount the results share"
echo "tsfs-guest: kernel $(uname -r), running $script"
chroot /host /bin/sh -c "cd /tmp && exec $script $arg" </dev/console >/dev/console 2>&1
echo "tsfs-guest: script exit status $?"
sync
umount /host/tmp/results
poweroff -f
