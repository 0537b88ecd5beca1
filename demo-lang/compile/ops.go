package compile

import (
	"math"
	"math/bits"

	bc "github.com/jitkit/jitkit/demo-lang/bytecode"
	"github.com/jitkit/jitkit/demo-lang/syntax"
)

// -- Expressions from the AST ------------------------------------------------------------------

func (fs *funcState) expr(n syntax.Expr, e *expDesc) {
	*e = expDesc{}
	switch n := n.(type) {
	case *syntax.NilExpr:
		e.k = kNil
	case *syntax.TrueExpr:
		e.k = kTrue
	case *syntax.FalseExpr:
		e.k = kFalse
	case *syntax.NumberExpr:
		e.k, e.num = kNum, n.Value
	case *syntax.StringExpr:
		e.k, e.str = kStr, n.Value
	case *syntax.VarargExpr:
		fs.at(n)
		fs.reserve(1)
		base := fs.freereg - 1
		e.k, e.aux = kCall, base
		e.info = fs.emitABC(bc.VARG, base, 2, fs.p.NumParams)
	case *syntax.NameExpr:
		fs.singleVar(n.Name, e)
	case *syntax.IndexExpr:
		fs.expr(n.X, e)
		fs.toAnyReg(e)
		var k expDesc
		fs.expr(n.Key, &k)
		fs.toVal(&k)
		fs.atEnd(n, n.EndLine)
		fs.index(e, &k)
	case *syntax.CallExpr:
		fs.expr(n.Fn, e)
		fs.toNextReg(e)
		fs.callArgs(n, n.Args, e.info, 0, e)
	case *syntax.MethodCallExpr:
		fs.expr(n.Recv, e)
		obj := fs.toAnyReg(e)
		fs.freeExp(e)
		fn := fs.freereg
		fs.at(n)
		fs.emitAD(bc.MOV, fn+1, obj)
		fs.reserve(2)
		if idx := fs.strConst(n.Name); idx <= bc.MaxBC {
			fs.emitABC(bc.TGETS, fn, obj, idx)
		} else {
			fs.bumpStack(1)
			fs.emitAD(bc.KSTR, fn+2, idx)
			fs.emitABC(bc.TGETV, fn, obj, fn+2)
		}
		fs.callArgs(n, n.Args, fn, 1, e)
	case *syntax.FuncExpr:
		fs.function(n, e)
	case *syntax.BinaryExpr:
		fs.binary(n, e)
	case *syntax.UnaryExpr:
		fs.expr(n.X, e)
		fs.atEnd(n, n.EndLine)
		fs.unary(n.Op, e)
	case *syntax.ParenExpr:
		fs.expr(n.X, e)
		fs.discharge(e) // truncates calls and ... to one value
	case *syntax.TableExpr:
		fs.table(n, e)
	default:
		fs.fail("unknown expression")
	}
}

// singleVar resolves a name to a local, an upvalue or a global.
func (fs *funcState) singleVar(name string, e *expDesc) {
	if slot := fs.findLocal(name); slot >= 0 {
		e.k, e.info = kLocal, slot
	} else if uv := fs.findUpval(name); uv >= 0 {
		e.k, e.info = kUpval, uv
	} else {
		e.k, e.info = kGlobal, fs.strConst(name)
	}
}

// index turns t (a value in a register) into t[k], with k a constant
// operand where the encoding allows.
func (fs *funcState) index(t, k *expDesc) {
	tab := t.info
	if k.isNumK() {
		if v := k.num; v >= 0 && v <= bc.MaxBC && v == math.Trunc(v) {
			*t = expDesc{k: kIndexed, info: tab, key: keyByte, aux: int(v)}
			return
		}
	} else if k.k == kStr && !k.hasJumps() {
		if idx := fs.strConst(k.str); idx <= bc.MaxBC {
			*t = expDesc{k: kIndexed, info: tab, key: keyStr, aux: idx}
			return
		}
	}
	r := fs.toAnyReg(k)
	*t = expDesc{k: kIndexed, info: tab, key: keySlot, aux: r}
}

