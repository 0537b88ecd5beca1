# jitkit: the two commands that matter are `make run` and `make test`.
GO      ?= go
FILE    ?= ../shared/bench/fib.lua
export CGO_ENABLED := 0

.PHONY: all build test test-amd64 test-arm64 lint bench bench-quick bench-peers run clean

all: build

build:
	$(GO) build ./...
	$(GO) build -o bin/demolang ./demo-lang/cmd/demolang

# test is everything CI runs: lint, the tests natively, and the tests of
# every package again as arm64 binaries under qemu-aarch64-static.
test: lint test-amd64 test-arm64

test-amd64:
	$(GO) test -count=1 ./...

test-arm64:
	./scripts/test-arm64.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

bench: build
	./scripts/bench.sh

bench-quick: build
	./scripts/bench.sh -quick

run: build
	./bin/demolang $(FILE)

clean:
	rm -rf bin

# bench-peers installs LuaJIT, Lua 5.1, Lua 5.4 and valgrind (apt-get) and
# builds gopher-lua, so that `make bench` can compare against all of them.
bench-peers:
	./scripts/bench-peers.sh
