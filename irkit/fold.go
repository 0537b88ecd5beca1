package irkit

// Why rules as a table: a fold rule is "when an instruction with opcode OP
// has a left operand made by opcode L and a right operand made by opcode R,
// try this". Keeping the keys as data (foldRules, below) makes the rule set
// readable at a glance, lets Emit pick the few candidate rules for an opcode
// with one slice lookup and no map, and lets tests enumerate the rules.
// Patterns may be an opcode, anyK (any constant) or anyOp (anything).
//
// Float rules are few on purpose: x+0 is not x (-0+0 is +0), x*0 is not 0
// (NaN, -0, Inf), x-x is not 0 (NaN, Inf), and even x*1 quiets a
// signalling NaN. Floats get constant folding (through evalOp, the same
// code the interpreter runs, so bit-exact), double negation (a sign-bit
// flip) and operand swaps of comparisons, and nothing else.

// Pseudo-opcodes used as patterns.
const (
	anyOp Op = 255 // matches every operand, literals and absent ones too
	anyK  Op = 254 // matches any constant
	noOp  Op = 253 // what a literal or absent operand "is": matches only anyOp
)

// Results of a fold rule.
const (
	fNext  = iota // the rule does not apply; try the next one
	fRet          // the result is b.f.ret; emit nothing
	fRetry        // b.f was rewritten; fold it again
	fEmit         // stop folding; CSE and emit b.f
	fDrop         // a guard that always holds: emit nothing
	fFail         // a guard that always fails
)

// fstate is the instruction being folded and its operands' instructions.
type fstate struct {
	op          Op
	ty          Type
	a, c        Ref
	left, right Ins
	ret         Ref
}

type foldFn func(b *Builder, f *fstate) int

type foldRule struct {
	op, left, right Op
	fn              foldFn
	name            string
}

// foldEntry is a rule with its position in foldRules.
type foldEntry struct {
	foldRule
	idx int
}

