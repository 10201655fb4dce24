#!/usr/bin/env bash
# The Debian package from end to end, as an administrator meets it:
#  1. packaging/build-deb.sh builds tsfs_VERSION-1_ARCH.deb (CPack);
#  2. lintian checks it: any error fails (the accepted warnings are in README.md);
#  3. a fresh Debian 12 root (tests/packaging/debian12_root.sh, debootstrap
#     cached in /var/cache/tsfs-tests) installs it with `apt-get install ./tsfs_*.deb`
#     from Debian's archive alone, and there runs tsfs --version, tstape
#     mkvtape, a tstape write/list/read round trip and `man -w tsfs`;
#  4. on this host, the packaged tsfs (unpacked into a staging root, never
#     installed) mounts with `mount -t fuse.tsfs` and from an fstab line
#     (`mount -a -T FILE`). Both run in a private mount namespace, with the
#     staged tsfs put first in /bin/sh's default PATH by a tmpfs over
#     /usr/local/sbin that only that namespace sees: the host is not changed.
# Run by .ci/run after the suite (it needs root, the network to Debian's
# archive and minutes, so it is not one of the parallel ctest tests).
# Without CI=true a missing tool skips (exit 77); with CI=true it fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD

skip() {
  if [ "${CI:-}" = true ]; then echo "deb_test: FAIL: $*" >&2; exit 1; fi
  echo "deb_test: SKIP: $*" >&2
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mount)"
for tool in debootstrap lintian dpkg-deb fakeroot cpack unshare chroot mount.fuse3 python3 script; do
  command -v "$tool" > /dev/null || skip "$tool is missing (packaging/install-deps.sh)"
done
[ -e /dev/fuse ] || skip "/dev/fuse is missing"

work=$(mktemp -d /tmp/tsfs-deb-test.XXXXXX)
cleanup() {
  # Anything still mounted lives in the namespaces, which are gone by now.
  rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)

# 1. The package.
deb=$(packaging/build-deb.sh "$src/build-deb" | tail -1)
[ -f "$deb" ] || { echo "deb_test: no package built" >&2; exit 1; }
echo "deb_test: built $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb --info "$deb" | sed -n 's/^ \(Version\|Depends\|Installed-Size\):/  \1:/p'
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for f in ./usr/bin/tsfs ./usr/bin/tstape ./etc/tsfs/tsbconf.conf \
         ./usr/share/man/man8/tsfs.8.gz ./usr/share/man/man1/tstape.1.gz \
         ./usr/share/man/man5/tsbconf.5.gz ./usr/share/doc/tsfs/copyright \
         ./usr/share/doc/tsfs/changelog.Debian.gz ./usr/share/doc/tsfs/README.md \
         ./usr/share/bash-completion/completions/tstape ./usr/share/bash-completion/completions/tsfs; do
  grep -qxF "$f" <<< "$contents" || { echo "deb_test: $f is not in the package" >&2; exit 1; }
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/tsfs/tsbconf.conf ||
  { echo "deb_test: /etc/tsfs/tsbconf.conf is not a conffile" >&2; exit 1; }
version=$(dpkg-deb --field "$deb" Version)
grep -q "^tsfs ($version)" <(zcat "$src/build-deb/packaging/changelog.Debian.gz") ||
  { echo "deb_test: changelog.Debian does not start with version $version" >&2; exit 1; }
dpkg-deb --field "$deb" Depends | grep -qE '(^|, )fuse3(,|$| )' ||
  { echo "deb_test: Depends lacks fuse3" >&2; exit 1; }

# 2. lintian: errors fail; warnings and the rest are shown.
lintian --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1 || true
echo "deb_test: lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors," \
     "$(grep -c '^W:' "$work/lintian.txt" || true) warnings"
sed 's/^/  /' "$work/lintian.txt"
if grep -q '^E:' "$work/lintian.txt"; then echo "deb_test: lintian errors" >&2; exit 1; fi

