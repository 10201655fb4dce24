#!/usr/bin/env bash
# Black-box test of tsfs-target: start each target, reach it, stop it, no daemon left.
# Usage: tsfs_target_test.sh PATH/TO/tsfs-target
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

skipped=0
for kind in tgtd istgt; do
  uri_file="$work/uri-$kind"
  "$bin" start "$kind" --size 20 >"$uri_file" 2>"$work/err" &
  pid=$!
  for _ in $(seq 100); do [ -s "$uri_file" ] && break; sleep 0.05; done
  if ! [ -s "$uri_file" ]; then
    wait "$pid" && rc=0 || rc=$?
    if [ "$rc" = 77 ] && [ "${CI:-}" != true ]; then echo "SKIP $kind: $(cat "$work/err")"; skipped=1; continue; fi
    echo "FAIL $kind did not start (exit $rc): $(cat "$work/err")"; exit 1
  fi
  uri=$(head -1 "$uri_file")
  case "$uri" in iscsi://127.0.0.1:*) ;; *) echo "FAIL $kind: bad URI '$uri'"; exit 1 ;; esac
  port=${uri#iscsi://127.0.0.1:}; port=${port%%/*}
  if command -v iscsi-inq >/dev/null; then
    iscsi-inq "$uri" | grep -q SEQUENTIAL_ACCESS || { echo "FAIL $kind: not a tape at $uri"; exit 1; }
  fi
  kill -TERM "$pid"
  wait "$pid" || { echo "FAIL $kind: exit status $? after SIGTERM"; exit 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "FAIL $kind: something still listens on $port"; exit 1
  fi
  echo "ok $kind $uri"
done
[ "$skipped" = 0 ] || exit 77
