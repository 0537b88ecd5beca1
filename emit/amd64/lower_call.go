package amd64

// -- Calls ----------------------------------------------------------------------
//
// A helper with machine code (irkit.Helper.Addr, or the Lowerer's own
// integer POW and float MOD, or Lowerer.FPow) is called directly: the
// allocator's Before moves have put the arguments in the argument
// registers (RSI, RDX, RCX, R8, R9, R10, RAX, RBX; X0..X7), TInt arguments
// are sign-extended in place so the helper sees the interpreter's words,
// and a TBool result is normalized:
//
//	[movslq arg, arg ...]; mov $helper, r11; call *r11; [test; setne; movzbl]
//
// Everything else — a helper with only a Go implementation (Helper.Fn),
// float POW without Lowerer.FPow — is a call-out when Lowerer.Callouts is
// set, and makes the lowering refuse the trace otherwise: generated code
// never calls Go. A call-out returns to Go instead of calling, exactly as
// an exit does, and Go enters the code again where it left off:
//
//	mov %rbp, Regs+8*5(%rdi); mov %r12..%r15, Regs+8*12..(%rdi)
//	mov arg_i, Args+8*i(%rdi)         (movsd for an XMM argument)
//	mov $StatusCall|n, %rax; ret      (RSP is the entry's: nothing is
//	                                   pushed between instructions)
//	resume:                           (emit.Callout.Resume: Enter calls it
//	                                   with the state pointer in RDI again)
//	mov Regs+8*5(%rdi), %rbp; mov ..., %r12..%r15
//	mov Ret(%rdi), dest               (movsd for an XMM result)
//
// The registers saved are the ones regalloc.AMD64 lets a value keep across
// a call: the allocatable registers outside CallerSaved, which are RBP and
// R12..R15 (no XMM register survives a call). Everything else the
// allocator has already moved out of the way of the call (spill slots, or
// reloads after it), as for a machine-code helper. The driver
// (emit.Trace.Run, or a VM's loop) normalizes the argument words for their
// types, runs the call in Go (the helper's Fn, math.Pow, math.Mod:
// bit-identical to the interpreter because it is the same Go code), and
// stores the normalized result in State.Ret.