# 3. A fresh Debian 12 root installs the package with apt.
t1=$(date +%s)
root=$work/root
tests/packaging/debian12_root.sh "$root"
echo "deb_test: Debian 12 root ready in $(( $(date +%s) - t1 )) s"
cp "$deb" "$root/tmp/"
mkdir -p /var/cache/tsfs-tests/apt-archives/partial
cat > "$work/in-root.sh" <<'INROOT'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
apt-get update -qq
apt-get install -y -qq --no-install-recommends /tmp/tsfs_*.deb man-db > /tmp/apt.log 2>&1 ||
  { tail -30 /tmp/apt.log; exit 1; }
tsfs --version
tsfs --version | grep -q '^tsfs @VERSION@ '
tstape --version | grep -qx 'tstape @VERSION@'
tstape mkvtape /tmp/t.tap
head -c 200000 /dev/urandom > /tmp/data
tstape write /tmp/t.tap /tmp/data
tstape list /tmp/t.tap
tstape list --json /tmp/t.tap | grep -q '"bytes":200192'
tstape read /tmp/t.tap 0 /tmp/back
cmp -n 200000 /tmp/data /tmp/back
man -w tsfs
man -w tsfs | grep -qx /usr/share/man/man8/tsfs.8.gz
man -w tsbconf.conf > /dev/null && man -w tstape > /dev/null
test -f /etc/tsfs/tsbconf.conf
dpkg-query -W -f='${Conffiles}\n' tsfs | grep -q /etc/tsfs/tsbconf.conf
echo "in-root: all done"
INROOT
upstream=${version%-*}
sed -i "s/@VERSION@/$upstream/g" "$work/in-root.sh"
cp "$work/in-root.sh" "$root/tmp/in-root.sh"
unshare -m --propagation private bash -c '
  set -e
  root=$1
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount --bind /var/cache/tsfs-tests/apt-archives "$root/var/cache/apt/archives"
  chroot "$root" /bin/bash /tmp/in-root.sh' _ "$root" 2>&1 | sed 's/^/  root: /'
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "deb_test: the Debian 12 root failed" >&2; exit 1; }

# 4. mount -t fuse.tsfs and an fstab line on this host, with the packaged tsfs.
stage=$work/stage
dpkg-deb -x "$deb" "$stage"
tape=$work/host.tap
mnt=$work/mnt
mkdir -p "$mnt"
"$stage/usr/bin/tstape" mkvtape "$tape" > /dev/null
printf 'vtape:%s %s fuse.tsfs norewind 0 0\n' "$tape" "$mnt" > "$work/fstab"
unshare -m --propagation private bash -c '
  set -euo pipefail
  stage=$1 tape=$2 mnt=$3 fstab=$4
  mount -t tmpfs tmpfs /usr/local/sbin
  ln -s "$stage/usr/bin/tsfs" /usr/local/sbin/tsfs
  # Waits until tsfs let the image go after an unmount (it releases the tape last).
  released() {
    for _ in $(seq 100); do
      "$stage/usr/bin/tstape" list --quiet "$tape" > /dev/null 2>&1 && return 0
      sleep 0.1
    done
    echo "tsfs did not release $tape" >&2
    return 1
  }
  mount -t fuse.tsfs "vtape:$tape" "$mnt" -o norewind
  grep -q " $mnt fuse.tsfs " /proc/self/mounts
  echo via-mount-t > "$mnt/file000"
  umount "$mnt"
  released
  mount -a -T "$fstab"
  grep -q " $mnt fuse.tsfs " /proc/self/mounts
  test "$(cat "$mnt/file000" | head -c 12)" = via-mount-t
  echo via-fstab > "$mnt/file001"
  umount "$mnt"
  released
  "$stage/usr/bin/tstape" list "$tape"
' _ "$stage" "$tape" "$mnt" "$work/fstab" 2>&1 | sed 's/^/  host: /'
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "deb_test: mounting with the packaged tsfs failed" >&2; exit 1; }
grep -q " $mnt " /proc/self/mounts && { echo "deb_test: $mnt left mounted" >&2; exit 1; }
echo "deb_test: passed in $(( $(date +%s) - t0 )) s"
