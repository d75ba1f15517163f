#!/bin/sh
# Regenerates NAME.stdout for every NAME.go of a directory (this one, or the
# one given: tests/nats/regenerate.sh passes its own) with real Go: the
# program with its goToNetwork statements removed (they only move the flow).
set -e
cd "${1:-$(dirname "$0")}"
tmp=$(mktemp -d)
for prog in *.go; do
	name=${prog%.go}
	mkdir -p "$tmp/$name"
	grep -v "^[[:space:]]*goToNetwork " "$prog" > "$tmp/$name/main.go"
	(cd "$tmp/$name" && go run main.go) > "$name.stdout"
done
rm -rf "$tmp"
