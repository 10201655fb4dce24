#!/usr/bin/env bash
# Makes a fresh Debian 12 (bookworm) root in DIR for the package test.
# Usage: tests/packaging/debian12_root.sh DIR
#
# The first run on a machine calls debootstrap (minbase) and keeps the result
# as a tarball in /var/cache/tsfs-tests (TSFS_TEST_CACHE overrides); later runs
# unpack that tarball, so every test still starts from an untouched root.
# Only Debian's archive is used: the mirror and the apt sources of the root are
# taken from this machine's own Debian sources (deb.debian.org and its
# security suite), nothing else.
set -euo pipefail
dir=${1:?usage: debian12_root.sh DIR}
cache=${TSFS_TEST_CACHE:-/var/cache/tsfs-tests}
tarball=$cache/debian12-minbase.tar
mkdir -p "$cache"

# The Debian mirror this machine uses (first deb.debian.org-like URI of bookworm).
mirror_of_host() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
          /etc/apt/sources.list.d/*.list 2>/dev/null |
        grep -oE 'https?://[^ ]*/debian/?' | grep -v -- '-security' | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if [ ! -s "$tarball" ]; then
  # One builder at a time; a second run waits and then uses the tarball.
  exec 8>"$cache/.lock"
  flock 8
  if [ ! -s "$tarball" ]; then
    mirror=$(mirror_of_host)
    work=$(mktemp -d "$cache/bootstrap.XXXXXX")
    echo "debian12_root: debootstrap bookworm from $mirror (first run on this machine)" >&2
    start=$(date +%s)
    debootstrap --variant=minbase bookworm "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log" >&2; rm -rf "$work"; exit 1; }
    rm -rf "$work/root/var/cache/apt/archives/"*.deb
    tar -C "$work/root" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$work"
    echo "debian12_root: debootstrap took $(( $(date +%s) - start )) s" >&2
  fi
  exec 8>&-
fi

mkdir -p "$dir"
tar -C "$dir" -xf "$tarball"
# apt sources: this machine's Debian suites only (no third-party repositories).
rm -f "$dir/etc/apt/sources.list" "$dir/etc/apt/sources.list.d/"*
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  if grep -qE '^[^#]*debian\.org' "$f" && ! grep -qE '^[^#]*(google|nodesource)' "$f"; then
    cp "$f" "$dir/etc/apt/sources.list.d/"
  fi
done
if ! ls "$dir/etc/apt/sources.list.d/"* > /dev/null 2>&1; then
  echo "deb $(mirror_of_host) bookworm main" > "$dir/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$dir/etc/resolv.conf"