// callArgs compiles the arguments of a call whose function is in base
// (with extra arguments, the method's self, already in place) and emits
// the call with one result.
func (fs *funcState) callArgs(n syntax.Node, args []syntax.Expr, base, extra int, e *expDesc) {
	nargs := extra
	multi := false
	for i, a := range args {
		var ae expDesc
		fs.expr(a, &ae)
		if i == len(args)-1 && ae.k == kCall {
			fs.setMultRet(&ae)
			multi = true
		} else {
			fs.toNextReg(&ae)
			nargs++
		}
	}
	fs.at(n)
	var pc int
	if multi {
		pc = fs.emitABC(bc.CALLM, base, 2, nargs)
	} else {
		pc = fs.emitABC(bc.CALL, base, 2, nargs+1)
	}
	fs.freereg = base + 1
	*e = expDesc{k: kCall, info: pc, aux: base}
}

// setMultRet widens a call or VARG to return all its values (MULTRES).
func (fs *funcState) setMultRet(e *expDesc) {
	fs.p.Code[e.info] = fs.p.Code[e.info].SetB(0)
}

// setResults makes a call or VARG return n values.
func (fs *funcState) setResults(e *expDesc, n int) {
	fs.p.Code[e.info] = fs.p.Code[e.info].SetB(n + 1)
}

// -- Operators --

func (fs *funcState) binary(n *syntax.BinaryExpr, e *expDesc) {
	var e2 expDesc
	switch n.Op {
	case syntax.OpAnd:
		fs.expr(n.L, e)
		fs.goIfTrue(e)
		fs.expr(n.R, &e2)
		fs.discharge(&e2)
		e2.f = append(e2.f, e.f...)
		*e = e2
	case syntax.OpOr:
		fs.expr(n.L, e)
		fs.goIfFalse(e)
		fs.expr(n.R, &e2)
		fs.discharge(&e2)
		e2.t = append(e2.t, e.t...)
		*e = e2
	case syntax.OpConcat:
		fs.expr(n.L, e)
		fs.toNextReg(e)
		fs.expr(n.R, &e2)
		fs.toVal(&e2)
		fs.atEnd(n, n.EndLine)
		if e2.k == kReloc {
			if ins := fs.p.Code[e2.info]; ins.Op() == bc.CAT && ins.B() == e.info+1 {
				fs.freeExp(e)
				fs.p.Code[e2.info] = ins.SetB(e.info)
				*e = expDesc{k: kReloc, info: e2.info}
				return
			}
		}
		fs.toNextReg(&e2)
		fs.freeExp(&e2)
		fs.freeExp(e)
		*e = expDesc{k: kReloc, info: fs.emitABC(bc.CAT, 0, e.info, e2.info)}
	case syntax.OpEq, syntax.OpNE:
		fs.expr(n.L, e)
		if !e.isConstNoJump() {
			fs.toAnyReg(e)
		}
		fs.expr(n.R, &e2)
		fs.atEnd(n, n.EndLine)
		fs.compareEq(n.Op == syntax.OpEq, e, &e2)
	case syntax.OpLT, syntax.OpLE, syntax.OpGT, syntax.OpGE:
		fs.expr(n.L, e)
		fs.toAnyReg(e)
		fs.expr(n.R, &e2)
		fs.atEnd(n, n.EndLine)
		fs.compareOrder(n.Op, e, &e2)
	default: // arithmetic
		fs.expr(n.L, e)
		if !e.isNumK() {
			fs.toAnyReg(e)
		}
		fs.expr(n.R, &e2)
		fs.atEnd(n, n.EndLine)
		fs.arith(n.Op, e, &e2)
	}
}

