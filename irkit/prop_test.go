package irkit

// Property tests: for random programs and random inputs, the trace built
// with fold and CSE, then DCE'd, loop-optimized and DCE'd again, computes
// bit for bit what the raw trace (no fold, no CSE, no passes) computes:
// the same exit PC after the same number of back edges, the same slots and
// the same memory. The generator emits the same program into both builders
// from the same seed; its decisions never depend on what a builder
// returned, only on the seed. Half the traces carry a memory cell around
// the loop (loaded first, stored last, so loop optimization turns it into
// a PHI no snapshot names), and a third of those change no slot at all and
// end only through the cell: there every PHI is kept alive by the body
// alone, which is what an earlier DCE got wrong (it dropped such a PHI and
// the loop never ended). Runs are bounded (MaxIter), so a loop made
// endless by a pass shows up as a mismatch in the iteration count.

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"runtime"
	"testing"
	"unsafe"
)

const (
	genSlots  = 8
	storeSlot = 7 // written only by SSTORE, never by the slot map
	memWords  = 16
)

var propHelpers = func() *Helpers {
	h := &Helpers{}
	h.Register(Helper{Name: "hmix", Pure: true, Args: []Type{TI64, TI64}, Result: TI64,
		Fn: func(a []uint64) uint64 { return a[0]*31 ^ a[1]>>3 }})
	h.Register(Helper{Name: "hnum", Pure: true, Args: []Type{TNum}, Result: TNum,
		Fn: func(a []uint64) uint64 {
			return math.Float64bits(math.Float64frombits(a[0])*0.5 + 1)
		}})
	h.Register(Helper{Name: "hside", Args: []Type{TPtr, TI64}, Result: TI64,
		Fn: func(a []uint64) uint64 {
			p := (*uint64)(addrPtr(a[0] + 8*(memWords-1)))
			old := *p
			*p += a[1]
			return old
		}})
	return h
}()

type gen struct {
	r     *rand.Rand
	b     *Builder
	memK  Ref
	slotT [genSlots]Type
	slot  [genSlots]Ref
	cur   [genSlots]Type // type of the value the slot map holds
	mod   [genSlots]bool
	dirty bool
	// noSlots: the trace changes no slot of the slot map (SSTORE to
	// storeSlot is still allowed).
	noSlots bool
	snaps   int
	pc      uint64
	pools   [NumTypes][]Ref
	ents    []SnapEntry
}

var (
	intK = []int64{0, 1, -1, 2, 3, 7, 15, 31, 32, 63, 64, 100, -100, math.MaxInt32, math.MinInt32,
		math.MaxInt64, math.MinInt64, 0x5a5a5a5a, 1 << 40}
	numK = []uint64{0, 1 << 63, math.Float64bits(1), math.Float64bits(-1), math.Float64bits(0.5),
		math.Float64bits(2), math.Float64bits(1e300), math.Float64bits(-3.75),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), 0x7ff8000000000000,
		0x7ff8000000000123, 0xfff0000000000001, 0x7ff0000000000005, 1, math.Float64bits(2147483648),
		math.Float64bits(-2147483648.5), math.Float64bits(9.3e18)}
)

func (g *gen) konst(ty Type) Ref {
	b := g.b
	switch ty {
	case TInt:
		return b.KInt(int32(intK[g.r.Intn(len(intK))]))
	case TI64:
		return b.KI64(intK[g.r.Intn(len(intK))])
	case TNum:
		return b.KNumBits(numK[g.r.Intn(len(numK))])
	case TVal:
		if g.r.Intn(2) == 0 {
			return b.KVal(numK[g.r.Intn(len(numK))])
		}
		return b.KVal(DefaultBox.BoxTag(uint64(g.r.Intn(1000)), uint64(g.r.Intn(16))))
	}
	return b.KBool(g.r.Intn(2) == 0)
}

func (b *Builder) KNumBits(w uint64) Ref { return b.K(TNum, w) }

