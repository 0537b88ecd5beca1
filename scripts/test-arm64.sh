#!/usr/bin/env bash
# Cross-compiles the test binary of every package that has tests for arm64
# (as arm64 build constraints see them)
# and runs it under qemu-aarch64-static, from the package's own directory so
# testdata/ resolves as it does natively. Generated arm64 code therefore runs
# for real in `make test`, not only encodes.
set -euo pipefail
cd "$(dirname "$0")/.."
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [ -z "$qemu" ]; then
	echo "test-arm64: qemu-aarch64-static not found (Debian package qemu-user-static; .ci/run installs it)" >&2
	exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0 pass=0
for pkg in $(GOARCH=arm64 go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	bin="$out/$(echo "$pkg" | tr / _).test"
	GOARCH=arm64 CGO_ENABLED=0 go test -c -o "$bin" "$pkg"
	if (cd "$dir" && JITKIT_QEMU=1 "$qemu" "$bin" -test.count=1 -test.timeout=10m >"$bin.log" 2>&1); then
		echo "ok   $pkg (arm64 under qemu)"
		pass=$((pass + 1))
	else
		echo "FAIL $pkg (arm64 under qemu)"
		cat "$bin.log"
		fail=$((fail + 1))
	fi
done
echo "arm64: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
