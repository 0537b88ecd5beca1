package arm64

// -- Calls ----------------------------------------------------------------------
//
// A helper with a machine-code address (irkit.Helper.Addr: generated code
// or NOSPLIT assembly that follows regalloc.ARM64's call convention) is
// called directly: the arguments are already in X1..X8 and D0..D7 (the
// allocator's Before moves put them there), the link register and frame
// pointer are pushed around the blr (16 of emit.CodeStack's bytes), and
// the spill base, a caller-saved register, is reloaded after.
//
// Everything else — helpers that only have a Go implementation
// (Helper.Fn), float POW and MOD, integer POW — is a call-out: generated
// code must never call Go, so the trace saves the registers the allocator
// expects to survive a call (X19..X27, D8..D15) into State.Regs, stores the
// arguments in State.Args and returns emit.StatusCall | n. Code.Run
// (emit.Trace.Run, or any driver) runs call-out n in Go, stores the result
// in State.Ret and re-enters the trace at the call-out's Resume address,
// where the trace reloads those registers and the result. The result is
// bit-identical to the interpreter's because it is the same Go code
// (math.Pow, math.Mod, the helper's Fn) on the same machine. The
// trade-off is a return to Go per call (tens of nanoseconds); hot helpers
// deserve a machine-code implementation and an Addr.

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// The call-out types are package emit's (emit.Callout), named here too so
// that arm64 code reads as before.
type (
	// CalloutKind is emit.CalloutKind.
	CalloutKind = emit.CalloutKind
	// Callout is emit.Callout.
	Callout = emit.Callout
)

// The call-out kinds (emit's).
const (
	CallHelper = emit.CallHelper
	CallPow    = emit.CallPow
	CallMod    = emit.CallMod
	CallIPow   = emit.CallIPow
)

// calleeSaved are the registers a call must not destroy (regalloc.ARM64):
// a call-out saves and reloads them around its return to Go.
var calleeSavedX = [...]regalloc.Reg{19, 20, 21, 22, 23, 24, 25, 26, 27}

// call lowers a helper call or an op the target lowers as one.
func (l *Lowerer) call(r irkit.Ref, ins irkit.Ins, ir *regalloc.InsRegs) {
	tr, t := l.tr, l.res.Target
	co := Callout{Type: ins.T.Base()}
	var h *irkit.Helper
	switch ins.Op {
	case irkit.CALLN, irkit.CALLS:
		h = tr.Helper(uint16(ins.Op2))
		if h == nil {
			l.fail("%04d: unknown helper %d", int(r-irkit.Bias), ins.Op2)
			return
		}
		n, ok := tr.CallArgs(r, l.argRefs[:])
		if !ok {
			l.fail("%04d: malformed call", int(r-irkit.Bias))
			return
		}
		co.Kind, co.Helper, co.NArgs = CallHelper, h, n
		for i := 0; i < n; i++ {
			co.Args[i] = tr.Ins(l.argRefs[i]).T.Base()
		}
	case irkit.POW, irkit.MOD:
		co.NArgs = 2
		co.Args[0], co.Args[1] = ins.T.Base(), ins.T.Base()
		switch {
		case ins.T.Base() != irkit.TNum:
			co.Kind = CallIPow
			if ins.Op == irkit.MOD {
				l.fail("integer MOD is not a call")
				return
			}
		case ins.Op == irkit.POW:
			co.Kind = CallPow
		default:
			co.Kind = CallMod
		}
	default:
		l.fail("%v lowered as a call has no call-out", ins.Op)
		return
	}
	// The registers holding the arguments, per class in order.
	var regs [irkit.MaxArgs]regalloc.Reg
	var k [regalloc.NumClasses]int
	for i := 0; i < co.NArgs; i++ {
		cl := regalloc.ClassOf(co.Args[i])
		if k[cl] >= len(t.Args[cl]) {
			l.fail("%04d: too many arguments", int(r-irkit.Bias))
			return
		}
		regs[i] = t.Args[cl][k[cl]]
		k[cl]++
	}
	var addr uintptr
	switch co.Kind {
	case CallHelper:
		addr = h.Addr
	case CallIPow:
		addr = l.ipow64
		if co.Type == irkit.TInt {
			addr = l.ipow32
		}
	case CallMod:
		addr = l.fmod
	case CallPow:
		addr = l.FPow
	}
	if addr != 0 {
		l.directCall(addr, ins.T.Base(), ir.Dest)
		return
	}
	if !l.Callouts {
		if co.Kind == CallPow {
			l.fail("%04d: float POW has no machine-code helper (Lowerer.FPow) and call-outs are off", int(r-irkit.Bias))
		} else {
			l.fail("%04d: helper %s has no machine code (Helper.Addr) and call-outs are off", int(r-irkit.Bias), h.Name)
		}
		return
	}
	l.callout(co, regs[:co.NArgs], ir.Dest)
}

