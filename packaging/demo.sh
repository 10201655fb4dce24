#!/usr/bin/env bash
# The first command on a fresh machine: install the dependencies, build tsfs,
# make a virtual tape, mount it, copy a file on and off, and show the tape.
# Usage: packaging/demo.sh [WORKDIR]   (default /tmp/tsfs-demo)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/tsfs-demo}

packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

TSFS=$PWD/build/fusefs/tsfs
TSTAPE=$PWD/build/tapecore/tstape/tstape
mkdir -p "$WORK/mnt"
TAPE=$WORK/demo.tap
mountpoint -q "$WORK/mnt" && fusermount3 -u "$WORK/mnt"
rm -f "$TAPE"

say() { printf '\n$ %s\n' "$*"; }
run() { say "$*"; "$@"; }

run "$TSTAPE" mkvtape "$TAPE" --capacity 44M
run "$TSFS" "vtape:$TAPE" "$WORK/mnt"
head -c 100000 /dev/urandom >"$WORK/original.bin"
run cp "$WORK/original.bin" "$WORK/mnt/file000"
run tar -cf "$WORK/mnt/file001" -C "$PWD" README.md man
run ls -l "$WORK/mnt"
run cp "$WORK/mnt/file000" "$WORK/copy.bin"
# The tape file is padded with zeros to a whole 512-byte block (ts rule).
say cmp -n 100000 "$WORK/original.bin" "$WORK/copy.bin"
cmp -n 100000 "$WORK/original.bin" "$WORK/copy.bin" && echo "identical (first 100000 bytes; the rest is zero padding)"
run tar -tf "$WORK/mnt/file001"
run mt -f "$WORK/mnt" rewind
run fusermount3 -u "$WORK/mnt"
# The unmount returns before tsfs has rewound the tape and let go of it
# (tsfs(8), UNMOUNTING); flock waits until the image is free.
run flock "$TAPE" true
run "$TSTAPE" list "vtape:$TAPE"
run "$TSTAPE" dump "$TAPE"

# A tape library: 8 slots, 2 drives, one directory per cartridge (volume tag).
LIB=$WORK/lib
SOURCE="vtlib:$LIB?drives=2&slots=8"
mkdir -p "$WORK/libmnt"
mountpoint -q "$WORK/libmnt" && fusermount3 -u "$WORK/libmnt"
rm -rf "$LIB" "$WORK/catalogs" "$WORK/lib.log"
run "$TSTAPE" mklib "$LIB" --slots 8 --drives 2 --cartridges 6
# catalog_dir: the demo's own (cartridges of every run are called LIB001...);
# the log of the detached tsfs goes to lib.log.
run "$TSFS" "$SOURCE" "$WORK/libmnt" -o catalog_dir="$WORK/catalogs" 2>>"$WORK/lib.log"
run ls "$WORK/libmnt"
# Each copy loads its cartridge into a drive (the robot's move).
run cp "$WORK/original.bin" "$WORK/libmnt/LIB001/file000"
run tar -cf "$WORK/libmnt/LIB002/file000" -C "$PWD" README.md
run ls -l "$WORK/libmnt/LIB001" "$WORK/libmnt/LIB002"
# Unmount puts the cartridges back in their slots; tsfs logs "unmounted"
# once they are and it has let go of the library.
run fusermount3 -u "$WORK/libmnt"
for _ in $(seq 100); do grep -q unmounted "$WORK/lib.log" && break; sleep 0.1; done
say grep "'robot moved'" "$WORK/lib.log"
grep 'robot moved' "$WORK/lib.log"
run "$TSTAPE" changer "$SOURCE" status
run "$TSTAPE" list "vtape:$LIB/LIB002.tap"
echo
echo "demo done: the tape image is $TAPE, the library $LIB"
