package compile

import (
	"math"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
)

// -- Expression descriptors ------------------------------------------------------------------
//
// As in Lua 5.1 and LuaJIT, an expression is compiled into a descriptor
// that says where its value is or how to get it, and only turned into
// instructions when its consumer knows where it wants the value. This lets
// `x = y + 1` compile to one ADDVN straight into x's slot, constants become
// operands, and comparisons become jumps.

type expKind uint8

const (
	kVoid     expKind = iota // no value (empty expression list)
	kNil                     // constant nil
	kFalse                   // constant false
	kTrue                    // constant true
	kStr                     // constant string: str
	kNum                     // constant number: num
	kLocal                   // local variable in slot info
	kUpval                   // upvalue info
	kGlobal                  // global named by string constant info
	kIndexed                 // table in slot info, key per keyKind/aux
	kJmp                     // comparison; info is the pc of its JMP (taken when true)
	kReloc                   // instruction at pc info computes the value; its A is free
	kNonReloc                // value in slot info
	kCall                    // call or VARG at pc info with base aux; one result unless widened
)

type keyKind uint8

const (
	keySlot keyKind = iota // aux is a slot
	keyStr                 // aux is a string constant index (<= 255)
	keyByte                // aux is a literal 0..255
)

type expDesc struct {
	k    expKind
	info int
	aux  int
	key  keyKind
	str  string
	num  float64
	t, f []int // jumps taken when the value is true / false
}

func (e *expDesc) hasJumps() bool { return len(e.t) > 0 || len(e.f) > 0 }

func (e *expDesc) isNumK() bool { return e.k == kNum && !e.hasJumps() }

func (e *expDesc) isConstNoJump() bool {
	return e.k >= kNil && e.k <= kNum && !e.hasJumps()
}

// -- Discharging --

// discharge turns variable accesses into instructions (kReloc/kNonReloc).
func (fs *funcState) discharge(e *expDesc) {
	switch e.k {
	case kLocal:
		e.k = kNonReloc
	case kUpval:
		e.info = fs.emitAD(bc.UGET, 0, e.info)
		e.k = kReloc
	case kGlobal:
		e.info = fs.emitAD(bc.GGET, 0, e.info)
		e.k = kReloc
	case kIndexed:
		switch e.key {
		case keyStr:
			fs.freeReg(e.info)
			e.info = fs.emitABC(bc.TGETS, 0, e.info, e.aux)
		case keyByte:
			fs.freeReg(e.info)
			e.info = fs.emitABC(bc.TGETB, 0, e.info, e.aux)
		default:
			fs.freeRegs(e.info, e.aux)
			e.info = fs.emitABC(bc.TGETV, 0, e.info, e.aux)
		}
		e.k = kReloc
	case kCall:
		e.info = e.aux
		e.k = kNonReloc
	}
}

// freeRegs frees two temporaries in the right order (the higher first).
func (fs *funcState) freeRegs(r1, r2 int) {
	if r1 > r2 {
		fs.freeReg(r1)
		fs.freeReg(r2)
	} else {
		fs.freeReg(r2)
		fs.freeReg(r1)
	}
}

func (fs *funcState) freeExp(e *expDesc) {
	if e.k == kNonReloc {
		fs.freeReg(e.info)
	}
}

// loadConst emits the instruction loading a constant into reg.
func (fs *funcState) loadNum(reg int, v float64) {
	if v == math.Trunc(v) && v >= -32768 && v <= 32767 && !(v == 0 && math.Signbit(v)) {
		fs.emitAD(bc.KSHORT, reg, int(int16(v))&0xffff)
		return
	}
	fs.emitAD(bc.KNUM, reg, fs.numConst(v))
}

// toRegNoBranch puts the value of e (ignoring its jump lists) into reg.
func (fs *funcState) toRegNoBranch(e *expDesc, reg int) {
	fs.discharge(e)
	switch e.k {
	case kNil:
		fs.emitNil(reg, 1)
	case kFalse:
		fs.emitAD(bc.KPRI, reg, bc.PriFalse)
	case kTrue:
		fs.emitAD(bc.KPRI, reg, bc.PriTrue)
	case kStr:
		fs.emitAD(bc.KSTR, reg, fs.strConst(e.str))
	case kNum:
		fs.loadNum(reg, e.num)
	case kReloc:
		fs.p.Code[e.info] = fs.p.Code[e.info].SetA(reg)
	case kNonReloc:
		if reg == e.info {
			break
		}
		fs.emitAD(bc.MOV, reg, e.info)
	case kVoid, kJmp:
		return
	default:
		fs.fail(internalError + ": toRegNoBranch of unexpected kind")
	}
	e.info = reg
	e.k = kNonReloc
}

// emitNil sets n slots from base to nil, merging with a KNIL/KPRI nil just
// before when they are adjacent and nothing jumps in between.
func (fs *funcState) emitNil(base, n int) {
	if pc := fs.pc(); pc > 0 && pc > fs.lastTgt && base != noReg {
		prev := fs.p.Code[pc-1]
		from, to := -1, -1
		switch prev.Op() {
		case bc.KPRI:
			if prev.D() == bc.PriNil {
				from, to = prev.A(), prev.A()
			}
		case bc.KNIL:
			from, to = prev.A(), prev.D()
		}
		if from >= 0 && from <= base && base <= to+1 {
			if end := base + n - 1; end > to {
				to = end
			}
			fs.p.Code[pc-1] = bc.AD(bc.KNIL, from, to)
			return
		}
	}
	if n == 1 {
		fs.emitAD(bc.KPRI, base, bc.PriNil)
	} else {
		fs.emitAD(bc.KNIL, base, base+n-1)
	}
}

