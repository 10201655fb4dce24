#!/usr/bin/env bash
# Builds (or finds in the cache) the boot files of the tsfs test guest:
# Debian's stock kernel (the package linux-image-amd64 depends on, fetched with
# apt-get download, never installed) and a busybox-static initramfs with the
# modules the test needs. Prints three lines: the kernel, the initramfs, the
# kernel version. Usage: guest_image.sh [CACHE_DIR]
# (default $TSFS_TEST_CACHE or /var/cache/tsfs-tests). Exit 1 with a message
# on stderr when something is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${TSFS_TEST_CACHE:-/var/cache/tsfs-tests}}/qemu-guest
modules_wanted=(virtio_pci virtio_scsi sg st 9pnet_virtio 9p fuse)
die() { echo "guest_image: $*" >&2; exit 1; }

busybox=/bin/busybox
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  die "$busybox is missing or not statically linked: install busybox-static"
fi

kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
pkg=$(kernel_package || true)
if [ -z "$pkg" ]; then
  # No package lists: use a kernel cached before, else update the lists once.
  pkg=$(ls -1 "$cache" 2>/dev/null | grep '^linux-image-' | sort -V | tail -1 || true)
  if [ -z "$pkg" ]; then
    apt-get update -qq >&2 || die "apt-get update failed"
    pkg=$(kernel_package) || true
  fi
fi
[ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 depends on"
kdir=$cache/$pkg
mkdir -p "$cache"
exec 8>"$cache/.lock"
flock 8

# The "depends=" of a module file, from its NUL-separated .modinfo strings.
module_depends() { tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '; }

if [ ! -s "$kdir/vmlinuz" ] || [ ! -s "$kdir/modules.order" ]; then
  tmp=$(mktemp -d "$cache/fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp"
  chown _apt "$tmp" 2>/dev/null || true  # apt-get download runs as _apt where it can
  (cd "$tmp" && apt-get download "$pkg" >&2) || die "apt-get download $pkg failed"
  mkdir -p "$tmp/x"
  dpkg-deb --fsys-tarfile "$tmp"/*.deb |
    tar -x -C "$tmp/x" --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel' ||
    die "cannot extract the kernel package $pkg"
  version=$(ls "$tmp/x/lib/modules")
  declare -A path_of seen
  while IFS= read -r f; do
    n=$(basename "$f" .ko)
    path_of[${n//-/_}]=$f
  done < <(find "$tmp/x/lib/modules/$version/kernel" -name '*.ko')
  order=()
  visit() {  # dependencies first
    local name=${1//-/_} d
    [ -n "${seen[$name]:-}" ] && return 0
    seen[$name]=1
    [ -n "${path_of[$name]:-}" ] || die "module $name is not in $pkg"
    for d in $(module_depends "${path_of[$name]}"); do visit "$d"; done
    order+=("${path_of[$name]}")
  }
  for m in "${modules_wanted[@]}"; do visit "$m"; done
  rm -rf "$kdir.new" && mkdir -p "$kdir.new/modules"
  cp "$tmp"/x/boot/vmlinuz-* "$kdir.new/vmlinuz"
  for f in "${order[@]}"; do
    cp "$f" "$kdir.new/modules/"
    basename "$f" >>"$kdir.new/modules.order"
  done
  echo "$version" >"$kdir.new/version"
  rm -rf "$kdir" && mv "$kdir.new" "$kdir"
  rm -rf "$tmp"
  trap - EXIT
fi
version=$(cat "$kdir/version")
mapfile -t order <"$kdir/modules.order"

key=$( (cat "$here/guest_init.sh"; printf '%s\n' "${order[@]}"; sha256sum "$busybox") | sha256sum | cut -c1-16)
initrd=$kdir/initramfs-$key.cpio.gz
if [ ! -s "$initrd" ]; then
  stage=$(mktemp -d "$cache/initrd.XXXXXX")
  mkdir -p "$stage"/{bin,sbin,proc,sys,dev,host,modules}
  cp "$busybox" "$stage/bin/busybox"
  for app in sh mount umount insmod chroot poweroff cat echo mkdir sync uname sleep ls; do
    ln -s busybox "$stage/bin/$app"
  done
  : >"$stage/modules.order"
  cp "$kdir"/modules/*.ko "$stage/modules/"
  cp "$kdir/modules.order" "$stage/modules.order"
  cp "$here/guest_init.sh" "$stage/init"
  chmod 755 "$stage/init"
  (cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$stage"
  # Older initramfs builds of this kernel are stale now.
  find "$kdir" -name 'initramfs-*.cpio.gz' ! -name "$(basename "$initrd")" -delete
fi
echo "$kdir/vmlinuz"
echo "$initrd"
echo "$version"
