#!/bin/sh
# Manual smoke test of the staticlib with the documented link line: two C files
# stand in for compiled nanoservices (the seed's hello / print-hello-world).
# Run from the repo root after `CARGO_TARGET_DIR=target-runtime cargo build -p g2n-runtime`.
# Loopback only. Prints "starting\nHello World!" and exits 0.
set -eu
LIB=${LIB:-target-runtime/debug/libg2n_runtime.a}
D=$(mktemp -d)
for p in hello print; do
  cc -c crates/runtime/tests/c-link/$p.c -o $D/$p.o
  cc $D/$p.o "$LIB" -o $D/$p -Wl,--gc-sections -s -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
done
cat > $D/serve.json <<J
{"role":"serve","listen":"127.0.0.1:0","ready_file":"$D/ready","accept":[{"username":"hello-world-practice","password":"monkey"}]}
J
G2N_RUNTIME=$D/serve.json $D/print & SP=$!
trap 'kill $SP; rm -rf $D' EXIT
for i in $(seq 100); do [ -f $D/ready ] && break; sleep 0.05; done
cat > $D/origin.json <<J
{"routes":{"print-hello-world":{"addr":"$(cat $D/ready)","username":"hello-world-practice","password":"monkey"}}}
J
G2N_RUNTIME=$D/origin.json $D/hello
