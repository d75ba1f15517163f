#!/bin/sh
# Writes NAME.stdout and NAME.exitcode for every program directory NAME/ here
# by building it with the real Go toolchain (Go 1.19), as `go build` builds a
# directory of package main (its _test.go files left out), and running it with
# NAME.stdin as its standard input (none: empty). Expected outputs are never
# written by hand.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in */; do
    name=${dir%/}
    files=$(ls "$name"/*.go | grep -v '_test\.go$')
    # shellcheck disable=SC2086
    go build -o "$tmp/$name" $files
    code=0
    input=/dev/null
    if [ -f "$name.stdin" ]; then input=$name.stdin; fi
    "$tmp/$name" < "$input" > "$name.stdout" 2> /dev/null || code=$?
    echo "$code" > "$name.exitcode"
    echo "$name: exit $code"
done
