package emit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// TestPerfMap installs a block, names it, and reads the line back in the
// format perf parses.
func TestPerfMap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("perf maps are a Linux convention")
	}
	m := emit.NewMem(0)
	defer m.Close()
	blk, err := m.Load([]byte{0xc3, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "perf-1.map")
	pm := emit.OpenPerfMap(path)
	if err := pm.AddBlock(blk, "demolang:TRACE_1:loop.lua:3"); err != nil {
		t.Fatal(err)
	}
	// Flushed at once: readable before Close.
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%x %x demolang:TRACE_1:loop.lua:3\n", blk.Addr, blk.Size)
	if string(got) != want {
		t.Fatalf("map = %q, want %q", got, want)
	}
	// Appends, also after Close; a newline in a name cannot split a line.
	if err := pm.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pm.Add(blk.Addr+16, 32, "two\nlines"); err != nil {
		t.Fatal(err)
	}
	pm.Close()
	got, _ = os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != 2 || lines[1] != fmt.Sprintf("%x 20 two lines", blk.Addr+16) {
		t.Fatalf("lines = %q", lines)
	}
	var a, n uint64
	var name string
	if _, err := fmt.Sscanf(lines[0], "%x %x %s", &a, &n, &name); err != nil || uintptr(a) != blk.Addr || int(n) != blk.Size {
		t.Fatalf("parse %q: %v", lines[0], err)
	}
}

// TestPerfMapErrors: a bad size and an unwritable path are errors, not
// panics, and the path error sticks.
func TestPerfMapErrors(t *testing.T) {
	pm := emit.OpenPerfMap(filepath.Join(t.TempDir(), "no", "such", "dir", "x.map"))
	if err := pm.Add(0x1000, 0, "x"); err == nil {
		t.Error("size 0 accepted")
	}
	if err := pm.Add(0x1000, 16, "x"); err == nil {
		t.Error("unwritable path accepted")
	}
	if err := pm.Add(0x1000, 16, "y"); err == nil {
		t.Error("second Add after an error succeeded")
	}
	if got := emit.PerfMapPath(42); got != "/tmp/perf-42.map" {
		t.Errorf("PerfMapPath(42) = %q", got)
	}
}

// ExamplePerfMap names a block of generated code for Linux perf.
func ExamplePerfMap() {
	dir, _ := os.MkdirTemp("", "perfmap")
	defer os.RemoveAll(dir)
	pm := emit.OpenPerfMap(filepath.Join(dir, "perf-1234.map"))
	defer pm.Close()
	pm.Add(0x7f0000001000, 0x40, "demolang:TRACE_1:loop.lua:3")
	b, _ := os.ReadFile(pm.Path())
	fmt.Print(string(b))
	// Output:
	// 7f0000001000 40 demolang:TRACE_1:loop.lua:3
}
