package jit

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// htmlLoop has a hot loop whose branch exits often enough to get a side
// trace.
const htmlLoop = `local s = 0
for i = 1, 3000 do
  if i % 3 == 0 then s = s + i else s = s - 1 end
end
print(s)
`

// htmlRun runs src under a Config with args (-jdump=html=... among them)
// and returns the page, the traces and the counters as the page saw them.
func htmlRun(t *testing.T, src string, args ...string) (string, []vm.TraceInfo, vm.JITStats) {
	t.Helper()
	c, err := NewConfig()
	if err != nil {
		t.Fatal(err)
	}
	c.Stress = guard.Stress{}
	file := filepath.Join(t.TempDir(), "page.html")
	for _, a := range append(args, "-jdump=html="+file) {
		if ok, err := c.Flag(a, nil); !ok || err != nil {
			t.Fatalf("%s: %v %v", a, ok, err)
		}
	}
	var out, diag bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	c.Attach(L, &diag)
	c.AddSource("loop.lua", src)
	if _, err := L.DoString("loop.lua", src); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	traces, stats := L.JITTraces(), L.JITStats()
	c.Finish(L, &diag)
	if want := "jit: trace dump written to " + file + "\n"; diag.String() != want {
		t.Fatalf("diagnostics %q, want %q", diag.String(), want)
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(page), traces, stats
}

// section returns the page's section of trace id.
func section(t *testing.T, page string, id int) string {
	t.Helper()
	start := strings.Index(page, `<section class="trace" id="trace-`+strconv.Itoa(id)+`"`)
	if start < 0 {
		t.Fatalf("no section for trace %d", id)
	}
	end := strings.Index(page[start:], "</section>")
	if end < 0 {
		t.Fatalf("section of trace %d not closed", id)
	}
	return page[start : start+end]
}

// TestHTMLDumpPage checks the page of a loop with a side trace: a section
// per trace with its bytecode and source, IR, snapshots, machine code and
// live-range chart; the tree shows the side trace on its parent's exit,
// and the counts in the tree add up to the run's counters.
func TestHTMLDumpPage(t *testing.T) {
	if NativeBackend() == nil {
		t.Skip("no machine-code backend on this host")
	}
	page, traces, stats := htmlRun(t, htmlLoop, "-Ohotloop=5")
	if len(traces) < 2 || stats.SideTraces < 1 {
		t.Fatalf("want a root and a side trace, got %d traces (%d side)", len(traces), stats.SideTraces)
	}
	if n := strings.Count(page, `<section class="trace"`); n != len(traces) {
		t.Errorf("%d trace sections, want %d", n, len(traces))
	}
	var side *vm.TraceInfo
	for i := range traces {
		tr := &traces[i]
		if tr.Parent != 0 && side == nil {
			side = tr
		}
		sec := section(t, page, tr.ID)
		for _, want := range []string{
			`<table class="bc mono">`, "if i % 3 == 0 then s = s + i else s = s - 1 end",
			`<table class="ir mono">`, "SLOAD", "SNAP",
			`<table class="snaps">`, `<pre class="mcode">`,
			`<svg class="live"`, "Allocation listing",
		} {
			if !strings.Contains(html.UnescapeString(sec), want) {
				t.Errorf("trace %d: section lacks %q", tr.ID, want)
			}
		}
		// One IR row per live instruction, one bytecode row per
		// recorded bytecode, one live-range row per allocated value.
		irRows := 0
		for r := irkit.First; r < tr.IR.Next(); r++ {
			if tr.IR.Ins(r).Op != irkit.NOP {
				irRows++
			}
		}
		if n := strings.Count(sec, "<tr class=\"ins\" data-ref=") + strings.Count(sec, "<tr class=\"loop\" data-ref="); n != irRows {
			t.Errorf("trace %d: %d IR rows, want %d", tr.ID, n, irRows)
		}
		if n := strings.Count(sec, "<tr data-bc="); n != len(tr.Bytecodes) {
			t.Errorf("trace %d: %d bytecode rows, want %d", tr.ID, n, len(tr.Bytecodes))
		}
		a := tr.Code.(AllocReporter).Allocation()
		if a == nil || len(a.Ranges) == 0 {
			t.Fatalf("trace %d: no allocation kept", tr.ID)
		}
		if n := strings.Count(sec, "<g data-ref="); n != len(a.Ranges) {
			t.Errorf("trace %d: %d live-range rows, want %d", tr.ID, n, len(a.Ranges))
		}
		if !strings.Contains(sec, "&rarr; exit #") {
			t.Errorf("trace %d: no branch to an exit stub marked in the machine code", tr.ID)
		}
	}
	if side == nil {
		t.Fatal("no side trace")
	}
	// The tree: the side trace hangs under its parent's exit, with the
	// number of exits taken there.
	tree := page[strings.Index(page, `<div id="tree">`):strings.Index(page, `<section class="trace"`)]
	parent := traces[0]
	for _, tr := range traces {
		if tr.ID == side.Parent {
			parent = tr
		}
	}
	exitRE := regexp.MustCompile(`exit #(\d+) \(([^)]*)\)</span>: <span class="count">(\d+)</span> taken`)
	want := regexp.QuoteMeta("exit #"+strconv.Itoa(side.ParentExit)+" ("+snapWhere(&parent, side.ParentExit)+`)</span>: <span class="count">`+
		strconv.FormatInt(parent.Exits[side.ParentExit], 10)+`</span> taken`) +
		`(?: <span class="badge">then linked in machine code</span>)?` +
		regexp.QuoteMeta(` &rarr;`+"\n"+`<ul class="tree">`+"\n"+`<li><a href="#trace-`+strconv.Itoa(side.ID)+`">Trace `+strconv.Itoa(side.ID)+`</a> side of `+
			strconv.Itoa(side.Parent)+"/"+strconv.Itoa(side.ParentExit))
	if !regexp.MustCompile(want).MatchString(tree) {
		t.Errorf("tree lacks the side trace on its exit:\n%s\nin:\n%s", want, tree)
	}
	if parent.Exits[side.ParentExit] == 0 {
		t.Errorf("the side trace's exit was taken 0 times")
	}
	var exits int64
	for _, m := range exitRE.FindAllStringSubmatch(tree, -1) {
		n, _ := strconv.ParseInt(m[3], 10, 64)
		exits += n
	}
	if exits != stats.Exits {
		t.Errorf("exits in the tree add up to %d, the run counted %d", exits, stats.Exits)
	}
	var entries int64
	for _, m := range regexp.MustCompile(`<span class="count">(\d+)</span> entries`).FindAllStringSubmatch(tree, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		entries += n
	}
	if entries != stats.Entries {
		t.Errorf("entries in the tree add up to %d, the run counted %d", entries, stats.Entries)
	}
	if !strings.Contains(page, "<script>") || strings.Contains(page, "src=\"http") || strings.Contains(page, "href=\"http") {
		t.Error("the page must carry its script inline and load nothing")
	}
}

// TestTraceBytecodeMap: the root trace's IR maps back to the bytecodes
// that produced it, in the peeled iteration (by recording order) and in
// the loop body (through irkit's LoopCopy), and its snapshots to the
// bytecodes their exits resume at.
func TestTraceBytecodeMap(t *testing.T) {
	if NativeBackend() == nil {
		t.Skip("no machine-code backend on this host (no loop optimization)")
	}
	_, traces, _ := htmlRun(t, htmlLoop, "-Ohotloop=5")
	root := traces[0]
	tr := root.IR
	if tr.Loop == irkit.NoRef {
		t.Fatalf("root trace not loop-optimized:\n%s", tr)
	}
	var divs int
	for r := irkit.First; r < tr.Next(); r++ {
		if tr.Ins(r).Op != irkit.DIV {
			continue
		}
		divs++
		k := root.InsBytecode[r-irkit.First]
		if k < 0 || !strings.HasPrefix(root.Bytecodes[k].Text, "MODVN") || root.Bytecodes[k].Line != 3 {
			t.Errorf("DIV %s maps to bytecode %d, want the MODVN of line 3 (%+v)", tr.InsString(r), k, root.Bytecodes)
		}
	}
	if divs != 2 {
		t.Errorf("%d DIVs, want 2 (the peeled iteration and the loop body):\n%s", divs, tr)
	}
	for s, k := range root.SnapBytecode {
		if tr.Snaps[s].Flags&irkit.SnapExitOnly != 0 && k < 0 {
			// The FORL's exit past the loop resumes at a bytecode the
			// trace did not record; its line is still known.
			if root.SnapLine[s] == 0 {
				t.Errorf("snapshot %d (pc %d, past the loop) has no line", s, tr.Snaps[s].PC)
			}
			continue
		}
		if k < 0 || uint64(root.Bytecodes[k].PC) != tr.Snaps[s].PC {
			t.Errorf("snapshot %d (pc %d) maps to bytecode %d", s, tr.Snaps[s].PC, k)
		} else if root.SnapLine[s] != root.Bytecodes[k].Line {
			t.Errorf("snapshot %d resumes at line %d, its bytecode is on line %d", s, root.SnapLine[s], root.Bytecodes[k].Line)
		}
	}
	// A side trace's end resumes at its loop's start, which it did not
	// record: the line comes from the function.
	for _, side := range traces[1:] {
		if n := len(side.SnapLine); side.Link != 0 && (n == 0 || side.SnapLine[n-1] != 3) {
			t.Errorf("side trace %d: its end resumes at line %v, want 3 (the loop body)", side.ID, side.SnapLine)
		}
	}
}

// TestHTMLDumpInterpreted: traces on the IR interpreter (-jnative=off)
// get their sections without machine code or live ranges.
func TestHTMLDumpInterpreted(t *testing.T) {
	page, traces, _ := htmlRun(t, htmlLoop, "-Ohotloop=5", "-jnative=off")
	if len(traces) == 0 {
		t.Fatal("no traces")
	}
	sec := section(t, page, traces[0].ID)
	if !strings.Contains(sec, "runs on irkit&#39;s IR interpreter") || strings.Contains(sec, "<svg class=\"live\"") {
		t.Errorf("interpreted trace section:\n%s", sec)
	}
	if !strings.Contains(html.UnescapeString(sec), "if i % 3 == 0 then s = s + i") || !strings.Contains(sec, "SLOAD") {
		t.Errorf("interpreted trace lacks source or IR")
	}
}

// TestJDumpFlags: -jdump stays the text dump; -jdump=html names the
// default file; a bad -jdump= value is an error.
func TestJDumpFlags(t *testing.T) {
	c, _ := NewConfig()
	if ok, err := c.Flag("-jdump", nil); !ok || err != nil || !c.Dump || c.HTML != "" {
		t.Errorf("-jdump: %v %v dump=%v html=%q", ok, err, c.Dump, c.HTML)
	}
	c, _ = NewConfig()
	if ok, err := c.Flag("-jdump=html", nil); !ok || err != nil || c.Dump || c.HTML != HTMLDumpFile() {
		t.Errorf("-jdump=html: %v %v dump=%v html=%q", ok, err, c.Dump, c.HTML)
	}
	if !strings.HasPrefix(HTMLDumpFile(), "jitdump-"+strconv.Itoa(os.Getpid())) {
		t.Errorf("default file %q", HTMLDumpFile())
	}
	for _, bad := range []string{"-jdump=html=", "-jdump=text"} {
		if ok, err := c.Flag(bad, nil); !ok || err == nil {
			t.Errorf("%s: %v %v, want an error", bad, ok, err)
		}
	}
}
