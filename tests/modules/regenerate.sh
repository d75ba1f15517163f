#!/bin/sh
# Writes app.stdout: what real Go (1.19) prints for the module in app/, run
# as `go run .` in a copy with its goToNetwork statements removed (they only
# move the flow). Expected outputs are never written by hand.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r app "$tmp/app"
grep -v "^[[:space:]]*goToNetwork " app/main.go > "$tmp/app/main.go"
(cd "$tmp/app" && go run .) > app.stdout
(cd "$tmp/app" && go run ./cmd/plain) > plain.stdout
