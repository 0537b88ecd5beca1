package lowertest

import (
	"os"
	"testing"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

func cases() int {
	if os.Getenv("JITKIT_QEMU") != "" || testing.Short() {
		return 300
	}
	return 2000
}

func goHelpers(t *testing.T) *irkit.Helpers {
	hs, err := NewHelpers(func(string) uintptr { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// The same seed builds the same trace with the same inputs, whatever was
// built before.
func TestGenDeterministic(t *testing.T) {
	g := NewGen(Config{Helpers: goHelpers(t)})
	defer g.Close()
	for seed := int64(1); seed <= 200; seed++ {
		e1 := g.Build(seed)
		d1, s1, m1 := g.B.T.String(), append([]uint64(nil), g.Slots...), append([]uint64(nil), g.Mem...)
		g.Build(seed + 1000)
		e2 := g.Build(seed)
		if (e1 == nil) != (e2 == nil) || d1 != g.B.T.String() || !equal(s1, g.Slots) || !equal(m1, g.Mem) {
			t.Fatalf("seed %d: builds differ\n%s\n%s", seed, d1, g.B.T)
		}
	}
}

// The generator emits every opcode a backend must lower (float POW only
// when asked), guards that fail and loops that iterate.
func TestGenCoverage(t *testing.T) {
	g := NewGen(Config{Helpers: goHelpers(t), FloatPow: true})
	defer g.Close()
	var seen [irkit.NumOps]int
	var built, looped, iterated, exits int
	for seed := int64(1); seed <= int64(cases()); seed++ {
		if g.Build(seed) != nil {
			continue
		}
		built++
		tr := g.B.T
		for r := irkit.First; r < tr.Next(); r++ {
			seen[tr.Ins(r).Op]++
		}
		w := Expect(tr, g.Slots, g.Mem, g.Arena, 64)
		if w.Err != nil && w.Err != irkit.ErrMaxIter {
			t.Fatalf("seed %d: %v\n%s", seed, w.Err, tr)
		}
		if g.Looped {
			looped++
			if w.Iter > 1 {
				iterated++
			}
		}
		if w.Exit >= 0 && w.Exit < len(tr.Snaps)-1 {
			exits++
		}
	}
	for op := irkit.Op(0); op < irkit.NumOps; op++ {
		switch {
		case op.IsConst(), op == irkit.NOP, op == irkit.BASE:
			continue
		}
		if seen[op] == 0 {
			t.Errorf("opcode %v never generated", op)
		}
	}
	t.Logf("built %d, loop-optimized %d (iterated %d), guard exits %d", built, looped, iterated, exits)
	if looped < built/5 || iterated < built/20 || exits < built/5 {
		t.Errorf("too little coverage")
	}
}

// Compare reads an exit back through the locations of an emit.Trace: a
// model backend that leaves each value where the allocation's first exit
// record of the snapshot says passes, and a single wrong word fails.
func TestCompareModel(t *testing.T) {
	g := NewGen(Config{Helpers: goHelpers(t)})
	defer g.Close()
	var m Machine
	defer m.Close()
	checked := 0
	for seed := int64(1); seed <= 300; seed++ {
		if g.Build(seed) != nil {
			continue
		}
		tr := g.B.T
		res, err := regalloc.Alloc(regalloc.AMD64, tr)
		if err != nil {
			t.Fatal(err)
		}
		w := Expect(tr, g.Slots, g.Mem, g.Arena, 64)
		if w.Err != nil || w.Exit < 0 || tr.Loop != irkit.NoRef || tr.Looping {
			continue
		}
		// The model: exit locations from the first record of each snapshot.
		code := &emit.Trace{NSpill: res.NSlots, ExitSpan: make([]regalloc.Span, len(tr.Snaps))}
		for _, e := range res.Exits {
			if e.Snap >= 0 && code.ExitSpan[e.Snap].N == 0 {
				code.ExitSpan[e.Snap] = regalloc.Span{Off: uint32(len(code.ExitLocs)), N: e.N}
				code.ExitLocs = append(code.ExitLocs, res.Locs[e.Off:e.Off+e.N]...)
			}
		}
		m.Prepare(code, g.Slots)
		copy(m.Slots, w.Slots) // a model run: SSTOREs done
		for _, e := range tr.Entries(w.Exit) {
			for _, rl := range code.Locs(w.Exit) {
				if rl.Ref != e.Ref() {
					continue
				}
				v := w.Slots[e.Slot()]
				switch {
				case rl.Loc.IsSlot():
					m.Spill[rl.Loc.Slot()] = v
				case regalloc.AMD64.ClassOfReg(rl.Loc.Reg()) == regalloc.FPR:
					m.State.Regs[32+int(rl.Loc.Reg())-16] = v
				default:
					m.State.Regs[rl.Loc.Reg()] = v
				}
			}
		}
		m.State.Exit = uint32(w.Exit)
		copy(g.Arena.Words, w.Mem)
		status := emit.StatusExit | uint64(w.Exit)
		if err := m.Compare(tr, code, regalloc.AMD64, status, g.Arena, w); err != nil {
			t.Fatalf("seed %d: model run: %v", seed, err)
		}
		if len(code.Locs(w.Exit)) > 0 {
			rl := code.Locs(w.Exit)[0]
			if rl.Loc.IsReg() && regalloc.AMD64.ClassOfReg(rl.Loc.Reg()) == regalloc.GPR {
				m.State.Regs[rl.Loc.Reg()] ^= 0x100000001
				if err := m.Compare(tr, code, regalloc.AMD64, status, g.Arena, w); err == nil {
					t.Fatalf("seed %d: a wrong register word went unnoticed", seed)
				}
			}
		}
		if err := m.Compare(tr, code, regalloc.AMD64, status+1, g.Arena, w); err == nil {
			t.Fatalf("seed %d: a wrong exit went unnoticed", seed)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d cases checked", checked)
	}
}

// Target.Operands, which the allocator, the checker and the live-range
// chart read, agrees with FusedLoad, FusedLoad2 and FusedAddr, which the
// lowering reads, on every instruction of generated traces.
func TestFusedOperandsAgree(t *testing.T) {
	g := NewGen(Config{Helpers: goHelpers(t)})
	defer g.Close()
	tg := regalloc.AMD64
	fused := 0
	for seed := int64(1); seed <= int64(cases()); seed++ {
		if g.Build(seed) != nil {
			continue
		}
		tr := g.B.T
		for r := irkit.First; r < tr.Next(); r++ {
			a, c := tr.Operands(r)
			if load, ok := tg.FusedLoad(tr, r); ok {
				a = irkit.NoRef
				if li := tr.Ins(load); li.Op != irkit.SLOAD {
					a = li.Op1
				}
			}
			if load, ok := tg.FusedLoad2(tr, r); ok {
				c = tr.Ins(load).Op1
			}
			// The index register of an AREF: an i64 x+k is x (k goes to
			// the displacement, if 8*k fits one), a BCAST between 64-bit
			// integers its operand.
			const maxDisp = 1<<31 - 1<<16 - 16
			index := func(ai irkit.Ins) irkit.Ref {
				c := ai.Op2
				if xi := tr.Ins(c); xi.Op == irkit.ADD && xi.T == irkit.TI64 && xi.Op1.IsIns() &&
					xi.Op2.IsConst() && tr.Ins(xi.Op1).T.Base() == irkit.TI64 {
					if w, _ := tr.KWord(xi.Op2); int64(w) >= -maxDisp/8 && int64(w) <= maxDisp/8 {
						c = xi.Op1
					}
				}
				if bi := tr.Ins(c); bi.Op == irkit.BCAST && tr.Ins(bi.Op1).T.Is64() && tr.Ins(bi.Op1).T.Base() != irkit.TNum {
					c = bi.Op1
				}
				return c
			}
			if ins := tr.Ins(r); ins.Op == irkit.AREF && !ins.Op2.IsConst() {
				c = index(ins)
			}
			if addr, ok := tg.FusedAddr(tr, r); ok {
				fused++
				ai := tr.Ins(addr)
				a = ai.Op1
				if ai.Op == irkit.AREF && !ai.Op2.IsConst() {
					c = index(ai)
				}
			}
			if ga, gc := tg.Operands(tr, r); ga != a || gc != c {
				t.Fatalf("seed %d, %04d: Operands %v %v, the fusion functions say %v %v\n%s",
					seed, int(r-irkit.Bias), ga, gc, a, c, tr)
			}
		}
	}
	if fused < int(cases())/4 {
		t.Errorf("only %d fused addresses", fused)
	}
}