// val picks an operand of type ty: usually an earlier value, sometimes a
// constant or a slot.
func (g *gen) val(ty Type) Ref {
	p := g.pools[ty]
	n := g.r.Intn(10)
	if n < 1 {
		return g.konst(ty)
	}
	if n < 4 || len(p) == 0 {
		for i := 0; i < 6; i++ {
			s := g.r.Intn(storeSlot)
			if g.cur[s] == ty {
				return g.getSlot(s)
			}
		}
		if len(p) == 0 {
			return g.konst(ty)
		}
	}
	if g.r.Intn(2) == 0 && len(p) > 3 {
		return p[len(p)-1-g.r.Intn(3)]
	}
	return p[g.r.Intn(len(p))]
}

// slotVal prefers a value loaded from a slot, whose contents fold cannot
// know, so guards on it are decided at run time.
func (g *gen) slotVal(ty Type) Ref {
	for i := 0; i < 8; i++ {
		if s := g.r.Intn(storeSlot); g.cur[s] == ty {
			return g.getSlot(s)
		}
	}
	return g.val(ty)
}

func (g *gen) add(ty Type, r Ref) { g.pools[ty] = append(g.pools[ty], r) }

func (g *gen) getSlot(s int) Ref {
	if g.slot[s] == NoRef && !g.mod[s] {
		g.slot[s] = g.b.SLoad(s, g.slotT[s])
	}
	return g.slot[s]
}

func (g *gen) setSlot(s int, v Ref, ty Type) {
	g.slot[s] = v
	g.cur[s] = ty
	g.mod[s] = true
	g.dirty = true
}

// snap takes a snapshot of the modified slots if anything happened since
// the last one, as a recorder does.
func (g *gen) snap(force bool) {
	if !g.dirty && g.snaps > 0 && !force {
		return
	}
	g.ents = g.ents[:0]
	for s := 0; s < genSlots; s++ {
		if g.mod[s] {
			g.ents = append(g.ents, MakeEntry(s, g.slot[s], 0))
		}
	}
	if _, err := g.b.T.AddSnap(g.pc, genSlots, g.ents, nil); err != nil {
		g.b.SetErr(err)
	}
	g.snaps++
	g.dirty = false
}

func (g *gen) guard(op Op, ty Type, a, c Ref) Ref {
	g.snap(false)
	return g.b.Emit(op, ty, a, c)
}

var (
	arithTypes = []Type{TInt, TI64, TNum}
	intTypes   = []Type{TInt, TI64}
	memTypes   = []Type{TInt, TI64, TNum, TVal}
	cmpOps     = []Op{EQ, NE, LT, GE, LE, GT, ULT, UGE, ULE, UGT}
	binOps     = []Op{ADD, SUB, MUL, DIV, MOD, POW, MIN, MAX}
	bitOps     = []Op{BAND, BOR, BXOR, BSHL, BSHR, BSAR, BROL, BROR}
	w64Types   = []Type{TI64, TNum, TVal}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.Intn(len(s))] }

