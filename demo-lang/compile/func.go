package compile

import (
	"fmt"
	"math"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/syntax"
)

// -- Limits ------------------------------------------------------------------------------

// Limits of one function, as in Lua 5.1 (LUAI_MAXVARS, LUAI_MAXUPVALUES)
// and of the encoding (bytecode.MaxSlots, 16-bit D).
const (
	MaxLocals   = 200
	MaxUpvalues = 60
	MaxConsts   = bc.MaxD + 1
	maxJump     = bc.MaxD - bc.JumpBias
	noReg       = 0xff // "no register" in ISTC/ISFC before patching
)

type bailout struct{ err *syntax.Error }

// internalError starts the message of an error that is a compiler bug (a
// broken invariant), reported as an error rather than a panic; the fuzz
// target fails on it.
const internalError = "internal compiler error"

// -- Function state ------------------------------------------------------------------------

// blockScope is one lexical block being compiled.
type blockScope struct {
	prev        *blockScope
	nactvar     int   // active locals when the block started
	isLoop      bool  // breakable
	upval       bool  // a local declared in this block is captured by a closure
	upvalInside bool  // a block nested in this one had captured locals
	breaks      []int // pcs of the JMPs of `break`s out of this loop
}

// funcState is one function being compiled.
type funcState struct {
	parent  *funcState
	p       *bc.Proto
	file    string
	numIdx  map[uint64]int
	strIdx  map[string]int
	actVars []int // for each active local (slot = position), its index in p.Vars
	nactvar int
	freereg int
	bl      *blockScope
	line    int32 // line given to emitted instructions
	col     int32
	lastTgt int // highest pc that is a jump target
}

func newFuncState(parent *funcState, file string, first, last int) *funcState {
	fs := &funcState{
		parent: parent,
		file:   file,
		p: &bc.Proto{
			Source:    file,
			FirstLine: first,
			LastLine:  last,
		},
		numIdx:  map[uint64]int{},
		strIdx:  map[string]int{},
		lastTgt: -1,
	}
	return fs
}

func (fs *funcState) fail(msg string) {
	panic(bailout{&syntax.Error{File: fs.file, Line: int(fs.line), Col: int(fs.col), Msg: msg}})
}

// errorLimit reports an exceeded limit in Lua 5.1's words.
func (fs *funcState) errorLimit(limit int, what string) {
	where := "main function"
	if fs.p.FirstLine != 0 {
		where = fmt.Sprintf("function at line %d", fs.p.FirstLine)
	}
	fs.fail(fmt.Sprintf("%s has more than %d %s", where, limit, what))
}

func (fs *funcState) at(n syntax.Node) {
	pos := n.Position()
	fs.line, fs.col = pos.Line, pos.Col
}

// atEnd positions emitted instructions at the column of n but on line
// (when known), the line of the construct's last token where Lua 5.1 puts
// the instruction (so runtime errors in multi-line expressions report the
// same line as lua5.1).
func (fs *funcState) atEnd(n syntax.Node, line int32) {
	fs.at(n)
	if line > 0 {
		fs.line = line
	}
}

func (fs *funcState) pc() int { return len(fs.p.Code) }

func (fs *funcState) emit(ins bc.Ins) int {
	fs.p.Code = append(fs.p.Code, ins)
	fs.p.Lines = append(fs.p.Lines, fs.line)
	return len(fs.p.Code) - 1
}

func (fs *funcState) emitABC(op bc.Op, a, b, c int) int { return fs.emit(bc.ABC(op, a, b, c)) }
func (fs *funcState) emitAD(op bc.Op, a, d int) int     { return fs.emit(bc.AD(op, a, d)) }

// -- Constants --

func (fs *funcState) numConst(v float64) int {
	key := math.Float64bits(v)
	if i, ok := fs.numIdx[key]; ok {
		return i
	}
	i := len(fs.p.Nums)
	if i >= MaxConsts {
		fs.fail("constant table overflow")
	}
	fs.p.Nums = append(fs.p.Nums, v)
	fs.numIdx[key] = i
	return i
}

