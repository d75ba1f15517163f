#!/bin/sh
# Regenerates NAME.expected for every tests/cli/traces/NAME.go with real Go:
# the goroutine trace of its panic (from `goroutine ` up to the first empty
# line), normalised as tests/traces.rs normalises g2n's: a frame's
# arguments dropped (`main.depth(0x0, {...})` -> `main.depth`), a file line
# cut to its base name and line (`\t/tmp/x/recursion.go:9 +0x53` ->
# `\trecursion.go:9`).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
for prog in *.go; do
	name=${prog%.go}
	mkdir -p "$tmp/$name"
	cp "$prog" "$tmp/$name/$prog"
	(cd "$tmp/$name" && go mod init "$name" >/dev/null 2>&1 && go build -o prog .)
	set +e
	"$tmp/$name/prog" > /dev/null 2> "$tmp/err"
	set -e
	sed -n '/^goroutine /,/^$/p' "$tmp/err" | sed '/^$/d' \
		| sed 's/([^()]*)$//' \
		| sed 's|^\t.*/\([^/]*:[0-9]*\).*$|\t\1|' > "$name.expected"
done
rm -rf "$tmp"
