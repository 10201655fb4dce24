#!/usr/bin/env bash
# The bash completion of tstape and tsfs (packaging/completion), driven as
# bash drives it: COMP_WORDS/COMP_CWORD set, the function called, COMPREPLY
# checked. Without bash-completion installed (its fallback path) and, when
# /usr/share/bash-completion/bash_completion exists, with it.
# Usage: tests/packaging/completion_test.sh COMPLETION_DIR
set -uo pipefail
dir=${1:?usage: completion_test.sh COMPLETION_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[unit.0]\ndevice = /dev/sg9\n\n[unit.3]  # lab drive\ndevice = vtape:/x.tap\n' > "$tmp/c.conf"
touch "$tmp/a.tap" "$tmp/b.txt"
mkdir "$tmp/mnt"

run() {  # run LOADER WORDS... : prints COMPREPLY sorted, one a line
  local loader=$1
  shift
  bash --norc -c '
    [ -n "$1" ] && . "$1"
    . "$2/tstape"; . "$2/tsfs"
    shift 2
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    if [ "$1" = tsfs ]; then _tsfs; else _tstape; fi
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$loader" "$dir" "$@"
}

failures=0
expect() {  # expect "WANTED (lines joined by spaces)" LOADER WORDS...
  local want=$1
  shift
  local got
  got=$(run "$@" | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" != "$want" ]; then
    echo "FAIL: ${*:2}: got '$got', want '$want'" >&2
    failures=$((failures + 1))
  fi
}

loaders=("")
[ -r /usr/share/bash-completion/bash_completion ] && loaders+=(/usr/share/bash-completion/bash_completion)
for l in "${loaders[@]}"; do
  expect "list" "$l" tstape li
  expect "mkvtape mt" "$l" tstape m
  expect "--config" "$l" tstape --con
  expect "--json" "$l" tstape list --js
  expect "--capacity" "$l" tstape mkvtape --cap
  # Units of the configuration file, before or after the command.
  expect "rts0 rts11 rts3 rts8" "$l" tstape --config "$tmp/c.conf" list rts
  expect "rts0 rts11 rts3 rts8" "$l" tstape status --config "$tmp/c.conf" rts
  expect "eod erase" "$l" tstape mt rts0 e
  expect "$tmp/a.tap" "$l" tstape list "$tmp/a"
  expect "vtape:$tmp/a.tap" "$l" tstape dump "vtape:$tmp/a"
  # tsfs: source, mount point, -o options.
  expect "rts0 rts11 rts3 rts8" "$l" tsfs -o "config=$tmp/c.conf" rts
  expect "$tmp/mnt/" "$l" tsfs rts0 "$tmp/m"
  expect "norewind" "$l" tsfs rts0 "$tmp/mnt" -o nor
  expect "ro,norewind" "$l" tsfs rts0 "$tmp/mnt" -o ro,nor
  expect "--help --version" "$l" tsfs --
done
[ "$failures" -eq 0 ] && echo "completion: ${#loaders[@]} way(s), all expected" 
exit $((failures > 0))
