#!/usr/bin/env bash
# Builds the Debian package tsfs_VERSION-1_ARCH.deb with CPack, as a Debian
# packager would build it: the compiler flags of dpkg-buildflags (hardening
# included), no -Werror, /usr prefix, stripped binaries, Depends from
# dpkg-shlibdeps plus fuse3.
# Usage: packaging/build-deb.sh [OUTPUT_DIR]   (default build-deb/; prints the .deb path)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-deb}
for tool in cmake cpack dpkg-buildflags dpkg-shlibdeps fakeroot; do
  command -v "$tool" > /dev/null || { echo "build-deb: $tool is missing (packaging/install-deps.sh)" >&2; exit 1; }
done
# CMake reads CFLAGS, CXXFLAGS and LDFLAGS from the environment but not
# CPPFLAGS, which holds -D_FORTIFY_SOURCE=2: put it in front of the others.
eval "$(dpkg-buildflags --export=sh)"
export CFLAGS="$CPPFLAGS $CFLAGS" CXXFLAGS="$CPPFLAGS $CXXFLAGS"
launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
# Build type None: the flags are dpkg-buildflags' alone (as dh_auto_configure does).
cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
  -DTSFS_BUILD_TESTS=OFF -DTSFS_WERROR=OFF "${launcher[@]}" > "$out.configure.log" ||
  { cat "$out.configure.log" >&2; exit 1; }
cmake --build "$out" -j"$(nproc)"
rm -f "$out"/tsfs_*.deb
(cd "$out" && fakeroot cpack -G DEB > cpack.log) || { cat "$out/cpack.log" >&2; exit 1; }
ls "$(cd "$out" && pwd)"/tsfs_*.deb