import (
	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// calleeSaved are the registers regalloc.AMD64 keeps values in across a
// call: what a call-out saves into State.Regs and reloads on resume.
var calleeSaved = func() []regalloc.Reg {
	t := regalloc.AMD64
	var out []regalloc.Reg
	for r := regalloc.Reg(0); r < 32; r++ {
		cl := regalloc.GPR
		if r >= 16 {
			cl = regalloc.FPR
		}
		if t.Alloc[cl].Has(r) && !t.CallerSaved.Has(r) {
			out = append(out, r)
		}
	}
	return out
}()

// callOp emits a helper call: CALLN/CALLS to their helper, and the ops the
// target lowers as calls (integer POW, float POW and MOD) to the Lowerer's
// helpers; a call without machine code becomes a call-out.
func (l *Lowerer) callOp(r irkit.Ref, ins irkit.Ins, ir *regalloc.InsRegs) {
	a, tr := l.a, l.tr
	t := regalloc.AMD64
	var addr uintptr
	var refs [irkit.MaxArgs]irkit.Ref
	co := emit.Callout{Type: ins.T.Base()}
	n := 0
	switch ins.Op {
	case irkit.CALLN, irkit.CALLS:
		h := tr.Helper(uint16(ins.Op2))
		if h == nil {
			l.fail("%04d: unknown helper %d", r-irkit.Bias, ins.Op2)
			return
		}
		addr = h.Addr
		var ok bool
		n, ok = tr.CallArgs(r, refs[:])
		if !ok {
			l.fail("%04d: bad call arguments", r-irkit.Bias)
			return
		}
		co.Kind, co.Helper = emit.CallHelper, h
	case irkit.POW, irkit.MOD:
		refs[0], refs[1], n = ins.Op1, ins.Op2, 2
		switch {
		case ins.T.Base() != irkit.TNum && ins.Op == irkit.POW:
			addr, co.Kind = l.ipow, emit.CallIPow
		case ins.T.Base() == irkit.TNum && ins.Op == irkit.MOD:
			addr, co.Kind = l.fmod, emit.CallMod
		case ins.T.Base() == irkit.TNum:
			addr, co.Kind = l.FPow, emit.CallPow
		default:
			l.fail("%04d: %v %v is not a call", r-irkit.Bias, ins.Op, ins.T.Base())
			return
		}
	default:
		l.fail("%04d: %v is not a call", r-irkit.Bias, ins.Op)
		return
	}
	// The registers holding the arguments, per class in order.
	var regs [irkit.MaxArgs]regalloc.Reg
	var used [regalloc.NumClasses]int
	for i := 0; i < n; i++ {
		at := tr.Ins(refs[i]).T.Base()
		cls := regalloc.ClassOf(at)
		if used[cls] >= len(t.Args[cls]) {
			l.fail("%04d: too many arguments", r-irkit.Bias)
			return
		}
		regs[i] = t.Args[cls][used[cls]]
		used[cls]++
		co.Args[i] = at
	}
	co.NArgs = n
	if addr == 0 {
		if !l.Callouts {
			l.fail("%04d: %v %v has no machine code and call-outs are off (Lowerer.Callouts)", r-irkit.Bias, ins.Op, ins.T.Base())
			return
		}
		l.callout(co, regs[:n], ir.Dest)
		return
	}
	if ins.T.Base() == irkit.TBool && ir.Dest != regalloc.NoReg {
		d := xreg(ir.Dest)
		a.ExtRR(S8, false, d, d)
		a.Setcc(NE, d)
		a.TestRR(S8, d, d)
	}
	a.CallR(R11)
	a.MovRI(R11, int64(addr))
	for i := 0; i < n; i++ {
		if co.Args[i] == irkit.TInt {
			x := xreg(regs[i])
			a.ExtRR(S32, true, x, x)
		}
	}
}

// callout emits call-out co: save, store the arguments (in args), return
// StatusCall to Go; at the resume label, reload and take the result into
// dest (NoReg: unused).
func (l *Lowerer) callout(co emit.Callout, args []regalloc.Reg, dest regalloc.Reg) {
	a := l.a
	resume := a.NewLabel()
	status := emit.StatusCall | uint64(len(l.callouts))
	l.callouts, l.resumes = append(l.callouts, co), append(l.resumes, resume)
	// Emission is backwards: after the resume first.
	if dest != regalloc.NoReg {
		if d := xreg(dest); d.IsX() {
			a.LoadSD(d, M(RDI, emit.StateRet))
		} else {
			a.Load(S64, false, d, M(RDI, emit.StateRet))
		}
	}
	l.saveCallee(true)
	a.Bind(resume)
	a.Ret()
	a.MovRI(RAX, int64(status))
	for i := len(args) - 1; i >= 0; i-- {
		m := M(RDI, emit.StateArgs+8*int32(i))
		if x := xreg(args[i]); x.IsX() {
			a.StoreSD(m, x)
		} else {
			a.Store(S64, m, x)
		}
	}
	l.saveCallee(false)
}

// saveCallee emits the stores (or, with load, the reloads) of calleeSaved
// to and from their State.Regs words.
func (l *Lowerer) saveCallee(load bool) {
	a := l.a
	for i := len(calleeSaved) - 1; i >= 0; i-- {
		r := calleeSaved[i]
		x, m := xreg(r), M(RDI, regCell(r))
		switch {
		case load && x.IsX():
			a.LoadSD(x, m)
		case load:
			a.Load(S64, false, x, m)
		case x.IsX():
			a.StoreSD(m, x)
		default:
			a.Store(S64, m, x)
		}
	}
}