// freeBoth frees the temporaries of two operands, the higher first.
func (fs *funcState) freeBoth(e1, e2 *expDesc) {
	r1, r2 := -1, -1
	if e1.k == kNonReloc && e1.info >= fs.nactvar {
		r1 = e1.info
	}
	if e2.k == kNonReloc && e2.info >= fs.nactvar {
		r2 = e2.info
	}
	if r1 < r2 {
		r1, r2 = r2, r1
	}
	if r1 >= 0 {
		fs.freeReg(r1)
	}
	if r2 >= 0 {
		fs.freeReg(r2)
	}
}

func (fs *funcState) compareEq(eq bool, e, e2 *expDesc) {
	a, b := e, e2
	if a.isConstNoJump() {
		a, b = b, a // the constant goes second
	}
	ra := fs.toAnyReg(a)
	fs.toVal(b)
	var ins bc.Ins
	neg := bc.Op(0)
	if !eq {
		neg = 1
	}
	switch b.k {
	case kNil:
		ins = bc.AD(bc.ISEQP+neg, ra, bc.PriNil)
	case kFalse:
		ins = bc.AD(bc.ISEQP+neg, ra, bc.PriFalse)
	case kTrue:
		ins = bc.AD(bc.ISEQP+neg, ra, bc.PriTrue)
	case kStr:
		ins = bc.AD(bc.ISEQS+neg, ra, fs.strConst(b.str))
	case kNum:
		ins = bc.AD(bc.ISEQN+neg, ra, fs.numConst(b.num))
	default:
		ins = bc.AD(bc.ISEQV+neg, ra, fs.toAnyReg(b))
	}
	fs.freeBoth(a, b)
	fs.emit(ins)
	*e = expDesc{k: kJmp, info: fs.emitJump()}
}

// compareOrder emits < <= > >=: a > b is b < a and a >= b is b <= a, so
// only ISLT and ISLE appear (ISGE and ISGT come from inverting them, which
// is NaN-correct).
func (fs *funcState) compareOrder(op syntax.BinOp, e1, e2 *expDesc) {
	ra := fs.toAnyReg(e1)
	rd := fs.toAnyReg(e2)
	var bop bc.Op
	switch op {
	case syntax.OpLT:
		bop = bc.ISLT
	case syntax.OpLE:
		bop = bc.ISLE
	case syntax.OpGT:
		bop, ra, rd = bc.ISLT, rd, ra
	case syntax.OpGE:
		bop, ra, rd = bc.ISLE, rd, ra
	}
	fs.freeBoth(e1, e2)
	fs.emitAD(bop, ra, rd)
	*e1 = expDesc{k: kJmp, info: fs.emitJump()}
}

// foldArith folds arithmetic on two number constants when the result is
// exactly what the VM would compute: +, -, * and / are single IEEE
// operations; a NaN result, a division by zero, % and ^ are left to run
// time (their bits or the formula could differ), as Lua 5.1 does.
func foldArith(op syntax.BinOp, a, b float64) (float64, bool) {
	var r float64
	switch op {
	case syntax.OpAdd:
		r = a + b
	case syntax.OpSub:
		r = a - b
	case syntax.OpMul:
		r = a * b
	case syntax.OpDiv:
		if b == 0 {
			return 0, false
		}
		r = a / b
	default:
		return 0, false
	}
	if r != r {
		return 0, false
	}
	return r, true
}

var arithIndex = [...]int{
	syntax.OpAdd: bc.ArithAdd, syntax.OpSub: bc.ArithSub, syntax.OpMul: bc.ArithMul,
	syntax.OpDiv: bc.ArithDiv, syntax.OpMod: bc.ArithMod,
}

