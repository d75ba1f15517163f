#!/bin/sh
# Regenerates NAME.expected for every tests/cli/traces/NAME.go with real Go:
# the goroutine trace of its panic (from `goroutine ` up to the first empty
# line), normalised only where a run differs from the next: a frame's
# arguments (values and addresses) dropped (`main.depth(0x0, {...})` ->
# `main.depth`), a file line's code offset dropped and the directory the
# program was built in written DIR (`\t/tmp/x/recursion/recursion.go:9 +0x53`
# -> `\tDIR/recursion.go:9`); tests/traces.rs normalises g2n's the same way,
# with DIR the program's absolute directory.
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
		| sed 's| +0x[0-9a-f]*$||' \
		| sed "s|^\t$tmp/$name/|\tDIR/|" > "$name.expected"
done
rm -rf "$tmp"