// foldRules is the rule table. Order matters within an opcode: the first
// rule that applies wins.
var foldRules = []foldRule{
	// Constant folding of every pure arithmetic, comparison, conversion,
	// bit and box operation, and of guards: through evalOp.
	{EQ, anyK, anyK, kfold, "kfold"}, {NE, anyK, anyK, kfold, "kfold"},
	{LT, anyK, anyK, kfold, "kfold"}, {GE, anyK, anyK, kfold, "kfold"},
	{LE, anyK, anyK, kfold, "kfold"}, {GT, anyK, anyK, kfold, "kfold"},
	{ULT, anyK, anyK, kfold, "kfold"}, {UGE, anyK, anyK, kfold, "kfold"},
	{ULE, anyK, anyK, kfold, "kfold"}, {UGT, anyK, anyK, kfold, "kfold"},
	{ADD, anyK, anyK, kfold, "kfold"}, {SUB, anyK, anyK, kfold, "kfold"},
	{MUL, anyK, anyK, kfold, "kfold"}, {DIV, anyK, anyK, kfold, "kfold"},
	{MOD, anyK, anyK, kfold, "kfold"}, {POW, anyK, anyK, kfold, "kfold"},
	{MIN, anyK, anyK, kfold, "kfold"}, {MAX, anyK, anyK, kfold, "kfold"},
	{NEG, anyK, anyOp, kfold, "kfold"}, {ABS, anyK, anyOp, kfold, "kfold"},
	{FLOOR, anyK, anyOp, kfold, "kfold"}, {CEIL, anyK, anyOp, kfold, "kfold"},
	{SQRT, anyK, anyOp, kfold, "kfold"},
	{ADDOV, anyK, anyK, kfold, "kfold"}, {SUBOV, anyK, anyK, kfold, "kfold"},
	{MULOV, anyK, anyK, kfold, "kfold"},
	{BNOT, anyK, anyOp, kfold, "kfold"}, {BAND, anyK, anyK, kfold, "kfold"},
	{BOR, anyK, anyK, kfold, "kfold"}, {BXOR, anyK, anyK, kfold, "kfold"},
	{BSHL, anyK, anyK, kfold, "kfold"}, {BSHR, anyK, anyK, kfold, "kfold"},
	{BSAR, anyK, anyK, kfold, "kfold"}, {BROL, anyK, anyK, kfold, "kfold"},
	{BROR, anyK, anyK, kfold, "kfold"},
	{ITOF, anyK, anyOp, kfold, "kfold"}, {FTOI, anyK, anyOp, kfold, "kfold"},
	{FTOIX, anyK, anyOp, kfold, "kfold"}, {SEXT, anyK, anyOp, kfold, "kfold"},
	{ZEXT, anyK, anyOp, kfold, "kfold"}, {TRUNC, anyK, anyOp, kfold, "kfold"},
	{BCAST, anyK, anyOp, kfold, "kfold"},
	{ISNUM, anyK, anyOp, kfold, "kfold"}, {ISTAG, anyK, anyOp, kfold, "kfold"},
	{UNBOXN, anyK, anyOp, kfold, "kfold"}, {UNBOXP, anyK, anyOp, kfold, "kfold"},
	{BOXN, anyK, anyOp, kfold, "kfold"}, {BOXP, anyK, anyOp, kfold, "kfold"},
	{FREF, anyK, anyOp, kfold, "kfold"}, {AREF, anyK, anyK, kfold, "kfold"},
	{CALLN, anyK, anyOp, kfoldCall, "kfold_call"},
	{CALLN, CARG, anyOp, kfoldCall, "kfold_call"},

	// Integer algebra.
	{ADD, anyOp, anyK, addK, "x+0"},
	{ADD, ADD, anyK, reassocK, "reassoc"},
	{ADD, anyOp, NEG, addNeg, "x+(-y)"},
	{ADD, NEG, anyOp, addNeg, "x+(-y)"},
	{SUB, anyOp, anyOp, subSame, "x-x"},
	{SUB, anyK, anyOp, subFromZero, "0-x"},
	{SUB, anyOp, anyK, subK, "x-k"},
	{SUB, ADD, anyOp, subAdd, "(x+y)-y"},
	{MUL, anyOp, anyK, mulK, "x*k"},
	{MUL, anyOp, anyK, fmul2, "x*2.0"}, {MUL, anyK, anyOp, fmul2, "x*2.0"},
	{MUL, MUL, anyK, reassocK, "reassoc"},
	{DIV, anyOp, anyK, divK, "x/1"},
	{MOD, anyOp, anyK, modK, "x%1"},
	{NEG, NEG, anyOp, negNeg, "--x"},
	{BNOT, BNOT, anyOp, negNeg, "~~x"},
	{BAND, anyOp, anyOp, sameOperand, "x&x"},
	{BAND, anyOp, anyK, bitK, "x&k"},
	{BAND, BAND, anyK, reassocK, "reassoc"},
	{BOR, anyOp, anyOp, sameOperand, "x|x"},
	{BOR, anyOp, anyK, bitK, "x|k"},
	{BOR, BOR, anyK, reassocK, "reassoc"},
	{BXOR, anyOp, anyOp, sameOperand, "x^x"},
	{BXOR, anyOp, anyK, bitK, "x^k"},
	{BXOR, BXOR, anyK, reassocK, "reassoc"},
	{BSHL, anyOp, anyK, shiftK, "x<<0"}, {BSHR, anyOp, anyK, shiftK, "x>>0"},
	{BSAR, anyOp, anyK, shiftK, "x>>0"}, {BROL, anyOp, anyK, shiftK, "rol0"},
	{BROR, anyOp, anyK, shiftK, "ror0"},
	{ADDOV, anyOp, anyK, ovK, "x+0"}, {SUBOV, anyOp, anyK, ovK, "x-0"},
	{MULOV, anyOp, anyK, ovK, "x*1"},

	// Guards.
	{EQ, anyK, anyOp, cmpSwap, "k<x"}, {NE, anyK, anyOp, cmpSwap, "k<x"},
	{LT, anyK, anyOp, cmpSwap, "k<x"}, {GE, anyK, anyOp, cmpSwap, "k<x"},
	{LE, anyK, anyOp, cmpSwap, "k<x"}, {GT, anyK, anyOp, cmpSwap, "k<x"},
	{ULT, anyK, anyOp, cmpSwap, "k<x"}, {UGE, anyK, anyOp, cmpSwap, "k<x"},
	{ULE, anyK, anyOp, cmpSwap, "k<x"}, {UGT, anyK, anyOp, cmpSwap, "k<x"},
	{EQ, anyOp, anyOp, cmpSame, "x==x"}, {NE, anyOp, anyOp, cmpSame, "x==x"},
	{LT, anyOp, anyOp, cmpSame, "x==x"}, {GE, anyOp, anyOp, cmpSame, "x==x"},
	{LE, anyOp, anyOp, cmpSame, "x==x"}, {GT, anyOp, anyOp, cmpSame, "x==x"},
	{ULT, anyOp, anyOp, cmpSame, "x==x"}, {UGE, anyOp, anyOp, cmpSame, "x==x"},
	{ULE, anyOp, anyOp, cmpSame, "x==x"}, {UGT, anyOp, anyOp, cmpSame, "x==x"},
	{ISNUM, BOXN, anyOp, boxGuard, "isnum(boxn)"},
	{ISTAG, BOXN, anyOp, boxGuard, "istag(boxn)"},
	{ISNUM, BOXP, anyOp, boxGuard, "isnum(boxp)"},
	{ISTAG, BOXP, anyOp, boxGuard, "istag(boxp)"},
	{ISNUM, BCAST, anyOp, isnumBcast, "isnum(bcast(num))"},

	// Conversions.
	{ITOF, SEXT, anyOp, itofSext, "itof(sext)"},
	{TRUNC, SEXT, anyOp, truncExt, "trunc(sext)"},
	{TRUNC, ZEXT, anyOp, truncExt, "trunc(zext)"},
	{FTOI, ITOF, anyOp, ftoiItof, "ftoi(itof)"},
	{FTOIX, ITOF, anyOp, ftoiItof, "ftoi(itof)"},
	{BCAST, BCAST, anyOp, bcastBcast, "bcast(bcast)"},
	{UNBOXN, BCAST, anyOp, unboxnBcast, "unboxn(bcast)"},
}

