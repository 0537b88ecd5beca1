package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.b")
	if err := os.WriteFile(f, []byte("++++++++[>++++++++<-]>+."), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{f}, {"-j=false", f}, {"-jinterp", "-jstress", "all", "-O", "hotloop=2", f}} {
		if code := run(args); code != 0 {
			t.Errorf("run(%q) = %d", args, code)
		}
	}
	for _, args := range [][]string{{}, {"-jstress", "bogus", f}, {"-O", "nosuch=1", f}, {filepath.Join(dir, "missing.b")}} {
		if code := run(args); code == 0 {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
