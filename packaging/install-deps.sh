#!/usr/bin/env bash
# Installs every Debian package that building, testing and running tsfs needs.
# Safe to run again: apt-get install is idempotent and nothing else is changed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config clang-format
  libfuse3-dev fuse3
  libsgutils2-dev sg3-utils
  libiscsi-dev libiscsi-bin
  libboost-program-options-dev
  libgtest-dev libgmock-dev
  tgt istgt
  mt-st cpio tar rsync coreutils python3 procps iproute2
  mandoc man-db
  clang libclang-rt-dev   # tests/fuzz: libFuzzer, ASan and UBSan runtimes
  clang-tidy
  gcovr                   # tests/coverage.sh: line and branch coverage per directory
  # the Debian package and its test (tests/packaging/deb_test.sh)
  dpkg-dev fakeroot file lintian debootstrap util-linux bsdutils bash-completion
  qemu-system-x86 qemu-block-extra busybox-static  # tests/qemu: the sg test guest
)

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Debian tgt package may start a system tgtd on port 3260; tsfs tests start
# their own private instances, so a system one is not needed (and is left alone).
# The QEMU test of the sg transport boots Debian's stock kernel: tests/qemu/guest_image.sh
# fetches it with apt-get download (never installs it) into /var/cache/tsfs-tests on first use.
if [ ! -e /dev/fuse ]; then
  echo "install-deps: warning: /dev/fuse is missing; the FUSE tests cannot mount" >&2
fi
