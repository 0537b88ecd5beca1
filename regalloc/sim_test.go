package regalloc

import (
	"errors"
	"fmt"
	"math/rand"

	"github.com/jitkit/jitkit/irkit"
)

// -- An executable second checker ---------------------------------------------
//
// sim runs an allocated trace on a model machine: a register file, the
// spill area and the interpreter slots. Every register the allocation
// says is destroyed (the result, clobbers, the scratch register, a call's
// caller-saved registers) is filled with garbage, and so is every
// register at entry, so reading a location that does not hold the value
// gives a wrong answer. The result is compared with irkit's interpreter.

// evaluator computes one pure opcode through irkit's constant folder,
// which runs the interpreter's own evaluation code.
type evaluator struct {
	b *irkit.Builder
	n int
}

func newEvaluator() *evaluator {
	tr := irkit.NewTrace(64)
	tr.Helpers = testHelpers
	return &evaluator{b: irkit.NewBuilder(tr)}
}

// eval returns the value of op on words a, c (c a literal if lit) and,
// for a guard, whether it holds.
func (e *evaluator) eval(op irkit.Op, ty, ta, tc irkit.Type, a, c uint64, lit bool) (uint64, bool, error) {
	if e.n++; e.n > 2000 {
		e.b.Reset()
		e.n = 0
	}
	b := e.b
	ka := b.K(ta, a)
	kc := irkit.Ref(c)
	if !lit {
		kc = b.K(tc, c)
	}
	r := b.Emit(op, ty, ka, kc)
	if err := b.Err(); err != nil {
		b.Reset()
		e.n = 0
		if errors.Is(err, irkit.ErrGuardFails) {
			return 0, false, nil
		}
		return 0, false, err
	}
	if r == irkit.NoRef {
		return 0, true, nil
	}
	w, ok := b.T.KWord(r)
	if !ok {
		return 0, false, fmt.Errorf("sim: %s did not fold", op)
	}
	return w, true, nil
}

type simExit struct {
	guard irkit.Ref
	iter  int
	intr  bool // left through the back edge's interrupt exit
}

