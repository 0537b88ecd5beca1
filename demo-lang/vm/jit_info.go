package vm

// -- A read-only view of the JIT's traces, for tools -------------------------
//
// JITTraces copies what a trace viewer needs (the -jdump=html page of
// package demo-lang/jit) out of the VM's private trace records: where each
// trace starts, the bytecodes it recorded with their source lines, which
// bytecode each IR instruction and snapshot came from, how the traces hang
// together (side traces on their parent's exits) and the counters of the
// run so far.

import (
	"strings"

	"github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/irkit"
)

// TraceInfo describes one compiled trace as of the call to JITTraces.
type TraceInfo struct {
	ID         int    // trace number, as -jv and -jdump print it
	Parent     int    // side trace: the trace it starts from; 0 for a root trace
	ParentExit int    // side trace: the parent's snapshot (exit) it starts from
	Root       int    // the root trace (the trace itself for a root)
	Link       int    // the trace its end continues in (a loop's, the function trace, the caller's continuation); 0 if none
	Chunk      string // chunk name of the trace's function ("fib.lua")
	Func       string // the function's name in listings ("main chunk", "f")
	Line       int    // source line where the trace starts
	StartPC    int    // bytecode PC where the trace starts
	LoopPC     int    // the loop's back edge (FORL, ITERL or LOOP) that made it hot; -1 for a function trace
	// End says how the trace ends: "loop" (a root loop trace), the ID of
	// the trace its end links to, "up-recursion" (a recursive call, into
	// the function trace one frame up), "return" (into the caller, with
	// " -> ID" when linked to the trace that continues there). Function
	// traces and recursion: docs/design/recursion.md.
	End string

	// IR is the trace's IR after optimization, with its snapshots. It is
	// the VM's own copy: read it, do not modify it, and do not keep it
	// past DisableJIT.
	IR *irkit.Trace
	// Code is the machine code, nil for a trace on irkit's IR
	// interpreter. Valid until DisableJIT frees it.
	Code Compiled

	// Bytecodes are the bytecodes recorded, in recording order (a
	// bytecode executed twice appears twice).
	Bytecodes []TraceBytecode
	// InsBytecode gives, for IR instruction irkit.First+i, the index in
	// Bytecodes of the bytecode it was recorded for, or -1: the LOOP
	// marker, what the trace's entry emits before its first bytecode
	// (the loop index narrowed to an integer), and the loop body's copies
	// of those.
	// An instruction of the loop body (after LOOP) maps to the bytecode of
	// the instruction of the peeled iteration it copies; a PHI to that of
	// its loop-carried value.
	InsBytecode []int
	// SnapBytecode gives, per snapshot, the index in Bytecodes of the
	// bytecode an exit through it resumes at, or -1 when that bytecode
	// was not recorded (the end of a side trace, which resumes in its
	// root's loop; a FORL's exit past its loop, irkit.SnapExitOnly).
	SnapBytecode []int
	// SnapLine gives, per snapshot, the source line an exit through it
	// resumes at (0 if unknown: an inlined frame's bytecode that was not
	// recorded).
	SnapLine []int

	// Entries counts the times the trace was entered from the VM (from
	// the interpreter, or an exit the VM linked in Go); Exits, per
	// snapshot, the exits through it that returned to the VM. Neither
	// counts what happens inside machine code once an exit is linked to
	// another trace there (Linker).
	Entries int64
	Exits   []int64
	Sides   []int // per snapshot: the side trace linked to that exit, 0 if none
	// Flushed reports a root trace the VM dropped because its runs were
	// too short to pay for entering it: its loop runs interpreted.
	Flushed bool
}

// TraceBytecode is one recorded bytecode.
type TraceBytecode struct {
	Chunk string // chunk name of its function
	Func  string // its function's name
	PC    int    // its PC in that function
	Line  int    // its source line
	Depth int    // inlined calls around it (0: the trace's own function)
	Text  string // the instruction as bytecode listings show it, without the PC
}

// JITTraces returns a description of every trace compiled so far, in
// order of their numbers; nil if no JIT is attached. Traces the VM
// flushed are included (Flushed). The result shares the traces' IR and
// machine code with the VM: it is valid until DisableJIT.
func (L *State) JITTraces() []TraceInfo {
	j := L.jit
	if j == nil {
		return nil
	}
	out := make([]TraceInfo, 0, len(j.all))
	for _, t := range j.all {
		out = append(out, j.traceInfo(t))
	}
	return out
}