// foldByOp holds, per opcode, the rules of foldRules in table order.
var foldByOp [NumOps][]foldEntry

func init() {
	for i, r := range foldRules {
		foldByOp[r.op] = append(foldByOp[r.op], foldEntry{r, i})
	}
}

// foldHits counts, when countFolds is set (by tests), how often each rule
// of foldRules gave a result.
var (
	countFolds bool
	foldHits   [256]int
)

func match(p, op Op) bool {
	return p == anyOp || p == op || p == anyK && op < NumOps && opInfo[op].Flags&FConst != 0
}

// fold runs the rules on b.f until one gives a result or none applies.
func (b *Builder) fold() int {
	f := &b.f
	t := b.T
	for iter := 0; iter < 16; iter++ {
		info := &opInfo[f.op]
		if info.Flags&FComm != 0 && f.ty.Base() != TNum && f.a < f.c {
			f.a, f.c = f.c, f.a
		}
		lop, rop := noOp, noOp
		f.left, f.right = Ins{}, Ins{}
		if info.Mode1 == ModeRef && t.Valid(f.a) {
			f.left = t.ir[f.a-t.lo]
			lop = f.left.Op
		}
		if info.Mode2 == ModeRef && t.Valid(f.c) {
			f.right = t.ir[f.c-t.lo]
			rop = f.right.Op
		}
		res := fNext
		for i := range foldByOp[f.op] {
			r := &foldByOp[f.op][i]
			if !match(r.left, lop) || !match(r.right, rop) {
				continue
			}
			if res = r.fn(b, f); res != fNext {
				if countFolds {
					foldHits[r.idx]++
				}
				break
			}
		}
		switch res {
		case fNext, fEmit:
			return fEmit
		case fRetry:
			continue
		}
		if b.err != nil {
			return fFail
		}
		return res
	}
	return fEmit
}

// -- Helpers for rules -------------------------------------------------------

func (b *Builder) kw(r Ref) uint64 { w, _ := b.T.KWord(r); return w }

func isIntTy(t Type) bool { t = t.Base(); return t == TInt || t == TI64 }

func isAddrTy(t Type) bool { t = t.Base(); return t == TInt || t == TI64 || t == TPtr }

func ones(t Type) uint64 { return Norm(t, ^uint64(0)) }

func (f *fstate) retRef(r Ref) int { f.ret = r; return fRet }

func (f *fstate) retK(b *Builder, ty Type, w uint64) int {
	f.ret = b.K(ty, w)
	return fRet
}

func (f *fstate) become(op Op, a, c Ref) int {
	f.op, f.a, f.c = op, a, c
	return fRetry
}

// -- Constant folding --------------------------------------------------------

func kfold(b *Builder, f *fstate) int {
	info := &opInfo[f.op]
	bw := uint64(f.c)
	if info.Mode2 == ModeRef {
		bw = b.kw(f.c)
	}
	r, ok := evalOp(&b.T.Box, f.op, f.ty, f.left.T, b.kw(f.a), bw)
	if info.Flags&FGuard != 0 {
		if !ok {
			return fFail
		}
		if info.Flags&FNoVal != 0 {
			return fDrop
		}
	}
	return f.retK(b, f.ty, r)
}