// generate emits one random looping trace into b. mem is the address of
// the memWords words the trace may load and store.
func generate(seed int64, b *Builder, mem uintptr) {
	g := &gen{r: rand.New(rand.NewSource(seed)), b: b}
	b.T.Helpers = propHelpers
	r := g.r
	g.slotT[0] = TInt
	for s := 1; s < storeSlot; s++ {
		g.slotT[s] = pick(r, memTypes)
	}
	g.slotT[storeSlot] = TI64
	g.cur = g.slotT
	g.memK = b.KPtr(mem)
	g.snap(true)
	// A value carried around the loop in memory and in no slot: the cell
	// is loaded first and stored last, so after loop optimization the
	// load is forwarded from the previous iteration's store and a PHI
	// carries the value, which no snapshot names. Its only other use is,
	// sometimes, the guard that ends the loop (as in a brainfuck "[+]").
	cell := r.Intn(2) == 0
	cellOnly := cell && r.Intn(3) == 0
	var cellAddr, cellV Ref
	if cell {
		cellAddr = b.KPtr(mem + uintptr(8*r.Intn(memWords-1)))
		v := b.Emit(XLOAD, TI64, cellAddr, NoRef)
		// The BAND keeps fold from reassociating the next iteration's
		// addition onto the loaded value, which would carry the cell
		// through a chain of PHIs instead.
		cellV = b.Emit(BAND, TI64, b.Emit(ADD, TI64, v, b.KI64(int64(1+r.Intn(3)))), b.KI64(0xffff))
		if r.Intn(3) != 0 || cellOnly {
			g.guard(NE, TVoid, b.Emit(BAND, TI64, cellV, b.KI64(15)), b.KI64(0))
		}
	}
	// The loop counter: slot 0 counts up; a guard stops the loop. In
	// cellOnly traces no slot changes, so every PHI carries a value no
	// snapshot names (a live slot PHI would otherwise make DCE sweep
	// again and hide a PHI it dropped on its first sweep), and the cell
	// alone ends the loop.
	g.noSlots = cellOnly
	var i1, limit Ref
	if !cellOnly {
		i1 = b.Emit(ADD, TInt, g.getSlot(0), b.KInt(1))
		g.setSlot(0, i1, TInt)
		limit = b.KInt(int32(r.Intn(6)))
		if cell && r.Intn(2) == 0 {
			limit = b.KInt(math.MaxInt32) // only the cell ends the loop
		}
	}
	nsteps := 5 + r.Intn(35)
	counterAt := r.Intn(nsteps)
	for step := 0; step < nsteps; step++ {
		g.pc = uint64(step + 1)
		if step == counterAt && !cellOnly {
			g.guard(LT, TVoid, i1, limit)
		}
		g.step()
	}
	if cell {
		b.Emit(XSTORE, TVoid, cellAddr, cellV)
		g.dirty = true
	}
	g.pc = 0
	g.snap(true)
	b.T.Looping = r.Intn(10) != 0
}

