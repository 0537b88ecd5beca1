package vm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
)

// FuzzRun runs arbitrary programs under an instruction and a memory limit:
// whatever the input, the VM must return (a result or an error) without a
// Go panic reaching the caller and without an internal error (a Go runtime
// panic converted at the API boundary).
func FuzzRun(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.lua")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	for _, s := range []string{
		"local t = {} for i = 1, 10 do t[i] = i end return #t",
		"local function f(...) return select('#', ...), ... end return f(1, nil, 3)",
		"return ('x'):rep(10):gsub('x', function(c) return c .. c end)",
		"local mt = {__index = function(t, k) return k end} return setmetatable({}, mt).foo",
		"local a = setmetatable({}, {__call = function(self, x) return x end}) return a(5)",
		"return pcall(error, {})",
		"local s = 0 for k, v in pairs({1, 2, a = 3}) do s = s + v end return s",
		"return string.format('%5.2f %d %s %q', 1.5, 3, 'x', 'y')",
		"local t = {5, 3, 1} table.sort(t, function(a, b) return a > b end) return t[1]",
		"while true do end",
		"local function r() return r() end return r()",
		"local function r() return 1 + r() end return r()",
		"local t = {} for i = 1, 1e9 do t[i] = {} end",
		"return 1 .. {}",
		"x = nil; x.y = 1",
		"return ({...})[1], select(-1, 1, 2)",
		"for i = 1, 3 do local f = function() return i end end return #arg",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		L := vm.New(vm.Options{
			Stdout:           discard{},
			Stdin:            strings.NewReader("1 2 3\nline\n"),
			InstructionLimit: 200000,
			MemoryLimit:      8 << 20,
			MaxFrames:        5000,
		})
		_, err := L.DoString("fuzz", src)
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("internal error for %q: %v", src, err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