// kfoldCall folds a pure helper call whose arguments are all constants by
// calling its Go implementation, as the interpreter would.
func kfoldCall(b *Builder, f *fstate) int {
	h := b.T.Helper(uint16(f.c))
	if h == nil || !h.Pure {
		return fNext
	}
	var buf [MaxArgs]uint64
	n, ok := b.T.constArgs(f.a, buf[:])
	if !ok || n != len(h.Args) {
		return fNext
	}
	return f.retK(b, f.ty, Norm(f.ty, h.Fn(buf[:n])))
}

// constArgs collects the argument words of a call whose arguments are all
// constants; ok is false otherwise.
func (t *Trace) constArgs(a Ref, buf []uint64) (int, bool) {
	var refs [MaxArgs]Ref
	n, ok := t.argRefs(a, refs[:])
	if !ok {
		return 0, false
	}
	for i := 0; i < n; i++ {
		w, ok := t.KWord(refs[i])
		if !ok {
			return 0, false
		}
		buf[i] = w
	}
	return n, true
}

// argRefs flattens a CARG tree into refs (left to right).
func (t *Trace) argRefs(a Ref, refs []Ref) (int, bool) {
	if a == Bias {
		return 0, true
	}
	n := 0
	// CARG trees lean left: walk down the left spine, filling from the end.
	var stack [MaxArgs]Ref
	for {
		if !t.Valid(a) {
			return 0, false
		}
		ins := t.ir[a-t.lo]
		if ins.Op != CARG {
			break
		}
		if n == MaxArgs-1 {
			return 0, false
		}
		stack[n] = ins.Op2
		n++
		a = ins.Op1
	}
	refs[0] = a
	for i := 0; i < n; i++ {
		refs[i+1] = stack[n-1-i]
	}
	return n + 1, true
}

// -- Integer algebra ---------------------------------------------------------

func addK(b *Builder, f *fstate) int {
	if isAddrTy(f.ty) && Norm(f.right.T, b.kw(f.c)) == 0 {
		return f.retRef(f.a)
	}
	return fNext
}

// reassocK folds (x op k1) op k2 into x op (k1 op k2) for the associative
// integer operations. Not in a loop body (after LOOP) onto an instruction
// before LOOP: that is the peeled iteration's value, and if it is carried
// around the loop, x is the previous round's, so the fold would carry x
// in a second PHI (a counting loop i = i + 1 would compute i0 + 2 from the
// previous i0 and copy both round the back edge).
func reassocK(b *Builder, f *fstate) int {
	if !isAddrTy(f.ty) || f.left.T != f.ty || !f.left.Op2.IsConst() {
		return fNext
	}
	if l := b.T.Loop; l != NoRef && f.a < l {
		return fNext
	}
	k1 := f.left.Op2
	ct := f.right.T
	if ct == TPtr || f.ty == TPtr && f.op != ADD {
		return fNext
	}
	w, _ := evalOp(&b.T.Box, f.op, ct, ct, b.kw(k1), b.kw(f.c))
	k := b.K(ct, w)
	if k == NoRef {
		return fFail
	}
	return f.become(f.op, f.left.Op1, k)
}

func addNeg(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	if f.right.Op == NEG && f.right.T == f.ty {
		return f.become(SUB, f.a, f.right.Op1)
	}
	if f.left.Op == NEG && f.left.T == f.ty {
		return f.become(SUB, f.c, f.left.Op1)
	}
	return fNext
}

func subSame(b *Builder, f *fstate) int {
	if f.a == f.c && isAddrTy(f.ty) {
		return f.retK(b, f.ty, 0)
	}
	return fNext
}

func subFromZero(b *Builder, f *fstate) int {
	if isIntTy(f.ty) && b.kw(f.a) == 0 && !f.c.IsConst() {
		return f.become(NEG, f.c, NoRef)
	}
	return fNext
}

func subK(b *Builder, f *fstate) int {
	if !isAddrTy(f.ty) || f.right.T == TPtr {
		return fNext
	}
	k := b.kw(f.c)
	if Norm(f.right.T, k) == 0 {
		return f.retRef(f.a)
	}
	w, _ := evalOp(&b.T.Box, NEG, f.right.T, f.right.T, k, 0)
	nk := b.K(f.right.T, w)
	if nk == NoRef {
		return fFail
	}
	return f.become(ADD, f.a, nk)
}