// directCall calls machine code at addr.
func (l *Lowerer) directCall(addr uintptr, rt irkit.Type, dest regalloc.Reg) {
	a := l.a
	if dest != regalloc.NoReg && rt == irkit.TBool && !isFPR(dest) {
		a.Cset(wreg(dest), NE)
		a.TstImm(wreg(dest), 0xff)
	}
	a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
	a.Ldp(X29, X30, PostIndex(SP, 16))
	a.Blr(X16)
	a.MovImm(X16, uint64(addr))
	a.Stp(X29, X30, PreIndex(SP, -16))
}

// callout returns to Go with StatusCall and resumes after it.
func (l *Lowerer) callout(co Callout, args []regalloc.Reg, dest regalloc.Reg) {
	a := l.a
	n := len(l.callouts)
	l.callouts = append(l.callouts, co)
	resume := a.NewLabel()
	l.resumes = append(l.resumes, resume)
	// After resuming (emitted first): the result, the saved registers, the
	// spill base.
	if dest != regalloc.NoReg {
		if isFPR(dest) {
			a.FLdr(dreg(dest), Off(StateReg, emit.StateRet))
		} else {
			a.Ldr(Size64, false, xreg(dest), Off(StateReg, emit.StateRet))
		}
	}
	l.saveCallee(true)
	a.Ldr(Size64, false, SpillReg, Off(StateReg, emit.StateSpill))
	a.Bind(resume)
	// Before: save, store the arguments, return the status.
	a.Ret()
	a.Mov(X0, X16)
	a.MovImm(X16, emit.StatusCall|uint64(n))
	for i := len(args) - 1; i >= 0; i-- {
		off := emit.StateArgs + 8*int32(i)
		if isFPR(args[i]) {
			a.FStr(dreg(args[i]), Off(StateReg, off))
		} else {
			a.Str(Size64, xreg(args[i]), Off(StateReg, off))
		}
	}
	l.saveCallee(false)
}

// saveCallee stores (or, with load, reloads) X19..X27 and D8..D15 to and
// from their State.Regs cells.
func (l *Lowerer) saveCallee(load bool) {
	a := l.a
	x := calleeSavedX
	pair := func(r1, r2 regalloc.Reg) {
		m := Off(StateReg, regCell(r1))
		if isFPR(r1) {
			if load {
				a.FLdp(dreg(r1), dreg(r2), m)
			} else {
				a.FStp(dreg(r1), dreg(r2), m)
			}
			return
		}
		if load {
			a.Ldp(xreg(r1), xreg(r2), m)
		} else {
			a.Stp(xreg(r1), xreg(r2), m)
		}
	}
	if load {
		a.Ldr(Size64, false, xreg(x[8]), Off(StateReg, regCell(x[8])))
	} else {
		a.Str(Size64, xreg(x[8]), Off(StateReg, regCell(x[8])))
	}
	for i := 0; i < 8; i += 2 {
		pair(x[i], x[i+1])
	}
	for d := regalloc.Reg(32 + 8); d < 32+16; d += 2 {
		pair(d, d+1)
	}
}
