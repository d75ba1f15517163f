#!/usr/bin/env bash
# Re-derives the `// ERROR "regexp"` annotation of every program of the error
# corpus from the real Go toolchain (Go 1.19: `apt-get install golang-go`).
#
# For each CATEGORY/NAME.go: remove its annotation, run `go build` on it (and
# `go vet` if it builds), take the FIRST error Go reports, and append
#   // ERROR "<the message, regexp-escaped, as a Go string literal>"
# to the line Go reports it on, as Go's own test suite does (test/*.go). The
# annotated file is checked again: Go must report the same first error on the
# same line, or the script fails. A program that Go accepts is an error too.
#
# Usage: tests/errors/regenerate.sh            (every case, 2 jobs)
#        tests/errors/regenerate.sh FILE.go... (just these)
# Never edit an annotation by hand: change the program and rerun this.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

if [ $# -eq 0 ]; then
  cd "$here"
  find . -mindepth 2 -name '*.go' -print0 | sort -z | xargs -0 -P 2 -n 16 "$here/regenerate.sh"
  exit $?
fi

command -v go > /dev/null || { echo "regenerate.sh: needs the Go toolchain (apt-get install -y golang-go)" >&2; exit 2; }

# First Go error of FILE as "LINE<TAB>MESSAGE", empty if Go accepts it.
first_error() {
  local dir file out
  dir=$(dirname "$1")
  file=$(basename "$1")
  out=$(cd "$dir" && GOFLAGS= GO111MODULE=off go build -o /dev/null "$file" 2>&1) || true
  if [ -z "$(printf '%s\n' "$out" | grep -E "^(\./)?${file//./\\.}:[0-9]+" || true)" ]; then
    out=$(cd "$dir" && GOFLAGS= GO111MODULE=off go vet "$file" 2>&1 | sed -E 's/^vet: //') || true
  fi
  printf '%s\n' "$out" \
    | sed -nE "s/^(\.\/)?${file//./\\.}:([0-9]+)(:[0-9]+)?: (.*)$/\2\t\4/p" \
    | head -n 1
}

status=0
for case in "$@"; do
  case=$(cd "$(dirname "$case")" && pwd)/$(basename "$case")
  # Drop a previous annotation (always the last thing on its line).
  sed -i -E 's@ // ERROR ".*"$@@' "$case"
  found=$(first_error "$case")
  if [ -z "$found" ]; then
    echo "regenerate.sh: ${case#"$here"/}: Go reports no error with a position; not an error case" >&2
    status=1
    continue
  fi
  line=${found%%$'\t'*}
  message=${found#*$'\t'}
  # Regexp-escape, then write as a Go double-quoted string.
  regexp=$(printf '%s' "$message" | sed -e 's/[][\\.*+?(){}|^$]/\\&/g')
  quoted=$(printf '%s' "$regexp" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
  ANNOTATION="$quoted" awk -v n="$line" 'NR == n { $0 = $0 " // ERROR \"" ENVIRON["ANNOTATION"] "\"" } { print }' \
    "$case" > "$case.tmp"
  # awk ends every line with a newline; keep a file that had none without one
  # (an unexpected EOF must stay on the annotated line).
  if [ -n "$(tail -c 1 "$case")" ]; then truncate -s -1 "$case.tmp"; fi
  mv "$case.tmp" "$case"
  again=$(first_error "$case")
  if [ "$again" != "$found" ]; then
    echo "regenerate.sh: ${case#"$here"/}: annotating changed Go's first error: '$found' -> '$again'" >&2
    status=1
  fi
done
exit $status
