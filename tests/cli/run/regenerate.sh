#!/bin/sh
# Writes NAME.stdout and NAME.exitcode for the given tests/cli/run/NAME.go
# programs (all of them when none is given) by building and running each with
# the real Go toolchain (Go 1.19: `apt-get install golang-go`). Expected
# outputs are never written by hand.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$#" -eq 0 ]; then set -- *.go; fi
for program in "$@"; do
    name=${program%.go}
    go build -o "$tmp/$name" "$name.go"
    code=0
    "$tmp/$name" > "$name.stdout" 2> /dev/null || code=$?
    echo "$code" > "$name.exitcode"
    echo "$name: exit $code"
done
