#!/bin/sh
# Regenerates NAME.expected for every tests/cli/panics/NAME.go with real Go:
# for each case the program takes as its last argument (listed on the
# program's `// cases:` line), its stdout, the head of its stderr (up to
# the first empty line: the panic lines, before the goroutine traceback)
# and its exit code.
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
for prog in *.go; do
	name=${prog%.go}
	mkdir -p "$tmp/$name"
	cp "$prog" "$tmp/$name/main.go"
	(cd "$tmp/$name" && go mod init "$name" >/dev/null 2>&1 && go build -o prog .)
	: > "$name.expected"
	for case in $(sed -n 's|^// cases: ||p' "$prog"); do
		set +e
		"$tmp/$name/prog" "$case" > "$tmp/out" 2> "$tmp/err"
		code=$?
		set -e
		{
			echo "== $case"
			cat "$tmp/out"
			sed '/^$/q' "$tmp/err" | sed '/^$/d'
			echo "exit $code"
		} >> "$name.expected"
	done
done
rm -rf "$tmp"