func subAdd(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) || f.left.T != f.ty {
		return fNext
	}
	if f.left.Op2 == f.c {
		return f.retRef(f.left.Op1)
	}
	if f.left.Op1 == f.c {
		return f.retRef(f.left.Op2)
	}
	return fNext
}

func mulK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	k := Norm(f.ty, b.kw(f.c))
	switch {
	case k == 0:
		return f.retK(b, f.ty, 0)
	case k == 1:
		return f.retRef(f.a)
	case k == ones(f.ty):
		return f.become(NEG, f.a, NoRef)
	}
	v := int64(k)
	if v > 0 && v&(v-1) == 0 {
		sh := 0
		for v > 1 {
			v >>= 1
			sh++
		}
		return f.become(BSHL, f.a, b.K(f.ty, uint64(sh)))
	}
	return fNext
}

// fmul2: a float multiplication by 2.0 is x+x, bit for bit (both round
// the same exact 2x, overflow to the same infinity, keep -0 and pass a
// NaN operand through), and an add has no constant to hold and a shorter
// latency on most cores.
func fmul2(b *Builder, f *fstate) int {
	if f.ty.Base() != TNum {
		return fNext
	}
	x, k := f.a, f.c
	if f.a.IsConst() {
		x, k = f.c, f.a
	}
	if k.IsConst() && !x.IsConst() && b.kw(k) == 0x4000000000000000 {
		return f.become(ADD, x, x)
	}
	return fNext
}

func divK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	switch Norm(f.ty, b.kw(f.c)) {
	case 1:
		return f.retRef(f.a)
	case ones(f.ty):
		return f.become(NEG, f.a, NoRef)
	}
	return fNext
}

func modK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	switch Norm(f.ty, b.kw(f.c)) {
	case 1, ones(f.ty):
		return f.retK(b, f.ty, 0)
	}
	return fNext
}

// negNeg folds NEG(NEG x) and BNOT(BNOT x) to x; exact for floats too,
// since float NEG only flips the sign bit.
func negNeg(b *Builder, f *fstate) int {
	if f.left.T == f.ty {
		return f.retRef(f.left.Op1)
	}
	return fNext
}

func sameOperand(b *Builder, f *fstate) int {
	if f.a != f.c || !isIntTy(f.ty) {
		return fNext
	}
	if f.op == BXOR {
		return f.retK(b, f.ty, 0)
	}
	return f.retRef(f.a)
}

func bitK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	k := Norm(f.ty, b.kw(f.c))
	switch {
	case k == 0 && f.op == BAND:
		return f.retK(b, f.ty, 0)
	case k == 0:
		return f.retRef(f.a)
	case k == ones(f.ty) && f.op == BAND:
		return f.retRef(f.a)
	case k == ones(f.ty) && f.op == BOR:
		return f.retK(b, f.ty, k)
	case k == ones(f.ty) && f.op == BXOR:
		return f.become(BNOT, f.a, NoRef)
	}
	return fNext
}

func shiftK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	w := uint64(31)
	if f.ty.Base() == TI64 {
		w = 63
	}
	if b.kw(f.c)&w == 0 {
		return f.retRef(f.a)
	}
	return fNext
}

func ovK(b *Builder, f *fstate) int {
	if !isIntTy(f.ty) {
		return fNext
	}
	k := Norm(f.ty.Base(), b.kw(f.c))
	switch {
	case k == 0 && f.op != MULOV:
		return f.retRef(f.a)
	case k == 1 && f.op == MULOV:
		return f.retRef(f.a)
	case k == 0 && f.op == MULOV:
		return f.retK(b, f.ty.Base(), 0)
	}
	return fNext
}

// -- Guards ------------------------------------------------------------------

// swapped is the comparison with its operands exchanged: a<b is b>a.
var swapped = [...]Op{EQ: EQ, NE: NE, LT: GT, GE: LE, LE: GE, GT: LT, ULT: UGT, UGE: ULE, ULE: UGE, UGT: ULT}

// cmpSwap moves a constant to the right of a comparison, so that CSE sees
// one form and backends can use immediates.
func cmpSwap(b *Builder, f *fstate) int {
	if f.c.IsConst() {
		return fNext
	}
	return f.become(swapped[f.op], f.c, f.a)
}