// sim executes res on slots and returns how it left. With intrAt > 0 an
// interrupt is pending at the intrAt-th back edge: the trace leaves there
// through its end record (the loop snapshot, before the Tail moves, for a
// LOOP trace), as the lowerings' interrupt check does.
func sim(tr *irkit.Trace, res *Result, slots []uint64, maxIter, intrAt int, rng *rand.Rand, ev *evaluator) (simExit, error) {
	t := res.Target
	var regs [MaxRegs]uint64
	spill := make([]uint64, res.NSlots)
	for i := range regs {
		regs[i] = rng.Uint64()
	}
	for i := range spill {
		spill[i] = rng.Uint64()
	}
	get := func(l Loc) uint64 {
		switch {
		case l.IsReg():
			return regs[l.Reg()]
		case l.IsSlot():
			return spill[l.Slot()]
		}
		w, _ := tr.KWord(l.Const())
		return w
	}
	move := func(ms []Move) {
		for _, m := range ms {
			v := get(m.Src)
			if m.Dst.IsReg() {
				regs[m.Dst.Reg()] = v
			} else {
				spill[m.Dst.Slot()] = v
			}
		}
	}
	restore := func(r irkit.Ref) {
		si := tr.SnapOf(r)
		if si < 0 {
			return
		}
		for _, e := range tr.Entries(si) {
			if e.Flags()&irkit.SnapNoRestore != 0 {
				continue
			}
			slots[e.Slot()] = get(res.Where(r, e.Ref()))
		}
	}
	move(res.SpanMoves(res.Entry))
	out := simExit{}
	start := irkit.First
	backs := 0
	for {
		for r := start; r < tr.Next(); r++ {
			ins := tr.Ins(r)
			ir := res.At(r)
			move(res.BeforeMoves(r))
			var v uint64
			hasVal := ins.Op.HasValue() && ins.T.Base() != irkit.TVoid
			cons := t.Cons[ins.Op][ClassOf(ins.T)]
			operand := func(ref irkit.Ref, reg Reg) uint64 {
				if reg == NoReg {
					w, _ := tr.KWord(ref)
					return w
				}
				return regs[reg]
			}
			ok := true
			switch ins.Op {
			case irkit.NOP, irkit.PHI, irkit.CARG:
				continue
			case irkit.LOOP:
				// As the interpreter counts: reaching LOOP completes the
				// peeled iteration.
				if out.iter++; out.iter >= maxIter {
					return out, irkit.ErrMaxIter
				}
				continue
			case irkit.SLOAD:
				v = irkit.Norm(ins.T, slots[ins.Op1])
			case irkit.SSTORE:
				slots[ins.Op1] = operand(ins.Op2, ir.Op2)
			case irkit.CALLN, irkit.CALLS:
				var used [NumClasses]int
				var args []uint64
				c := &checker{tr: tr}
				for _, a := range c.callArgs(ins.Op1) {
					cls := ClassOf(tr.Ins(a).T)
					args = append(args, regs[t.Args[cls][used[cls]]])
					used[cls]++
				}
				v = irkit.Norm(ins.T, tr.Helper(uint16(ins.Op2)).Fn(args))
			default:
				info := ins.Op.Info()
				var a, c uint64
				var ta, tc irkit.Type
				aReg, cReg := ir.Op1, ir.Op2
				if cons.Call {
					aReg = t.Args[ClassOf(tr.Ins(ins.Op1).T)][0]
					cReg = t.Args[ClassOf(tr.Ins(ins.Op2).T)][1]
				}
				if _, ok := t.FusedLoad2(tr, r); ok {
					return out, fmt.Errorf("sim: fused second load at %04d", int(r-irkit.Bias))
				}
				if _, ok := t.FusedAddr(tr, r); ok {
					// The model has no memory; the generator makes no
					// loads or stores but SLOAD and SSTORE.
					return out, fmt.Errorf("sim: fused address at %04d", int(r-irkit.Bias))
				}
				if info.Mode1 == irkit.ModeRef {
					a, ta = operand(ins.Op1, aReg), tr.Ins(ins.Op1).T
					if load, ok := t.FusedLoad(tr, r); ok {
						// A fused check or unbox reads the loaded word
						// in memory; the generator's loads are SLOADs.
						li := tr.Ins(load)
						if li.Op != irkit.SLOAD {
							return out, fmt.Errorf("sim: fused %v", li.Op)
						}
						a = irkit.Norm(li.T, slots[li.Op1])
					}
				}
				lit := info.Mode2 != irkit.ModeRef
				if !lit {
					c, tc = operand(ins.Op2, cReg), tr.Ins(ins.Op2).T
				} else {
					c = uint64(ins.Op2)
				}
				var err error
				v, ok, err = ev.eval(ins.Op, ins.T.Base(), ta, tc, a, c, lit)
				if err != nil {
					return out, err
				}
			}
			// Destroyed registers get garbage before the result lands.
			clob := cons.Clobber | RegSet(1)<<t.Scratch
			if cons.Call || ins.Op == irkit.CALLN || ins.Op == irkit.CALLS {
				clob |= t.CallerSaved
			}
			if ir.Tmp != NoReg {
				clob = clob.With(ir.Tmp)
			}
			if ir.Dest != NoReg {
				clob = clob.With(ir.Dest)
			}
			for s := clob; s != 0; {
				rr := s.Low()
				s = s.Without(rr)
				regs[rr] = rng.Uint64()
			}
			if !ok {
				out.guard = r
				restore(r)
				return out, nil
			}
			if hasVal && ir.Dest != NoReg {
				regs[ir.Dest] = v
			}
			move(res.AfterMoves(r))
		}
		backs++
		switch {
		case tr.Loop != irkit.NoRef:
			if backs == intrAt {
				out.guard, out.intr = tr.Next(), true
				restore(tr.Next())
				return out, nil
			}
			move(res.SpanMoves(res.Tail))
			start = tr.Loop + 1
		case tr.Looping:
			restore(tr.Next())
			if backs == intrAt {
				out.guard, out.intr = tr.Next(), true
				return out, nil
			}
			for i := range regs {
				regs[i] = rng.Uint64()
			}
			move(res.SpanMoves(res.Entry))
			start = irkit.First
		default:
			restore(tr.Next())
			return out, nil
		}
		out.iter++
		if out.iter >= maxIter {
			return out, irkit.ErrMaxIter
		}
	}
}