func (j *jitState) traceInfo(t *jtrace) TraceInfo {
	bp := t.p.bp
	ti := TraceInfo{
		ID: t.id, Root: t.root.id, Chunk: bp.Source, Func: bp.Name,
		Line: bp.Line(t.startPC), StartPC: t.startPC, LoopPC: t.loopPC, End: t.kind(),
		IR: t.t, Code: t.native, Entries: t.entries, ParentExit: -1,
		Exits: append([]int64(nil), t.exits...),
		Sides: make([]int, len(t.sides)),
	}
	if t.link != nil {
		ti.Link = t.link.id
	}
	if t.parent != nil {
		ti.Parent, ti.ParentExit = t.parent.id, t.exit
	} else {
		ti.Flushed = true
		for _, x := range j.traces[t.p] {
			if x == t {
				ti.Flushed = false
			}
		}
	}
	for i, s := range t.sides {
		if s != nil {
			ti.Sides[i] = s.id
		}
	}
	ti.Bytecodes = make([]TraceBytecode, len(t.pcs))
	for i, x := range t.pcs {
		xb := x.p.bp
		txt := bytecode.FormatIns(xb, x.pc, x.p.code[x.pc], false)
		// The listing line starts with the PC, which has its own field.
		if k := strings.IndexByte(txt, ' '); k > 0 {
			txt = strings.TrimLeft(txt[k:], " ")
		}
		ti.Bytecodes[i] = TraceBytecode{Chunk: xb.Source, Func: xb.Name, PC: x.pc,
			Line: xb.Line(x.pc), Depth: x.depth, Text: txt}
	}
	ti.InsBytecode = insBytecodes(t.t, t.pcs)
	ti.SnapBytecode = snapBytecodes(t.t, t.pcs, ti.InsBytecode)
	if t.loopPC == funcPC(t.p) {
		ti.LoopPC = -1
	}
	if t.retDelta != 0 {
		// The end resumes in the caller, in another frame.
		ti.SnapBytecode[len(ti.SnapBytecode)-1] = -1
	}
	ti.SnapLine = make([]int, len(ti.SnapBytecode))
	for s, k := range ti.SnapBytecode {
		switch {
		case t.retDelta != 0 && s == len(ti.SnapBytecode)-1:
			ti.SnapLine[s] = t.retP.bp.Line(int(t.t.Snaps[s].PC))
		case k >= 0:
			ti.SnapLine[s] = ti.Bytecodes[k].Line
		case int(t.t.Snaps[s].Depth)-1 == t.depth && t.t.Snaps[s].PC < uint64(len(t.p.code)):
			// The frame the trace starts in, whose function is t.p.
			ti.SnapLine[s] = bp.Line(int(t.t.Snaps[s].PC))
		}
	}
	return ti
}

// insBytecodes maps each IR instruction to the recorded bytecode it came
// from: before LOOP by the first instruction recorded for each bytecode,
// after LOOP through the loop optimization's copy map.
func insBytecodes(tr *irkit.Trace, pcs []jpc) []int {
	n := tr.Len()
	m := make([]int, n)
	k := -1
	end := tr.Next()
	if tr.Loop != irkit.NoRef {
		end = tr.Loop
	}
	for i := range m {
		m[i] = -1
		r := irkit.First + irkit.Ref(i)
		if r >= end {
			continue
		}
		for k+1 < len(pcs) && pcs[k+1].ref <= r {
			k++
		}
		m[i] = k
	}
	if tr.Loop == irkit.NoRef {
		return m
	}
	for r := irkit.First; r < tr.Loop; r++ {
		c := tr.LoopCopy(r)
		if c > tr.Loop && c < tr.Next() && m[c-irkit.First] < 0 {
			m[c-irkit.First] = m[r-irkit.First]
		}
	}
	for r := tr.Loop + 1; r < tr.Next(); r++ {
		if ins := tr.Ins(r); ins.Op == irkit.PHI && ins.Op2 > irkit.Bias && ins.Op2 < r {
			m[r-irkit.First] = m[ins.Op2-irkit.First]
		}
	}
	return m
}

// snapBytecodes maps each snapshot to the recorded bytecode an exit
// through it resumes at: the recorded bytecode with the snapshot's PC and
// inlining depth nearest before the instruction the snapshot was taken
// at, else the first one with that PC and depth.
func snapBytecodes(tr *irkit.Trace, pcs []jpc, insBC []int) []int {
	m := make([]int, len(tr.Snaps))
	for i, s := range tr.Snaps {
		m[i] = -1
		depth := int(s.Depth) - 1
		at := len(pcs) - 1
		if k := int(s.Ref - irkit.First); k >= 0 && k < len(insBC) && insBC[k] >= 0 {
			at = insBC[k]
		}
		for k := min(at, len(pcs)-1); k >= 0; k-- {
			if uint64(pcs[k].pc) == s.PC && pcs[k].depth == depth {
				m[i] = k
				break
			}
		}
		if m[i] >= 0 {
			continue
		}
		for k, x := range pcs {
			if uint64(x.pc) == s.PC && x.depth == depth {
				m[i] = k
				break
			}
		}
	}
	return m
}
