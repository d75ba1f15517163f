#!/bin/sh
# Regenerates NAME.stdout for every tests/nats/NAME.go with real Go, as
# tests/split/regenerate.sh does for its own programs.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../split/regenerate.sh" "$here"