func (fs *funcState) arith(op syntax.BinOp, e1, e2 *expDesc) {
	if e1.isNumK() && e2.isNumK() {
		if r, ok := foldArith(op, e1.num, e2.num); ok {
			e1.num = r
			return
		}
	}
	var ins bc.Ins
	if op == syntax.OpPow {
		rc := fs.toAnyReg(e2)
		rb := fs.toAnyReg(e1)
		ins = bc.ABC(bc.POW, 0, rb, rc)
	} else {
		k := arithIndex[op]
		fs.toVal(e2)
		if e2.isNumK() && fs.numConst(e2.num) <= bc.MaxBC {
			rc := fs.numConst(e2.num)
			rb := fs.toAnyReg(e1)
			ins = bc.ABC(bc.ADDVN+bc.Op(k), 0, rb, rc)
		} else {
			rc := fs.toAnyReg(e2)
			fs.toVal(e1)
			if e1.isNumK() && fs.numConst(e1.num) <= bc.MaxBC {
				ins = bc.ABC(bc.ADDNV+bc.Op(k), 0, rc, fs.numConst(e1.num))
			} else {
				rb := fs.toAnyReg(e1)
				ins = bc.ABC(bc.ADDVV+bc.Op(k), 0, rb, rc)
			}
		}
	}
	fs.freeBoth(e1, e2)
	*e1 = expDesc{k: kReloc, info: fs.emit(ins)}
}

func (fs *funcState) unary(op syntax.UnOp, e *expDesc) {
	var bop bc.Op
	switch op {
	case syntax.OpNot:
		e.t, e.f = e.f, e.t
		fs.dropValues(e.t)
		fs.dropValues(e.f)
		fs.discharge(e)
		switch e.k {
		case kNil, kFalse:
			e.k = kTrue
			return
		case kTrue, kStr, kNum:
			e.k = kFalse
			return
		case kJmp:
			fs.invertCond(e)
			return
		case kReloc:
			fs.reserve(1)
			fs.p.Code[e.info] = fs.p.Code[e.info].SetA(fs.freereg - 1)
			e.info, e.k = fs.freereg-1, kNonReloc
		}
		bop = bc.NOT
	case syntax.OpNeg:
		if e.isNumK() {
			e.num = -e.num
			return
		}
		fs.toAnyReg(e)
		bop = bc.UNM
	case syntax.OpLen:
		fs.toAnyReg(e)
		bop = bc.LEN
	}
	fs.freeExp(e)
	e.info = fs.emitAD(bop, 0, e.info)
	e.k = kReloc
}

// dropValues turns the copying tests of a jump list into plain tests.
func (fs *funcState) dropValues(list []int) {
	for _, pc := range list {
		fs.patchTestReg(pc, noReg)
	}
}

// -- Functions and tables --

func (fs *funcState) function(n *syntax.FuncExpr, e *expDesc) {
	child := compileFunc(fs, n)
	idx := len(fs.p.Protos)
	if idx > bc.MaxD {
		fs.fail("too many nested functions")
	}
	fs.p.Protos = append(fs.p.Protos, child)
	fs.at(n)
	*e = expDesc{k: kReloc, info: fs.emitAD(bc.FNEW, 0, idx)}
}

// fieldsPerFlush is how many positional constructor values wait in
// registers before they are stored (Lua 5.1's LFIELDS_PER_FLUSH).
const fieldsPerFlush = 50

