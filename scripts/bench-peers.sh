#!/usr/bin/env bash
# make bench-peers: installs the implementations the benchmark suite compares
# against — luajit, lua5.1 and lua5.4 from Debian, valgrind for instruction
# counts, and gopher-lua built from its Go module (bench/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in luajit lua5.1 lua5.4 valgrind; do command -v "$p" >/dev/null || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
mkdir -p bench/peers/bin
(cd bench/peers && CGO_ENABLED=0 go build -o bin/gopherlua ./gopherlua)
echo "peers: $(for p in luajit lua5.1 lua5.4 bench/peers/bin/gopherlua; do command -v $p >/dev/null || [ -x $p ] && printf '%s ' $p; done)"
