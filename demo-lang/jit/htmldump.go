package jit

import (
	"bufio"
	_ "embed"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/irkit"
)

// -- -jdump=html: one self-contained page per run --------------------------
//
// The page is written when the run ends (Config.Finish, which the command
// defers, so also after an error), from the VM's trace records
// (vm.State.JITTraces) and, for machine-code traces, the register
// allocation the backend kept (AllocReporter). Everything is inline: the
// CSS, a small script for the cross-links and the live-range charts (SVG
// drawn here), so the file can be opened anywhere without a network.
//
// Cross-links: every element that stands for a bytecode, an IR value or a
// snapshot carries data-bc, data-ref or data-snap; hovering one highlights
// the others with the same value in the same trace, clicking pins it.

//go:embed htmldump.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"add": func(a, b int) int { return a + b },
}).Parse(htmlTemplateText))

// HTMLDumpFile is the default file name of the -jdump=html page: in the
// current directory, named after the process.
func HTMLDumpFile() string { return fmt.Sprintf("jitdump-%d.html", os.Getpid()) }

// AddSource records the text of chunk for the -jdump=html page, which
// shows the source lines of each trace. Chunks not added are read from
// the file of that name when the page is written.
func (c *Config) AddSource(chunk, text string) {
	if c.sources == nil {
		c.sources = map[string]string{}
	}
	c.sources[chunk] = text
}

// writeHTMLDump writes the page of L's traces to c.HTML. A bug in the
// page's rendering costs the page, never the run's exit status.
func (c *Config) writeHTMLDump(L *vm.State) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("internal error: %v", e)
		}
	}()
	f, err := os.Create(c.HTML)
	if err != nil {
		return err
	}
	src := func(chunk string) []string {
		text, ok := c.sources[chunk]
		if !ok {
			b, err := os.ReadFile(chunk)
			if err != nil {
				return nil
			}
			text = string(b)
		}
		return strings.Split(text, "\n")
	}
	bw := bufio.NewWriter(f)
	err = WriteHTML(bw, L.JITTraces(), L.JITStats(), src)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteHTML writes the -jdump=html page of traces to w: the trace tree
// with exit and entry counts, then per trace its bytecodes with their
// source lines, the IR with snapshots, the snapshots' exits, the machine
// code and the register live ranges. source returns the lines of a
// chunk (nil if unknown). stats are shown in the page's header.
func WriteHTML(w io.Writer, traces []vm.TraceInfo, stats vm.JITStats, source func(chunk string) []string) error {
	p := page{Time: time.Now().UTC().Format("2006-01-02 15:04:05 UTC"), Title: "jitkit trace dump"}
	if len(traces) > 0 {
		p.Title += ": " + filepath.Base(traces[0].Chunk)
	}
	var sb strings.Builder
	WriteStats(&sb, stats)
	p.Stats = strings.TrimRight(sb.String(), "\n")
	byID := map[int]*vm.TraceInfo{}
	for i := range traces {
		byID[traces[i].ID] = &traces[i]
	}
	lines := map[string][]string{}
	srcLine := func(chunk string, line int) string {
		ls, ok := lines[chunk]
		if !ok && source != nil {
			ls = source(chunk)
			lines[chunk] = ls
		}
		if line >= 1 && line <= len(ls) {
			return strings.TrimRight(ls[line-1], "\r")
		}
		return ""
	}
	for i := range traces {
		p.Traces = append(p.Traces, traceView(&traces[i], srcLine))
		if traces[i].Parent == 0 || byID[traces[i].Parent] == nil {
			p.Tree = append(p.Tree, treeNode(&traces[i], byID, 0))
		}
	}
	return htmlTemplate.Execute(w, &p)
}

// page is the template's data.
type page struct {
	Title  string
	Time   string
	Stats  string
	Tree   []*node
	Traces []*tview
}

// node is a trace in the trace tree.
type node struct {
	ID      int
	Title   string
	Entries int64
	Flushed bool
	Link    int // side trace: the root trace its end continues in
	Exits   []exitNode
}

// exitNode is an exit of a trace in the tree, with its side trace.
type exitNode struct {
	Snap   int
	Where  string
	Count  int64
	Linked bool // linked to its side trace in machine code
	Side   *node
}

// exitLinker is implemented by machine-code traces whose exits can be
// linked to other traces in machine code (the native backend).
type exitLinker interface {
	LinkedExits() []bool
}