func (g *gen) step() {
	b, r := g.b, g.r
	switch k := r.Intn(100); {
	case k < 18:
		ty := pick(r, arithTypes)
		g.add(ty, b.Emit(pick(r, binOps), ty, g.val(ty), g.val(ty)))
	case k < 24:
		ty := pick(r, arithTypes)
		op := pick(r, []Op{NEG, ABS, NEG, FLOOR, CEIL, SQRT})
		if op >= FLOOR {
			ty = TNum
		}
		g.add(ty, b.Emit(op, ty, g.val(ty), NoRef))
	case k < 34:
		ty := pick(r, intTypes)
		if r.Intn(3) == 0 {
			g.add(ty, b.Emit(BNOT, ty, g.val(ty), NoRef))
		} else {
			g.add(ty, b.Emit(pick(r, bitOps), ty, g.val(ty), g.val(ty)))
		}
	case k < 39:
		ty := pick(r, intTypes)
		g.add(ty, g.guard(pick(r, []Op{ADDOV, SUBOV, MULOV}), ty, g.val(ty), g.val(ty)))
	case k < 47:
		// Comparison guards: mostly ones that rarely fail, so loops run.
		ty := pick(r, []Type{TInt, TI64, TNum, TVal})
		if r.Intn(3) == 0 {
			g.guard(pick(r, cmpOps), TVoid, g.val(ty), g.val(ty))
		} else {
			op := pick(r, []Op{NE, ULE, LE})
			var c Ref
			switch {
			case op == NE:
				c = b.K(ty, 0x5a5a5a5a5a5a5)
			case ty == TInt:
				c = b.KInt(math.MaxInt32)
			case ty == TNum:
				op, c = ULE, b.KNum(math.Inf(1))
			default:
				op, c = ULE, b.K(ty, math.MaxUint64)
			}
			g.guard(op, TVoid, g.val(ty), c)
		}
	case k < 57:
		switch r.Intn(7) {
		case 0:
			g.add(TNum, b.Emit(ITOF, TNum, g.val(pick(r, intTypes)), NoRef))
		case 1:
			ty := pick(r, intTypes)
			g.add(ty, b.Emit(FTOI, ty, g.val(TNum), NoRef))
		case 2:
			ty := pick(r, intTypes)
			x := g.slotVal(TNum)
			if r.Intn(2) == 0 {
				x = b.Emit(ITOF, TNum, g.val(ty), NoRef)
			}
			g.add(ty, g.guard(FTOIX, ty, x, NoRef))
		case 3:
			g.add(TI64, b.Emit(pick(r, []Op{SEXT, ZEXT}), TI64, g.val(TInt), NoRef))
		case 4:
			g.add(TInt, b.Emit(TRUNC, TInt, g.val(TI64), NoRef))
		default:
			to := pick(r, w64Types)
			g.add(to, b.Emit(BCAST, to, g.val(pick(r, w64Types)), NoRef))
		}
	case k < 65:
		switch r.Intn(6) {
		case 0:
			g.add(TVal, b.Emit(BOXN, TVal, g.val(TNum), NoRef))
		case 1:
			g.add(TNum, b.Emit(UNBOXN, TNum, g.val(TVal), NoRef))
		case 2:
			g.add(TVal, b.Emit(BOXP, TVal, g.val(TI64), Ref(r.Intn(16))))
		case 3:
			g.add(TI64, b.Emit(UNBOXP, TI64, g.val(TVal), NoRef))
		case 4:
			g.guard(ISNUM, TVoid, g.slotVal(TVal), NoRef)
		default:
			g.guard(ISTAG, TVoid, g.slotVal(TVal), Ref(r.Intn(4)))
		}
	case k < 75 && g.noSlots:
		g.memOp()
	case k < 75:
		s := 1 + r.Intn(storeSlot-1)
		ty := g.slotT[s]
		if ty.Is64() && r.Intn(3) == 0 {
			// A 64-bit slot may take a value of another 64-bit type
			// (e.g. an unboxed number in a boxed-value slot).
			ty = pick(r, w64Types)
		}
		g.setSlot(s, g.val(ty), ty)
	case k < 87:
		g.memOp()
	case k < 92:
		switch r.Intn(3) {
		case 0:
			b.Emit(SSTORE, TVoid, storeSlot, g.val(TI64))
			g.dirty = true
		case 1:
			g.add(TI64, b.SLoad(storeSlot, TI64))
		default:
			// A slot loaded again, usually after memory stores: slots
			// and memory do not alias, so CSE finds the earlier load.
			s := 1 + r.Intn(storeSlot-1)
			g.add(g.slotT[s], b.SLoad(s, g.slotT[s]))
		}
	default:
		switch r.Intn(3) {
		case 0:
			g.add(TI64, b.Call(0, g.val(TI64), g.val(TI64)))
		case 1:
			g.add(TNum, b.Call(1, g.val(TNum)))
		default:
			g.add(TI64, b.Call(2, g.memK, g.val(TI64)))
			g.dirty = true
		}
	}
}

func (g *gen) memOp() {
	b, r := g.b, g.r
	ty := pick(r, memTypes)
	var addr Ref
	field := r.Intn(2) == 0
	var ofs Ref
	if field {
		w := r.Intn(memWords - 1)
		ofs = Ref(8 * w)
		if ty == TInt && r.Intn(2) == 0 {
			ofs += 4
		}
	} else if len(g.pools[TPtr]) > 0 && r.Intn(3) == 0 {
		addr = pick(r, g.pools[TPtr])
	} else {
		idx := b.Emit(BAND, TInt, g.val(TInt), b.KInt(memWords-2))
		addr = b.Emit(AREF, TPtr, g.memK, idx)
		g.add(TPtr, addr)
	}
	store := r.Intn(3) == 0
	switch {
	case field && store:
		b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, g.memK, ofs), g.val(ty))
	case field:
		g.add(ty, b.Emit(FLOAD, ty, g.memK, ofs))
	case store:
		b.Emit(pick(r, []Op{ASTORE, XSTORE}), TVoid, addr, g.val(ty))
	default:
		g.add(ty, b.Emit(pick(r, []Op{ALOAD, XLOAD}), ty, addr, NoRef))
	}
	if store {
		g.dirty = true
	}
}