func (fs *funcState) strConst(s string) int {
	if i, ok := fs.strIdx[s]; ok {
		return i
	}
	i := len(fs.p.Strs)
	if i >= MaxConsts {
		fs.fail("constant table overflow")
	}
	fs.p.Strs = append(fs.p.Strs, s)
	fs.strIdx[s] = i
	return i
}

// -- Registers --

func (fs *funcState) bumpStack(n int) {
	if sz := fs.freereg + n; sz > fs.p.FrameSize {
		if sz > bc.MaxSlots {
			fs.fail("function or expression too complex")
		}
		fs.p.FrameSize = sz
	}
}

func (fs *funcState) reserve(n int) {
	fs.bumpStack(n)
	fs.freereg += n
}

// freeReg frees a temporary register (locals are never freed here).
func (fs *funcState) freeReg(r int) {
	if r >= fs.nactvar {
		fs.freereg--
		if r != fs.freereg {
			fs.fail(fmt.Sprintf("%s: bad register free %d (freereg %d)", internalError, r, fs.freereg))
		}
	}
}

// -- Local variables --

// newLocal declares a local that becomes visible with activate.
func (fs *funcState) newLocal(name string, k int) {
	if fs.nactvar+k+1 > MaxLocals {
		fs.errorLimit(MaxLocals, "local variables")
	}
	fs.p.Vars = append(fs.p.Vars, bc.VarInfo{Name: name, Slot: uint8(fs.nactvar + k)})
	fs.actVars = append(fs.actVars, len(fs.p.Vars)-1)
}

// activate makes the last n declared locals visible from the current pc.
func (fs *funcState) activate(n int) {
	fs.nactvar += n
	for i := fs.nactvar - n; i < fs.nactvar; i++ {
		fs.p.Vars[fs.actVars[i]].StartPC = int32(fs.pc())
	}
}

// removeVars ends the scope of the locals above level.
func (fs *funcState) removeVars(level int) {
	for fs.nactvar > level {
		fs.nactvar--
		fs.p.Vars[fs.actVars[fs.nactvar]].EndPC = int32(fs.pc())
	}
	fs.actVars = fs.actVars[:fs.nactvar]
}

// findLocal returns the slot of the innermost active local called name.
func (fs *funcState) findLocal(name string) int {
	for i := fs.nactvar - 1; i >= 0; i-- {
		if fs.p.Vars[fs.actVars[i]].Name == name {
			return i
		}
	}
	return -1
}

// markCaptured records that local slot is captured by a closure, so the
// block declaring it closes its upvalues when it ends.
func (fs *funcState) markCaptured(slot int) {
	for b := fs.bl; b != nil; b = b.prev {
		if b.nactvar <= slot {
			b.upval = true
			return
		}
	}
}

// findUpval returns the index of name among this function's upvalues,
// adding it if an enclosing function has it; -1 means a global.
func (fs *funcState) findUpval(name string) int {
	for i, uv := range fs.p.Upvals {
		if uv.Name == name {
			return i
		}
	}
	if fs.parent == nil {
		return -1
	}
	var desc bc.UpvalDesc
	if slot := fs.parent.findLocal(name); slot >= 0 {
		fs.parent.markCaptured(slot)
		desc = bc.UpvalDesc{Name: name, FromLocal: true, Index: slot}
	} else if idx := fs.parent.findUpval(name); idx >= 0 {
		desc = bc.UpvalDesc{Name: name, Index: idx}
	} else {
		return -1
	}
	if len(fs.p.Upvals) >= MaxUpvalues {
		fs.errorLimit(MaxUpvalues, "upvalues")
	}
	fs.p.Upvals = append(fs.p.Upvals, desc)
	return len(fs.p.Upvals) - 1
}

// -- Blocks --

func (fs *funcState) enterBlock(b *blockScope, isLoop bool) {
	*b = blockScope{prev: fs.bl, nactvar: fs.nactvar, isLoop: isLoop}
	fs.bl = b
}