// linkedExits reports, per snapshot of t, whether its exit is linked in
// machine code.
func linkedExits(t *vm.TraceInfo) []bool {
	out := make([]bool, len(t.IR.Snaps))
	if el, ok := t.Code.(exitLinker); ok && t.Code != nil {
		copy(out, el.LinkedExits())
	}
	return out
}

func treeNode(t *vm.TraceInfo, byID map[int]*vm.TraceInfo, depth int) *node {
	n := &node{ID: t.ID, Title: traceTitle(t), Entries: t.Entries, Flushed: t.Flushed, Link: t.Link}
	linked := linkedExits(t)
	for s := range t.Exits {
		side := 0
		if s < len(t.Sides) {
			side = t.Sides[s]
		}
		if t.Exits[s] == 0 && side == 0 {
			continue
		}
		e := exitNode{Snap: s, Count: t.Exits[s], Where: snapWhere(t, s), Linked: s < len(linked) && linked[s]}
		if st := byID[side]; st != nil && depth < 64 {
			e.Side = treeNode(st, byID, depth+1)
		}
		n.Exits = append(n.Exits, e)
	}
	return n
}

func traceTitle(t *vm.TraceInfo) string {
	s := fmt.Sprintf("%s:%d (%s)", t.Chunk, t.Line, t.Func)
	if t.Parent != 0 {
		s = fmt.Sprintf("side of %d/%d, %s", t.Parent, t.ParentExit, s)
	}
	return s
}

// snapWhere says where an exit through snapshot s resumes: "pc 6, line 4".
func snapWhere(t *vm.TraceInfo, s int) string {
	if s >= len(t.IR.Snaps) {
		return ""
	}
	w := "pc " + strconv.FormatUint(t.IR.Snaps[s].PC, 10)
	if s < len(t.SnapLine) && t.SnapLine[s] > 0 {
		w += fmt.Sprintf(", line %d", t.SnapLine[s])
	}
	switch end := s == len(t.IR.Snaps)-1; {
	case end && strings.HasPrefix(t.End, "return"):
		w += ", the end: returns into the caller"
		if t.Link != 0 {
			w += fmt.Sprintf(", trace %d", t.Link)
		}
	case end && t.End == "up-recursion":
		w += fmt.Sprintf(", the end: calls itself, into trace %d", t.Link)
	case end && t.Link != 0:
		w += fmt.Sprintf(", the end: into trace %d", t.Link)
	}
	return w
}

// tview is one trace's section.
type tview struct {
	ID       int
	Title    string
	Kind     string // "root", "side"
	Backend  string // "machine code" or "IR interpreter"
	Entries  int64
	Flushed  bool
	Parent   int
	PExit    int
	Link     int
	BC       []bcRow
	IR       []irRow
	Snaps    []snapRow
	MCode    []mcRow
	NoMCode  string
	Listing  string
	Chart    *chart
	AllocSum string
}

type bcRow struct {
	K       int
	SrcLine int    // its source line
	Line    int    // its source line on the first row of a line, else 0
	Source  string // the line's text, on the first row of a line
	Chunk   string
	Func    string
	PC      int
	Depth   int
	Text    string
}

type irRow struct {
	Kind   string // "ins", "snap", "loop"
	Ref    int    // instruction number as the dump prints it
	BC     int    // bytecode index, -1
	Snap   int    // snapshot (a guard's, or the snapshot row's), -1
	Text   string
	Guard  bool
	Exits  int64  // snapshot rows: exits taken through it
	Side   int    // snapshot rows: its side trace
	Linked bool   // snapshot rows: the exit is linked in machine code
	Ops    string // operand refs, space separated, for highlighting
}

type snapRow struct {
	Linked  bool
	N       int
	PC      uint64
	BC      int
	Where   string
	Exits   int64
	Side    int
	Frames  string
	Entries []snapEntry
}

type snapEntry struct {
	Slot  int
	Ref   int // -1 for a constant
	Value string
	Loc   string
	Flags string
}

type mcRow struct {
	Text string
	Snap int  // a branch to, or a line of, the exit stub of this snapshot; -1
	Stub bool // a line of the stub
}