// inputs fills slots and memory with random words of the slot types.
func inputs(seed int64, slots []uint64, mem []uint64) {
	r := rand.New(rand.NewSource(seed ^ 0x5eed))
	word := func(ty Type) uint64 {
		switch ty {
		case TInt:
			return uint64(int64(r.Intn(41) - 20))
		case TI64:
			if r.Intn(4) == 0 {
				return uint64(intK[r.Intn(len(intK))])
			}
			return uint64(int64(r.Intn(2001) - 1000))
		case TNum:
			if r.Intn(3) == 0 {
				return numK[r.Intn(len(numK))]
			}
			return math.Float64bits(float64(r.Intn(2001)-1000) / 8)
		case TVal:
			if r.Intn(2) == 0 {
				return math.Float64bits(float64(r.Intn(100)))
			}
			return DefaultBox.BoxTag(uint64(r.Intn(1000)), uint64(r.Intn(4)))
		}
		return 0
	}
	g := rand.New(rand.NewSource(seed))
	// Same slot types as generate: replay its first decisions.
	types := [genSlots]Type{TInt}
	for s := 1; s < storeSlot; s++ {
		types[s] = pick(g, memTypes)
	}
	types[storeSlot] = TI64
	for s := range slots {
		slots[s] = word(types[s])
	}
	for i := range mem {
		mem[i] = word(memTypes[r.Intn(len(memTypes))])
	}
	slots[0] = uint64(int64(r.Intn(3) - 1))
}

type outcome struct {
	exit  Exit
	err   error
	slots [genSlots]uint64
	mem   [memWords]uint64
}

func runOn(t *Trace, seed int64, mem *[memWords]uint64, in *Interp) outcome {
	var o outcome
	inputs(seed, o.slots[:], mem[:])
	in.MaxIter = 64
	o.exit, o.err = in.Run(t, o.slots[:])
	o.mem = *mem
	return o
}

// same compares two outcomes. A run stopped by the iteration limit did not
// exit: a trace without LOOP has written its loop snapshot at every back
// edge while a loop-optimized one has written no slot, so only the
// iteration count and memory are compared then (a wrongly endless loop
// still differs from a terminating one in err and Iter).
func same(a, b outcome) bool {
	if a.err == ErrMaxIter && b.err == ErrMaxIter {
		return a.exit.Iter == b.exit.Iter && a.mem == b.mem
	}
	return a.err == b.err && a.exit.PC == b.exit.PC && a.exit.Iter == b.exit.Iter &&
		(a.exit.Guard == NoRef) == (b.exit.Guard == NoRef) && a.slots == b.slots && a.mem == b.mem
}

func (o outcome) String() string {
	return fmt.Sprintf("exit pc=%d iter=%d guard=%v err=%v\nslots %x\nmem %x",
		o.exit.PC, o.exit.Iter, o.exit.Guard != NoRef, o.err, o.slots, o.mem)
}

// propStats counts what the property cases exercised.
type propStats struct {
	cases, skipped, loopOpt, loopRuns, folded int
	// bodyPHI counts loop-optimized traces whose PHIs all carry values
	// no snapshot names (onlyBodyPHIs), bodyPHIRuns those of them that
	// took a back edge at run time.
	bodyPHI, bodyPHIRuns int
}

// onlyBodyPHIs reports whether t has PHIs and no snapshot entry names
// any PHI's left value: only instructions of the body keep them alive, so
// DCE's first sweep reaches every PHI before anything has marked it (the
// case an earlier DCE got wrong).
func onlyBodyPHIs(t *Trace) bool {
	if t.Loop == NoRef {
		return false
	}
	n := 0
	for r := t.Loop + 1; r < t.Next(); r++ {
		ins := t.Ins(r)
		if ins.Op != PHI {
			continue
		}
		n++
		for _, e := range t.SnapEntries {
			if e.Ref() == ins.Op1 {
				return false
			}
		}
	}
	return n > 0
}

