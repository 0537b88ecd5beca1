package vm_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
)

// gcStress makes run() collect every few kilobytes of allocation.
var gcStress bool

// run compiles and runs src as chunk name with arg[1..] = args and returns
// what it printed and the error.
func run(t testing.TB, name, src string, opts vm.Options, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	opts.Stdout = &out
	L := vm.New(opts)
	if gcStress {
		L.SetGCStress()
	}
	at := L.NewTable()
	L.RawSetInt(at, 0, L.String(name))
	for i, a := range args {
		L.RawSetInt(at, i+1, L.String(a))
	}
	L.SetGlobal("arg", at)
	_, err := L.DoString(name, src)
	L.Flush()
	return out.String(), err
}

// TestConformance runs testdata/*.lua and compares their output with the
// .out files, which Lua 5.1 produced for the same programs.
func TestConformance(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.lua")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".lua"), func(t *testing.T) {
			if gcStress && name == "gc.lua" {
				t.Skip("gc.lua measures the heap, which the stress mode keeps minimal")
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".lua") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			got, err := run(t, name, string(src), vm.Options{})
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs from Lua 5.1's\n%s", lineDiff(got, string(want)))
			}
		})
	}
}

func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			b.WriteString("line " + itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl + "\n")
		}
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// benchDir finds ../shared/bench beside the repository root.
func benchDir(t testing.TB) string {
	root := ""
	if out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
		root = strings.TrimSpace(string(out))
	} else {
		dir, _ := os.Getwd()
		for dir != "/" {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = dir
				break
			}
			dir = filepath.Dir(dir)
		}
	}
	d := filepath.Join(root, "..", "shared", "bench")
	if _, err := os.Stat(filepath.Join(d, "quick-sizes.txt")); err != nil {
		t.Skip("no ../shared/bench beside the repository")
	}
	return d
}

// TestGCStress reruns the conformance programs and the bench programs with
// a collection every few kilobytes: a missing root would show as a wrong
// result or an error.
func TestGCStress(t *testing.T) {
	gcStress = true
	defer func() { gcStress = false }()
	t.Run("conformance", TestConformance)
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		return
	}
	t.Run("bench", TestBench)
}

// TestBench runs every bench program at its quick size and compares its
// output byte for byte with NAME.quick.out.
func TestBench(t *testing.T) {
	dir := benchDir(t)
	sizes, err := os.ReadFile(filepath.Join(dir, "quick-sizes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(sizes)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		name, size := f[0], f[1]
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, name+".lua"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, name+".quick.out"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := run(t, name+".lua", string(src), vm.Options{}, size)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs:\n%s", lineDiff(got, string(want)))
			}
		})
	}
}

// TestBinarytreesBoundedHeap runs binarytrees at a larger size and checks
// that the collector keeps the object count bounded: the live data is one
// long-lived tree plus the tree being built, whatever the number of
// iterations.
func TestBinarytreesBoundedHeap(t *testing.T) {
	dir := benchDir(t)
	src, err := os.ReadFile(filepath.Join(dir, "binarytrees.lua"))
	if err != nil {
		t.Fatal(err)
	}
	size := "14"
	if testing.Short() || os.Getenv("JITKIT_QEMU") == "1" {
		size = "12"
	}
	var out bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	at := L.NewTable()
	L.RawSetInt(at, 1, L.String(size))
	L.SetGlobal("arg", at)
	peak := 0
	L.Register("probe", func(L *vm.State) (int, error) {
		if n := L.ObjectCount(); n > peak {
			peak = n
		}
		return 0, nil
	})
	// probe after every tree built in the main loop
	prog := strings.Replace(string(src), "c = c + check(bottomUp(depth))", "c = c + check(bottomUp(depth)); probe()", 1)
	if prog == string(src) {
		t.Fatal("could not instrument binarytrees.lua")
	}
	if _, err := L.DoString("binarytrees.lua", prog); err != nil {
		t.Fatal(err)
	}
	// A tree of depth d has 2^(d+1)-1 tables. Count what the program
	// allocates in total; the live data at any time is at most the
	// long-lived tree plus one tree being built (2 * 2^(n+1)), so with the
	// collector's 2x trigger and its minimum heap the peak must stay a
	// small multiple of that, far below the total.
	n := 14
	if size == "12" {
		n = 12
	}
	tree := func(d int) int { return 1<<(d+1) - 1 }
	total := tree(n+1) + tree(n)
	for d := 4; d <= n; d += 2 {
		total += (1 << (n - d + 4)) * tree(d)
	}
	limit := 4*2*tree(n) + 100000
	if peak == 0 || peak > limit || peak > total/5 {
		t.Fatalf("peak object count %d (limit %d), total allocated %d: heap not bounded", peak, limit, total)
	}
	t.Logf("peak objects %d of about %d allocated; collections %d", peak, total, L.GCCount())
}

// BenchmarkPrograms runs each bench program at its quick size (or, with
// DEMOLANG_BENCH_SIZE=default, at its default size).
func BenchmarkPrograms(b *testing.B) {
	dir := benchDir(b)
	sizes, err := os.ReadFile(filepath.Join(dir, "quick-sizes.txt"))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(sizes)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		name, size := f[0], f[1]
		var args []string
		if os.Getenv("DEMOLANG_BENCH_SIZE") != "default" {
			args = []string{size}
		}
		src, err := os.ReadFile(filepath.Join(dir, name+".lua"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := run(b, name+".lua", string(src), vm.Options{}, args...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