// markExits makes the machine-code rows of a disassembly and marks the
// exits in them: each branch whose path (following unconditional
// branches and falling through, with no conditional branch on the way)
// reaches an exit's patchable branch, and the lines of that path, which
// are the exit's stub.
func markExits(lines []string, a *Allocation) []mcRow {
	rows := make([]mcRow, len(lines))
	addr := make([]uint64, len(lines))
	at := map[uint64]int{} // address -> line
	for i, l := range lines {
		rows[i] = mcRow{Text: l, Snap: -1}
		if f := strings.Fields(l); len(f) > 0 {
			if x, err := strconv.ParseUint(strings.TrimSuffix(f[0], ":"), 16, 64); err == nil {
				addr[i] = x
				at[x] = i
			}
		}
	}
	if a == nil {
		return rows
	}
	site := map[uint64]int{}
	for _, s := range a.ExitSites {
		site[s.Addr] = s.Snap
	}
	var path []int
	// walk follows the code from address x to an exit site and returns
	// its snapshot, or -1; path collects the lines it passed.
	walk := func(x uint64) int {
		path = path[:0]
		for steps := 0; steps < 64; steps++ {
			i, ok := at[x]
			if !ok {
				return -1
			}
			path = append(path, i)
			if s, ok := site[x]; ok {
				return s
			}
			f := strings.Fields(lines[i])
			tgt := branchTarget(f)
			switch {
			case tgt != 0 && unconditional(branchOp(f)):
				x = tgt
			case tgt != 0:
				// A conditional branch: this is trace code, not a stub.
				return -1
			case i+1 < len(lines):
				x = addr[i+1]
			default:
				return -1
			}
		}
		return -1
	}
	for i, l := range lines {
		f := strings.Fields(l)
		tgt := branchTarget(f)
		if tgt == 0 || rows[i].Stub {
			continue
		}
		if s := walk(tgt); s >= 0 {
			rows[i].Snap = s
			for _, k := range path {
				if rows[k].Snap < 0 {
					rows[k].Snap, rows[k].Stub = s, true
				}
			}
		}
	}
	return rows
}

// branchOp returns the mnemonic of a disassembled branch, "" if the line
// is no branch (a literal load also has a ".+0x" operand on arm64).
func branchOp(f []string) string {
	for _, m := range f[1:] {
		switch {
		case m == "b", strings.HasPrefix(m, "b."), m == "cbz", m == "cbnz", m == "tbz", m == "tbnz":
			return m
		case strings.HasPrefix(m, "j") && strings.Trim(m, "abcdefghijklmnopqrstuvwxyz") == "":
			return m
		}
	}
	return ""
}

// unconditional reports whether mnemonic op always branches.
func unconditional(op string) bool {
	switch op {
	case "b", "jmp", "jmpq":
		return true
	}
	return false
}

// branchTarget returns the target of a disassembled branch, from the
// fields of its line (address first, target last): amd64 listings give
// it as an address ("jb 0x7f10ad81031c"), arm64 ones relative to the
// instruction ("b.ne .+0x184"). It returns 0 for other lines.
func branchTarget(f []string) uint64 {
	if len(f) < 3 || branchOp(f) == "" {
		return 0
	}
	at, err := strconv.ParseUint(strings.TrimSuffix(f[0], ":"), 16, 64)
	if err != nil {
		return 0
	}
	last := f[len(f)-1]
	switch {
	case strings.HasPrefix(last, "0x"):
		a, err := strconv.ParseUint(last[2:], 16, 64)
		if err != nil {
			return 0
		}
		return a
	case strings.HasPrefix(last, ".+0x"), strings.HasPrefix(last, ".-0x"):
		d, err := strconv.ParseUint(last[4:], 16, 64)
		if err != nil {
			return 0
		}
		if last[1] == '-' {
			return at - d
		}
		return at + d
	}
	return 0
}

// chart is a live-range chart, laid out here and drawn by the template
// as SVG.
type chart struct {
	W, H   int
	Rows   []chartRow
	Ticks  []chartTick
	LoopX  int // x of the LOOP instruction, 0 if none
	Legend []legendItem
}

type chartRow struct {
	Ref   int
	Y, TY int // bar top, text baseline
	Label string
	Segs  []chartSeg
}

type chartSeg struct {
	X, W  int
	Fill  string
	Loc   string
	Title string
	Text  bool // room for the location's name inside the bar
	Slot  bool
}

type chartTick struct {
	X     int
	Label string
}