// table compiles a constructor with Lua 5.1's store order: keyed fields are
// stored at once, positional values wait in registers above the table and
// are stored in batches of fieldsPerFlush and at the end, so that in
// {"a", [1] = "b"} the positional "a" wins, as in Lua 5.1.
func (fs *funcState) table(n *syntax.TableExpr, e *expDesc) {
	fs.at(n)
	t := fs.freereg
	tnew := fs.emitAD(bc.TNEW, t, 0)
	fs.reserve(1)
	narr, nhash := 0, 0
	pending, flushed := 0, 0 // values waiting in t+1..t+pending; items stored
	flush := func() {
		for k := 0; k < pending; k++ {
			key := expDesc{k: kNum, num: float64(flushed + k + 1)}
			tv := expDesc{k: kNonReloc, info: t}
			fs.index(&tv, &key)
			if tv.key == keyByte {
				fs.emitABC(bc.TSETB, t+1+k, t, tv.aux)
			} else {
				fs.emitABC(bc.TSETV, t+1+k, t, tv.aux)
				fs.freeReg(tv.aux)
			}
		}
		flushed += pending
		pending = 0
		fs.freereg = t + 1
	}
	for i := range n.Fields {
		f := &n.Fields[i]
		if pending == fieldsPerFlush {
			flush()
		}
		fs.at(f)
		var key, val expDesc
		switch f.Kind {
		case syntax.FieldPos:
			if i == len(n.Fields)-1 && isMulti(f.Value) {
				flush()
				fs.expr(f.Value, &val)
				if val.k == kCall && val.aux == t+1 {
					fs.setMultRet(&val)
					fs.at(f)
					fs.emitAD(bc.TSETM, t+1, fs.numConst(float64(flushed+1)))
					fs.freereg = t + 1
					// Presize the array part for one value from the call:
					// {f(x), f(y)} then stores its last item without the
					// rehash that a key one past the array part costs (it
					// grew each such table twice in binarytrees.lua).
					narr++
					continue
				}
				fs.freereg = t + 1 // cannot happen: calls land at the next free slot
				fs.fail(internalError + ": multiple results in table constructor")
			}
			fs.expr(f.Value, &val)
			fs.toNextReg(&val)
			if val.info != t+1+pending {
				fs.fail(internalError + ": constructor value out of place")
			}
			pending++
			narr++
		default:
			nhash++
			fs.expr(f.Key, &key)
			fs.toVal(&key)
			tv := expDesc{k: kNonReloc, info: t}
			fs.index(&tv, &key)
			fs.expr(f.Value, &val)
			fs.at(f)
			fs.store(&tv, &val)
		}
		fs.freereg = t + 1 + pending
	}
	flush()
	asize := narr
	if asize > 0x7ff {
		asize = 0x7ff
	}
	hbits := 0
	if nhash > 0 {
		hbits = bits.Len(uint(nhash-1)) + 1
		if hbits > 31 {
			hbits = 31
		}
	}
	fs.p.Code[tnew] = fs.p.Code[tnew].SetD(asize | hbits<<11)
	if tnew == fs.pc()-1 {
		fs.freereg--
		*e = expDesc{k: kReloc, info: tnew}
	} else {
		*e = expDesc{k: kNonReloc, info: t}
	}
}

// isMulti reports whether an expression can produce several values.
func isMulti(e syntax.Expr) bool {
	switch e.(type) {
	case *syntax.CallExpr, *syntax.MethodCallExpr, *syntax.VarargExpr:
		return true
	}
	return false
}

// store assigns the value e to the variable v.
func (fs *funcState) store(v, e *expDesc) {
	switch v.k {
	case kLocal:
		fs.freeExp(e)
		fs.toReg(e, v.info)
		return
	case kUpval:
		fs.toVal(e)
		switch e.k {
		case kNil:
			fs.emitAD(bc.USETP, v.info, bc.PriNil)
		case kFalse:
			fs.emitAD(bc.USETP, v.info, bc.PriFalse)
		case kTrue:
			fs.emitAD(bc.USETP, v.info, bc.PriTrue)
		case kStr:
			fs.emitAD(bc.USETS, v.info, fs.strConst(e.str))
		case kNum:
			fs.emitAD(bc.USETN, v.info, fs.numConst(e.num))
		default:
			fs.emitAD(bc.USETV, v.info, fs.toAnyReg(e))
		}
	case kGlobal:
		ra := fs.toAnyReg(e)
		fs.emitAD(bc.GSET, ra, v.info)
	case kIndexed:
		ra := fs.toAnyReg(e)
		switch v.key {
		case keyStr:
			fs.emitABC(bc.TSETS, ra, v.info, v.aux)
		case keyByte:
			fs.emitABC(bc.TSETB, ra, v.info, v.aux)
		default:
			fs.emitABC(bc.TSETV, ra, v.info, v.aux)
		}
	default:
		fs.fail("cannot assign")
	}
	fs.freeExp(e)
}
