#!/usr/bin/env bash
# make bench / make bench-quick: builds the peers that can be built here
# (gopher-lua from its own module in bench/peers), then runs the harness.
# Arguments are passed to bench/cmd/jitbench (-quick, -n, -programs, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/peers/bin
if [ ! -x bench/peers/bin/gopherlua ]; then
	(cd bench/peers && CGO_ENABLED=0 go build -o bin/gopherlua ./gopherlua) ||
		echo "bench: gopher-lua could not be built; it is left out" >&2
fi
callgrind=""
case " $* " in *" -quick "*) ;; *) callgrind="-callgrind" ;; esac
exec go run ./bench/cmd/jitbench $callgrind "$@"
