#!/usr/bin/env bash
# Regenerates the expected outputs of every program here with the real Go
# toolchain (go build, then run the binary, so exit codes are the program's own).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
for program in *.go; do
  name=${program%.go}
  go build -o "$tmp/$name" "$program"
  set +e
  "$tmp/$name" > "$name.stdout" 2> /dev/null
  echo $? > "$name.exitcode"
  set -e
done
rm -rf "$tmp"