// leaveBlock ends the innermost block: its locals go out of scope, their
// upvalues are closed if any was captured, and breaks land here.
func (fs *funcState) leaveBlock() {
	b := fs.bl
	fs.bl = b.prev
	fs.removeVars(b.nactvar)
	fs.freereg = fs.nactvar
	if b.upval && !b.isLoop {
		fs.emit(bc.AJ(bc.UCLO, b.nactvar, 0))
	}
	if (b.upval || b.upvalInside) && b.prev != nil {
		b.prev.upvalInside = true
	}
	if b.isLoop {
		closing := b.upval || b.upvalInside
		for _, pc := range b.breaks {
			if closing {
				fs.p.Code[pc] = fs.p.Code[pc].SetOp(bc.UCLO).SetA(b.nactvar)
			}
			fs.patchJump(pc, fs.pc())
		}
		if len(b.breaks) > 0 {
			fs.markTarget()
		}
	}
}

// -- Jumps --

func (fs *funcState) emitJump() int {
	return fs.emit(bc.AJ(bc.JMP, fs.freereg, 0))
}

func (fs *funcState) markTarget() {
	if pc := fs.pc(); pc > fs.lastTgt {
		fs.lastTgt = pc
	}
}

func (fs *funcState) patchJump(pc, target int) {
	off := target - (pc + 1)
	if off > maxJump || off < -bc.JumpBias {
		fs.fail("control structure too long")
	}
	fs.p.Code[pc] = fs.p.Code[pc].SetJ(off)
}

// isConstLoad reports whether op loads a constant into slot A.
func isConstLoad(op bc.Op) bool {
	switch op {
	case bc.KPRI, bc.KSHORT, bc.KNUM, bc.KSTR:
		return true
	}
	return false
}

// patchTestReg fixes the instruction that gives the jump at pc its value,
// so that the value lands in reg: a copying test (ISTC/ISFC) gets A = reg,
// or becomes a plain test with noReg or when the value already is in reg;
// a constant loaded into noReg before an unconditional jump (an `and`/`or`
// operand that is constantly false/true) gets A = reg, or becomes a no-op
// JMP with noReg. It reports whether the jump delivers a value.
func (fs *funcState) patchTestReg(pc, reg int) bool {
	if pc < 1 {
		return false
	}
	ins := fs.p.Code[pc-1]
	op := ins.Op()
	switch {
	case op == bc.ISTC || op == bc.ISFC:
		if reg != noReg && reg != ins.D() {
			fs.p.Code[pc-1] = ins.SetA(reg)
		} else {
			plain := bc.IST
			if op == bc.ISFC {
				plain = bc.ISF
			}
			fs.p.Code[pc-1] = bc.AD(plain, 0, ins.D())
		}
		return true
	case isConstLoad(op) && ins.A() == noReg:
		if reg == noReg {
			fs.p.Code[pc-1] = bc.AJ(bc.JMP, fs.p.Code[pc].A(), 0)
		} else {
			fs.p.Code[pc-1] = ins.SetA(reg)
			if j := fs.p.Code[pc]; reg >= j.A() {
				fs.p.Code[pc] = j.SetA(reg + 1)
			}
		}
		return true
	}
	return false
}

// needValue reports whether some jump in list does not deliver a value.
func (fs *funcState) needValue(list []int) bool {
	for _, pc := range list {
		if pc < 1 {
			return true
		}
		ins := fs.p.Code[pc-1]
		op := ins.Op()
		if op != bc.ISTC && op != bc.ISFC && !(isConstLoad(op) && ins.A() == noReg) {
			return true
		}
	}
	return false
}

// patchValues sends value-delivering jumps of list to vtarget (with their
// value in reg) and the others to dtarget.
func (fs *funcState) patchValues(list []int, vtarget, reg, dtarget int) {
	for _, pc := range list {
		if fs.patchTestReg(pc, reg) {
			fs.patchJump(pc, vtarget)
		} else {
			fs.patchJump(pc, dtarget)
		}
	}
}

// jumpsToHere makes every jump of list land at the current pc.
func (fs *funcState) jumpsToHere(list []int) {
	if len(list) == 0 {
		return
	}
	fs.markTarget()
	fs.patchValues(list, fs.pc(), noReg, fs.pc())
}

// jumpsTo patches list to target (a backward target, no values).
func (fs *funcState) jumpsTo(list []int, target int) {
	for _, pc := range list {
		fs.patchTestReg(pc, noReg)
		fs.patchJump(pc, target)
	}
}