// checkSeed runs one property case; it returns an error describing a
// mismatch.
func checkSeed(seed int64, st *propStats, raw, opt *Builder, in *Interp) error {
	memA := new([memWords]uint64)
	memB := new([memWords]uint64)
	var pin runtime.Pinner
	pin.Pin(memA)
	pin.Pin(memB)
	defer pin.Unpin()
	raw.Reset()
	opt.Reset()
	raw.NoFold, raw.NoCSE = true, true
	// The generator never addresses slots through memory, so half the
	// cases let slots and memory be disjoint.
	opt.SlotsDisjoint = seed%2 == 0
	generate(seed, raw, uintptr(unsafe.Pointer(memA)))
	generate(seed, opt, uintptr(unsafe.Pointer(memB)))
	st.cases++
	if raw.Err() != nil {
		return fmt.Errorf("raw build: %v", raw.Err())
	}
	if err := raw.T.Verify(); err != nil {
		return fmt.Errorf("raw verify: %v\n%s", err, raw.T)
	}
	if errors.Is(opt.Err(), ErrGuardFails) {
		st.skipped++ // fold proved the trace exits: nothing to compare
		return nil
	}
	if opt.Err() != nil {
		return fmt.Errorf("opt build: %v", opt.Err())
	}
	want := runOn(raw.T, seed, memA, in)
	if want.err != nil && want.err != ErrMaxIter {
		return fmt.Errorf("raw run: %v\n%s", want.err, raw.T)
	}
	st.folded += raw.T.Len() - opt.T.Len()
	stage := func(name string) error {
		if err := opt.T.Verify(); err != nil {
			return fmt.Errorf("%s: verify: %v\n%s", name, err, opt.T)
		}
		got := runOn(opt.T, seed, memB, in)
		if !same(want, got) {
			return fmt.Errorf("%s: mismatch\nraw:\n%s\n%v\nopt:\n%s\n%v", name, raw.T, want, opt.T, got)
		}
		return nil
	}
	if err := stage("fold+cse"); err != nil {
		return err
	}
	opt.T.DCE()
	if err := stage("dce"); err != nil {
		return err
	}
	if err := opt.LoopOpt(); err == nil {
		st.loopOpt++
		if want.exit.Iter > 0 {
			st.loopRuns++
		}
		if onlyBodyPHIs(opt.T) {
			st.bodyPHI++
			if want.exit.Iter > 1 {
				st.bodyPHIRuns++
			}
		}
	} else if !errors.Is(err, ErrLoopUnstable) && !errors.Is(err, ErrGuardFails) &&
		!errors.Is(err, ErrLoopSSTORE) && !errors.Is(err, ErrNotLooping) {
		return fmt.Errorf("loop: %v", err)
	}
	if err := stage("loop"); err != nil {
		return err
	}
	opt.T.DCE()
	return stage("loop+dce")
}

func propCases() int {
	if os.Getenv("JITKIT_QEMU") != "" || testing.Short() {
		return 2000
	}
	return 20000
}

func TestPropertyOptimizedEqualsRaw(t *testing.T) {
	raw, opt := NewBuilder(nil), NewBuilder(nil)
	var in Interp
	var st propStats
	n := propCases()
	for seed := int64(1); seed <= int64(n); seed++ {
		if err := checkSeed(seed, &st, raw, opt, &in); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("cases %d (compared %d), skipped (guard folded to failure) %d, loop-optimized %d (of which looped at run time %d), with only PHIs no snapshot names %d (took a back edge %d), instructions folded/CSE'd away %d",
		st.cases, st.cases-st.skipped, st.skipped, st.loopOpt, st.loopRuns, st.bodyPHI, st.bodyPHIRuns, st.folded)
	if st.cases-st.skipped < n*7/10 || st.loopOpt < n/2 || st.loopRuns < n/10 ||
		st.bodyPHI < n/20 || st.bodyPHIRuns < n/40 {
		t.Errorf("generator coverage too thin: %+v", st)
	}
}

func FuzzOptimizedEqualsRaw(f *testing.F) {
	for _, s := range []int64{1, 2, 3, 42, 1234567} {
		f.Add(s)
	}
	raw, opt := NewBuilder(nil), NewBuilder(nil)
	var in Interp
	f.Fuzz(func(t *testing.T, seed int64) {
		var st propStats
		if err := checkSeed(seed, &st, raw, opt, &in); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	})
}
