#!/bin/sh
# Regenerates vN/lines.stdout for every version of the deployed program with
# real Go (tests/deploy.rs compares every flow's output with them).
set -e
cd "$(dirname "$0")"
for dir in v*/; do
	(cd "$dir" && go run lines.go) > "${dir}lines.stdout"
done