// cmpSame folds x REL x for non-float operands (a float x may be NaN).
func cmpSame(b *Builder, f *fstate) int {
	if f.a != f.c || f.ty.Base() == TNum {
		return fNext
	}
	switch f.op {
	case EQ, LE, GE, ULE, UGE:
		return fDrop
	}
	return fFail
}

// boxGuard decides a tag guard on a freshly boxed value: BOXN always makes
// a number, BOXP a value with a known tag.
func boxGuard(b *Builder, f *fstate) int {
	l := &b.T.Box
	var w uint64 // a representative of the boxed value's class
	if f.left.Op == BOXN {
		w = l.CanonNaN
	} else {
		w = l.BoxTag(0, uint64(f.left.Op2))
	}
	var ok bool
	if f.op == ISNUM {
		ok = l.IsNum(w)
	} else {
		ok = l.HasTag(w, uint64(f.c))
	}
	if ok {
		return fDrop
	}
	return fFail
}

// isnumBcast: ISNUM of a number's bits holds when the number provably is
// one under the layout (numSafe), as the loop optimizer's BCAST of a
// loop-carried number back into a slot's value type makes: the copy of
// the first iteration's type check is dropped.
func isnumBcast(b *Builder, f *fstate) int {
	budget := 256
	if b.numSafe(f.left.Op1, &budget) {
		return fDrop
	}
	return fNext
}

// numSafe reports whether the TNum value x can only hold bits that are a
// number under the trace's layout. Arithmetic keeps a NaN operand's
// payload (setting at most the quiet bit, bit 51, and the sign) and makes
// new NaNs with only the quiet bit set, so when every tagged word is a
// NaN pattern and the tag lies below bit 51, a result computed from
// numbers is a number. Numbers are: constants that are, ITOF results,
// UNBOXN of a value an earlier ISNUM guard checked (the trace would have
// left otherwise), and float arithmetic on numbers. budget bounds the walk.
func (b *Builder) numSafe(x Ref, budget *int) bool {
	if *budget <= 0 {
		return false
	}
	*budget--
	t := b.T
	if !x.IsIns() {
		w, ok := t.KWord(x)
		return ok && t.Ins(x).T.Base() == TNum && t.Box.IsNum(w)
	}
	ins := t.ir[x-t.lo]
	if ins.T.Base() != TNum {
		return false
	}
	switch ins.Op {
	case ITOF:
		return true
	case UNBOXN:
		for r := t.chain[ISNUM]; r > ins.Op1; {
			g := &t.ir[r-t.lo]
			if g.Op1 == ins.Op1 {
				return true
			}
			r = g.Prev
		}
		return false
	case ADD, SUB, MUL, DIV, MOD, POW, MIN, MAX, NEG, ABS, FLOOR, CEIL, SQRT:
		l := &t.Box
		const exp = 0x7ff0000000000000
		if l.Prefix<<(l.PrefixShift&63)&exp != exp || int(l.TagShift)+int(l.TagBits) > 51 {
			return false
		}
		if !b.numSafe(ins.Op1, budget) {
			return false
		}
		if opInfo[ins.Op].Mode2 == ModeRef && ins.Op2 != NoRef {
			return b.numSafe(ins.Op2, budget)
		}
		return true
	}
	return false
}

// -- Conversions -------------------------------------------------------------

func itofSext(b *Builder, f *fstate) int { return f.become(ITOF, f.left.Op1, NoRef) }

func truncExt(b *Builder, f *fstate) int {
	if f.ty.Base() == TInt {
		return f.retRef(f.left.Op1)
	}
	return fNext
}

// ftoiItof: an int32 converted to float and back is itself (exactly, so
// the FTOIX guard holds). Not for int64, where ITOF may round.
func ftoiItof(b *Builder, f *fstate) int {
	if f.ty.Base() == TInt && b.T.ir[f.left.Op1-b.T.lo].T.Base() == TInt {
		return f.retRef(f.left.Op1)
	}
	return fNext
}

func bcastBcast(b *Builder, f *fstate) int {
	inner := f.left.Op1
	if b.T.ir[inner-b.T.lo].T.Base() == f.ty.Base() {
		return f.retRef(inner)
	}
	return f.become(BCAST, inner, NoRef)
}

// unboxnBcast: UNBOXN reinterprets a value word as a number, so undoing a
// BCAST of a number gives the number back, bit for bit.
func unboxnBcast(b *Builder, f *fstate) int {
	if inner := f.left.Op1; b.T.ir[inner-b.T.lo].T.Base() == TNum {
		return f.retRef(inner)
	}
	return fNext
}