type legendItem struct {
	Loc  string
	Fill string
}

const (
	chartLeft = 44 // room for the value labels
	chartRowH = 14
	chartTop  = 18
)

func traceView(t *vm.TraceInfo, srcLine func(string, int) string) *tview {
	v := &tview{ID: t.ID, Title: traceTitle(t), Kind: "root", Entries: t.Entries, Flushed: t.Flushed,
		Parent: t.Parent, PExit: t.ParentExit, Link: t.Link, Backend: "IR interpreter"}
	linked := linkedExits(t)
	if t.Parent != 0 {
		v.Kind = "side"
	}
	lastLine, lastChunk := -1, ""
	for k, b := range t.Bytecodes {
		r := bcRow{K: k, SrcLine: b.Line, Chunk: b.Chunk, Func: b.Func, PC: b.PC, Depth: b.Depth, Text: b.Text}
		if b.Line != lastLine || b.Chunk != lastChunk {
			r.Line = b.Line
			r.Source = srcLine(b.Chunk, b.Line)
			lastLine, lastChunk = b.Line, b.Chunk
		}
		v.BC = append(v.BC, r)
	}
	tr := t.IR
	var alloc *Allocation
	if t.Code != nil {
		v.Backend = "machine code"
		if ar, ok := t.Code.(AllocReporter); ok {
			alloc = ar.Allocation()
		}
	}
	// IR rows, snapshots before the first instruction they cover.
	si := 0
	snapRowOf := func(s int) irRow {
		var sb strings.Builder
		irSnapText(&sb, tr, s)
		row := irRow{Kind: "snap", Snap: s, BC: bcOfSnap(t, s), Text: sb.String(), Ref: -1}
		if s < len(t.Exits) {
			row.Exits = t.Exits[s]
		}
		if s < len(t.Sides) {
			row.Side = t.Sides[s]
		}
		row.Linked = linked[s]
		return row
	}
	for r := irkit.First; r < tr.Next(); r++ {
		for si < len(tr.Snaps) && tr.Snaps[si].Ref <= r {
			v.IR = append(v.IR, snapRowOf(si))
			si++
		}
		i := int(r - irkit.First)
		ins := tr.Ins(r)
		if ins.Op == irkit.NOP {
			continue
		}
		row := irRow{Kind: "ins", Ref: int(r - irkit.Bias), BC: -1, Snap: -1, Text: tr.InsString(r)}
		if i < len(t.InsBytecode) {
			row.BC = t.InsBytecode[i]
		}
		if ins.Op == irkit.LOOP {
			row.Kind, row.Text = "loop", fmt.Sprintf("%04d ------ LOOP ------------", int(r-irkit.Bias))
		}
		if s, ok := tr.GuardSnap(r); ok {
			row.Guard, row.Snap = true, s
		}
		a, c := tr.Operands(r)
		var ops []string
		for _, o := range []irkit.Ref{a, c} {
			if o.IsIns() {
				ops = append(ops, strconv.Itoa(int(o-irkit.Bias)))
			}
		}
		row.Ops = strings.Join(ops, " ")
		v.IR = append(v.IR, row)
	}
	for ; si < len(tr.Snaps); si++ {
		v.IR = append(v.IR, snapRowOf(si))
	}
	// Snapshots: what each exit restores.
	for s := range tr.Snaps {
		sr := snapRow{N: s, PC: tr.Snaps[s].PC, BC: bcOfSnap(t, s), Where: snapWhere(t, s)}
		if s < len(t.Exits) {
			sr.Exits = t.Exits[s]
		}
		if s < len(t.Sides) {
			sr.Side = t.Sides[s]
		}
		sr.Linked = linked[s]
		if frs := tr.Frames(s); len(frs) > 1 {
			var fs []string
			for _, f := range frs {
				fs = append(fs, fmt.Sprintf("base %d pc %d", f.Base, f.PC))
			}
			sr.Frames = strings.Join(fs, " / ")
		}
		for _, e := range tr.Entries(s) {
			se := snapEntry{Slot: e.Slot(), Ref: -1, Value: tr.RefString(e.Ref())}
			if e.Ref().IsIns() {
				se.Ref = int(e.Ref() - irkit.Bias)
				se.Value += " " + tr.Ins(e.Ref()).T.Base().String()
				if alloc != nil && s < len(alloc.ExitLocs) {
					se.Loc = alloc.ExitLocs[s][e.Ref()]
				}
			}
			if f := e.Flags(); f&irkit.SnapFrame != 0 {
				se.Flags = "frame"
			} else if f&irkit.SnapNoRestore != 0 {
				se.Flags = "not restored"
			}
			sr.Entries = append(sr.Entries, se)
		}
		v.Snaps = append(v.Snaps, sr)
	}
	if t.Code == nil {
		v.NoMCode = "This trace runs on irkit's IR interpreter (the backend refused it, or -jnative=off)."
		return v
	}
	v.MCode = markExits(strings.Split(strings.TrimRight(t.Code.Disasm(), "\n"), "\n"), alloc)
	if alloc == nil {
		return v
	}
	v.Listing = alloc.Listing
	st := alloc.Stats
	v.AllocSum = fmt.Sprintf("%d values, %d spill slots; moves: %d spills, %d reloads, %d remats, %d copies (in the loop: %d, %d, %d, %d)",
		len(alloc.Ranges), alloc.NSpill, st.Spills, st.Reloads, st.Remats, st.Copies,
		st.LoopSpills, st.LoopReloads, st.LoopRemats, st.LoopCopies)
	v.Chart = layoutChart(tr, alloc)
	return v
}