// toReg puts the full value of e, including and/or and comparison
// results, into reg.
func (fs *funcState) toReg(e *expDesc, reg int) {
	fs.toRegNoBranch(e, reg)
	if e.k == kJmp {
		e.t = append(e.t, e.info)
	}
	if e.hasJumps() {
		jfalse, jtrue := -1, -1
		if fs.needValue(e.t) || fs.needValue(e.f) {
			jval := -1
			if e.k != kJmp {
				jval = fs.emitJump()
			}
			fs.markTarget()
			jfalse = fs.emitAD(bc.KPRI, reg, bc.PriFalse)
			fs.emit(bc.AJ(bc.JMP, fs.freereg, 1))
			fs.markTarget()
			jtrue = fs.emitAD(bc.KPRI, reg, bc.PriTrue)
			if jval >= 0 {
				fs.jumpsToHere([]int{jval})
			}
		}
		fs.markTarget()
		end := fs.pc()
		fs.patchValues(e.f, end, reg, jfalse)
		fs.patchValues(e.t, end, reg, jtrue)
	}
	e.t, e.f = nil, nil
	e.info = reg
	e.k = kNonReloc
}

// toNextReg puts e into a new register on top.
func (fs *funcState) toNextReg(e *expDesc) {
	fs.discharge(e)
	fs.freeExp(e)
	fs.reserve(1)
	fs.toReg(e, fs.freereg-1)
}

// toAnyReg puts e into some register and returns it.
func (fs *funcState) toAnyReg(e *expDesc) int {
	fs.discharge(e)
	if e.k == kNonReloc {
		if !e.hasJumps() {
			return e.info
		}
		if e.info >= fs.nactvar {
			fs.toReg(e, e.info)
			return e.info
		}
	}
	fs.toNextReg(e)
	return e.info
}

// toVal makes e a value (register or constant), resolving its jumps.
func (fs *funcState) toVal(e *expDesc) {
	if e.hasJumps() {
		fs.toAnyReg(e)
	} else {
		fs.discharge(e)
	}
}

// -- Conditions --

// invertCond flips the comparison controlling the jump e.info.
func (fs *funcState) invertCond(e *expDesc) {
	pc := e.info - 1
	fs.p.Code[pc] = fs.p.Code[pc].SetOp(fs.p.Code[pc].Op().Negate())
}

// branch emits a test of e and a jump taken when e's truth equals cond.
func (fs *funcState) branch(e *expDesc, cond bool) int {
	if e.k == kReloc && e.info == fs.pc()-1 {
		ins := fs.p.Code[e.info]
		if ins.Op() == bc.NOT {
			// Test the operand of `not` directly, with the condition flipped.
			fs.p.Code = fs.p.Code[:len(fs.p.Code)-1]
			fs.p.Lines = fs.p.Lines[:len(fs.p.Lines)-1]
			op := bc.IST
			if cond {
				op = bc.ISF
			}
			fs.emitAD(op, 0, ins.D())
			return fs.emitJump()
		}
	}
	if e.k != kNonReloc {
		fs.reserve(1)
		fs.toRegNoBranch(e, fs.freereg-1)
	}
	fs.freeExp(e)
	op := bc.ISFC
	if cond {
		op = bc.ISTC
	}
	fs.emitAD(op, noReg, e.info)
	return fs.emitJump()
}

// goIfTrue falls through when e is true and jumps (e.f) when it is false.
func (fs *funcState) goIfTrue(e *expDesc) {
	fs.discharge(e)
	pc := -1
	switch {
	case e.k == kStr || e.k == kNum || e.k == kTrue:
	case e.k == kJmp:
		fs.invertCond(e)
		pc = e.info
	case e.k == kFalse || e.k == kNil:
		// Always false: load the value into a register to be decided when
		// the jump list is patched, then always jump.
		fs.toRegNoBranch(e, noReg)
		pc = fs.emitJump()
	default:
		pc = fs.branch(e, false)
	}
	if pc >= 0 {
		e.f = append(e.f, pc)
	}
	fs.jumpsToHere(e.t)
	e.t = nil
}

// goIfFalse falls through when e is false and jumps (e.t) when it is true.
func (fs *funcState) goIfFalse(e *expDesc) {
	fs.discharge(e)
	pc := -1
	switch {
	case e.k == kNil || e.k == kFalse:
	case e.k == kJmp:
		pc = e.info
	case e.k == kStr || e.k == kNum || e.k == kTrue:
		fs.toRegNoBranch(e, noReg) // always true: see goIfTrue
		pc = fs.emitJump()
	default:
		pc = fs.branch(e, true)
	}
	if pc >= 0 {
		e.t = append(e.t, pc)
	}
	fs.jumpsToHere(e.f)
	e.f = nil
}