// bcOfSnap is the bytecode index an exit through snapshot s resumes at.
func bcOfSnap(t *vm.TraceInfo, s int) int {
	if s < len(t.SnapBytecode) {
		return t.SnapBytecode[s]
	}
	return -1
}

// irSnapText formats snapshot s as the IR dump does.
func irSnapText(sb *strings.Builder, tr *irkit.Trace, s int) {
	fmt.Fprintf(sb, "....        SNAP   #%-3d pc=%d [", s, tr.Snaps[s].PC)
	for _, e := range tr.Entries(s) {
		fmt.Fprintf(sb, " %d:%s", e.Slot(), tr.RefString(e.Ref()))
	}
	sb.WriteString(" ]")
}

// layoutChart lays out the live-range chart: one row per value, x the
// instruction position, a bar per location.
func layoutChart(tr *irkit.Trace, a *Allocation) *chart {
	n := a.NIns + 1
	cw := 9
	if n*cw > 1100 {
		cw = max(2, 1100/n)
	}
	c := &chart{W: chartLeft + n*cw + 32, H: chartTop + len(a.Ranges)*chartRowH + 4}
	fills := map[string]string{}
	for k := 0; k < n; k += 10 {
		c.Ticks = append(c.Ticks, chartTick{X: chartLeft + k*cw, Label: fmt.Sprintf("%04d", k+1)})
	}
	if tr.Loop != irkit.NoRef {
		c.LoopX = chartLeft + int(tr.Loop-irkit.First)*cw
	}
	for i, lr := range a.Ranges {
		y := chartTop + i*chartRowH
		ref := int(lr.Ref - irkit.Bias)
		row := chartRow{Ref: ref, Y: y + 2, TY: y + 11, Label: fmt.Sprintf("%04d", ref)}
		for _, s := range lr.Segs {
			fill := "#9aa0a6"
			if !s.Slot {
				fill = regColor(s.Loc)
			}
			fills[s.Loc] = fill
			w := (s.To - s.From + 1) * cw
			end := strconv.Itoa(s.To + 1)
			if s.To >= a.NIns {
				end = "end"
			}
			row.Segs = append(row.Segs, chartSeg{X: chartLeft + s.From*cw, W: w, Fill: fill, Loc: s.Loc, Slot: s.Slot,
				Text:  w >= 8*len(s.Loc)+4,
				Title: fmt.Sprintf("%04d in %s from %04d to %s", ref, s.Loc, s.From+1, end)})
		}
		c.Rows = append(c.Rows, row)
	}
	locs := make([]string, 0, len(fills))
	for l := range fills {
		locs = append(locs, l)
	}
	sort.Strings(locs)
	for _, l := range locs {
		c.Legend = append(c.Legend, legendItem{Loc: l, Fill: fills[l]})
	}
	return c
}

// regColor gives each register a stable, distinguishable colour.
func regColor(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	x := h.Sum32()
	return fmt.Sprintf("hsl(%d,%d%%,%d%%)", x%360, 55+x/360%25, 58+x/9000%14)
}
