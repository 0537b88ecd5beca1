package irkit

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// foldCase emits a few instructions and states, as dump text, what the
// last Emit returned: an instruction line, a constant, "dropped" (a guard
// that always holds) or "fails" (a guard that never does).
type foldCase struct {
	name string
	emit func(b *Builder, x, y, f, l, v Ref) Ref
	want string
}

func showResult(b *Builder, r Ref) string {
	switch {
	case errors.Is(b.Err(), ErrGuardFails):
		return "fails"
	case b.Err() != nil:
		return "error: " + b.Err().Error()
	case r == NoRef:
		return "dropped"
	case r.IsConst():
		return b.T.KString(r)
	}
	return strings.Join(strings.Fields(b.T.InsString(r)[5:]), " ")
}

var foldCases = []foldCase{
	// Constant folding.
	{"6+7", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TInt, b.KInt(6), b.KInt(7)) }, "+13"},
	{"int wraps", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ADD, TInt, b.KInt(math.MaxInt32), b.KInt(1))
	}, "-2147483648"},
	{"7/0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(DIV, TInt, b.KInt(7), b.KInt(0)) }, "+0"},
	{"7%0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MOD, TInt, b.KInt(7), b.KInt(0)) }, "+7"},
	{"-7%3", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MOD, TInt, b.KInt(-7), b.KInt(3)) }, "-1"},
	{"MIN/-1", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(DIV, TI64, b.KI64(math.MinInt64), b.KI64(-1))
	}, "-9223372036854775808LL"},
	{"2^10", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(POW, TInt, b.KInt(2), b.KInt(10)) }, "+1024"},
	{"2^-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(POW, TInt, b.KInt(2), b.KInt(-1)) }, "+0"},
	{"ADDOV overflow", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ADDOV, TInt, b.KInt(math.MaxInt32), b.KInt(1))
	}, "fails"},
	{"MULOV i64 overflow", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(MULOV, TI64, b.KI64(1<<32), b.KI64(1<<31))
	}, "fails"},
	{"MULOV i64 fits", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(MULOV, TI64, b.KI64(-(1 << 32)), b.KI64(1<<31))
	}, "-9223372036854775808LL"},
	{"SUBOV", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUBOV, TInt, b.KInt(1), b.KInt(3)) }, "-2"},
	{"0.1+0.2", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TNum, b.KNum(0.1), b.KNum(0.2)) }, "0.30000000000000004"},
	{"-(0.0)", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(NEG, TNum, b.KNum(0), NoRef) }, "-0"},
	{"1/0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(DIV, TNum, b.KNum(1), b.KNum(0)) }, "+inf"},
	{"-0*5", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(MUL, TNum, b.KNum(math.Copysign(0, -1)), b.KNum(5))
	}, "-0"},
	{"neg keeps payload", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(NEG, TNum, b.K(TNum, 0x7ff8000000000123), NoRef)
	}, "nan:0xfff8000000000123"},
	{"MIN(NaN,1)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(MIN, TNum, b.KNum(math.NaN()), b.KNum(1))
	}, "1"},
	{"pow", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(POW, TNum, b.KNum(2), b.KNum(0.5)) }, "1.4142135623730951"},
	{"fmod", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MOD, TNum, b.KNum(-7), b.KNum(3)) }, "-1"},
	{"floor", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FLOOR, TNum, b.KNum(-2.5), NoRef) }, "-3"},
	{"bits", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BSHR, TInt, b.KInt(-1), b.KInt(36)) }, "+268435455"},
	{"rol", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BROL, TInt, b.KInt(math.MinInt32), b.KInt(1)) }, "+1"},
	{"1<2", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(LT, b.KInt(1), b.KInt(2)) }, "dropped"},
	{"2<1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(LT, b.KInt(2), b.KInt(1)) }, "fails"},
	{"-1 <u 1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(ULT, b.KInt(-1), b.KInt(1)) }, "fails"},
	{"NaN==NaN", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Guard(EQ, b.KNum(math.NaN()), b.KNum(math.NaN()))
	}, "fails"},
	{"NaN!=NaN", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Guard(NE, b.KNum(math.NaN()), b.KNum(math.NaN()))
	}, "dropped"},
	{"NaN ULT 1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(ULT, b.KNum(math.NaN()), b.KNum(1)) }, "dropped"},
	{"-0==0", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Guard(EQ, b.KNum(math.Copysign(0, -1)), b.KNum(0))
	}, "dropped"},
	{"ITOF", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ITOF, TNum, b.KInt(-3), NoRef) }, "-3"},
	{"FTOI saturates", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOI, TInt, b.KNum(1e300), NoRef) }, "+2147483647"},
	{"FTOI NaN", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOI, TI64, b.KNum(math.NaN()), NoRef) }, "0LL"},
	{"FTOI truncates", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOI, TInt, b.KNum(-2.9), NoRef) }, "-2"},
	{"FTOIX inexact", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOIX, TInt, b.KNum(1.5), NoRef) }, "fails"},
	{"FTOIX range", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOIX, TInt, b.KNum(2147483648), NoRef) }, "fails"},
	{"FTOIX exact", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FTOIX, TInt, b.KNum(-7), NoRef) }, "-7"},
	{"SEXT", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SEXT, TI64, b.KInt(-1), NoRef) }, "-1LL"},
	{"ZEXT", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ZEXT, TI64, b.KInt(-1), NoRef) }, "4294967295LL"},
	{"TRUNC", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(TRUNC, TInt, b.KI64(1<<32+5), NoRef) }, "+5"},
	{"BCAST", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BCAST, TI64, b.KNum(1), NoRef) }, "4607182418800017408LL"},
	{"BOXN canonicalizes", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BOXN, TVal, b.K(TNum, 0xfffc000000000001), NoRef)
	}, "{0x7ff8000000000000}"},
	{"BOXP", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BOXP, TVal, b.KI64(5), 3) }, "{0xfff9800000000005}"},
	{"UNBOXP", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(UNBOXP, TI64, b.KVal(0xfff9800000000005), NoRef)
	}, "5LL"},
	{"ISTAG k", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ISTAG, TVoid, b.KVal(0xfff9800000000005), 3) }, "dropped"},
	{"ISNUM k", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.KVal(0xfff9800000000005), NoRef)
	}, "fails"},
	{"FREF k", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(FREF, TPtr, b.KPtr(0x1000), 24) }, "[0x1018]"},
	{"AREF k", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(AREF, TPtr, b.KPtr(0x1000), b.KInt(-1)) }, "[0xff8]"},
	{"pure call", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Call(0, b.KI64(2), b.KI64(16)) }, "60LL"},
	{"pure call, one argument", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Call(1, b.KNum(3)) }, "2.5"},

	// Integer algebra.
	{"x+0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"0+x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TInt, b.KInt(0), x) }, "int SLOAD #0 #0"},
	{"(x+3)+4", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ADD, TInt, b.Emit(ADD, TInt, x, b.KInt(3)), b.KInt(4))
	}, "int ADD 0001 +7"},
	{"(x+3)-3", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(SUB, TInt, b.Emit(ADD, TInt, x, b.KInt(3)), b.KInt(3))
	}, "int SLOAD #0 #0"},
	{"x-3", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TInt, x, b.KInt(3)) }, "int ADD 0001 -3"},
	{"x-x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TI64, l, l) }, "0LL"},
	{"0-x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TInt, b.KInt(0), x) }, "int NEG 0001"},
	{"(x+y)-y", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TInt, b.Emit(ADD, TInt, x, y), y) }, "int SLOAD #0 #0"},
	{"(x+y)-x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TInt, b.Emit(ADD, TInt, x, y), x) }, "int SLOAD #1 #0"},
	{"x+(-y)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ADD, TInt, x, b.Emit(NEG, TInt, y, NoRef))
	}, "int SUB 0001 0002"},
	{"(-y)+x", func(b *Builder, x, y, f, l, v Ref) Ref {
		n := b.Emit(NEG, TInt, y, NoRef)
		return b.Emit(ADD, TInt, b.SLoad(6, TInt), n)
	}, "int SUB 0007 0002"},
	{"x*0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TInt, x, b.KInt(0)) }, "+0"},
	{"x*1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TInt, x, b.KInt(1)) }, "int SLOAD #0 #0"},
	{"x*-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TI64, l, b.KI64(-1)) }, "i64 NEG 0004"},
	{"x*8", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TInt, x, b.KInt(8)) }, "int BSHL 0001 +3"},
	{"f*2.0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TNum, f, b.KNum(2)) }, "num ADD 0003 0003"},
	{"2.0*f", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TNum, b.KNum(2), f) }, "num ADD 0003 0003"},
	{"f*-2.0 stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TNum, f, b.KNum(-2)) }, "num MUL 0003 -2"},
	{"(x*3)*5", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(MUL, TInt, b.Emit(MUL, TInt, x, b.KInt(3)), b.KInt(5))
	}, "int MUL 0001 +15"},
	{"x/1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(DIV, TInt, x, b.KInt(1)) }, "int SLOAD #0 #0"},
	{"x/-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(DIV, TInt, x, b.KInt(-1)) }, "int NEG 0001"},
	{"x%-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MOD, TInt, x, b.KInt(-1)) }, "+0"},
	{"--x", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(NEG, TInt, b.Emit(NEG, TInt, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"~~x", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BNOT, TInt, b.Emit(BNOT, TInt, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"x&x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BAND, TInt, x, x) }, "int SLOAD #0 #0"},
	{"x|x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BOR, TInt, x, x) }, "int SLOAD #0 #0"},
	{"x^x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BXOR, TInt, x, x) }, "+0"},
	{"x&0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BAND, TInt, x, b.KInt(0)) }, "+0"},
	{"x&-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BAND, TInt, x, b.KInt(-1)) }, "int SLOAD #0 #0"},
	{"x|0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BOR, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"x|-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BOR, TI64, l, b.KI64(-1)) }, "-1LL"},
	{"x^-1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BXOR, TInt, x, b.KInt(-1)) }, "int BNOT 0001"},
	{"(x&6)&3", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BAND, TInt, b.Emit(BAND, TInt, x, b.KInt(6)), b.KInt(3))
	}, "int BAND 0001 +2"},
	{"(x|1)|2", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BOR, TInt, b.Emit(BOR, TInt, x, b.KInt(1)), b.KInt(2))
	}, "int BOR 0001 +3"},
	{"(x^1)^1", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BXOR, TInt, b.Emit(BXOR, TInt, x, b.KInt(1)), b.KInt(1))
	}, "int SLOAD #0 #0"},
	{"x<<32", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BSHL, TInt, x, b.KInt(32)) }, "int SLOAD #0 #0"},
	{"x>>64", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BSAR, TI64, l, b.KI64(64)) }, "i64 SLOAD #3 #0"},
	{"x>>>32", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BSHR, TI64, l, b.KI64(32)) }, "i64 BSHR 0004 32LL"},
	{"x>>>0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BSHR, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"rol 0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BROL, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"ror 0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(BROR, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"ADDOV x 0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADDOV, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"SUBOV x 0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUBOV, TInt, x, b.KInt(0)) }, "int SLOAD #0 #0"},
	{"MULOV x 1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MULOV, TInt, x, b.KInt(1)) }, "int SLOAD #0 #0"},
	{"MULOV x 0", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MULOV, TInt, x, b.KInt(0)) }, "+0"},
	{"ADDOV x 1", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADDOV, TInt, x, b.KInt(1)) }, "> int ADDOV 0001 +1"},
	{"ptr+0", func(b *Builder, x, y, f, l, v Ref) Ref {
		p := b.Emit(UNBOXP, TPtr, v, NoRef)
		return b.Emit(ADD, TPtr, p, b.KI64(0))
	}, "ptr UNBOXP 0005"},
	{"(p+8)+8", func(b *Builder, x, y, f, l, v Ref) Ref {
		p := b.Emit(UNBOXP, TPtr, v, NoRef)
		return b.Emit(ADD, TPtr, b.Emit(ADD, TPtr, p, b.KI64(8)), b.KI64(8))
	}, "ptr ADD 0006 16LL"},

	// No float identities: -0, NaN and Inf make them wrong.
	{"f+0 stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TNum, f, b.KNum(0)) }, "num ADD 0003 0"},
	{"f-0 stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TNum, f, b.KNum(0)) }, "num SUB 0003 0"},
	{"f*1 stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TNum, f, b.KNum(1)) }, "num MUL 0003 1"},
	{"f*0 stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(MUL, TNum, f, b.KNum(0)) }, "num MUL 0003 0"},
	{"f-f stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(SUB, TNum, f, f) }, "num SUB 0003 0003"},
	{"0+f not swapped", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Emit(ADD, TNum, b.KNum(0), f) }, "num ADD 0 0003"},
	{"--f", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(NEG, TNum, b.Emit(NEG, TNum, f, NoRef), NoRef)
	}, "num SLOAD #2 #0"},

	// Guards.
	{"5<x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(LT, b.KInt(5), x) }, "> int GT 0001 +5"},
	{"5<=f", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(ULE, b.KNum(5), f) }, "> num UGE 0003 5"},
	{"x<=x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(LE, x, x) }, "dropped"},
	{"x<x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(LT, x, x) }, "fails"},
	{"x!=x", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(NE, l, l) }, "fails"},
	{"f==f stays", func(b *Builder, x, y, f, l, v Ref) Ref { return b.Guard(EQ, f, f) }, "> num EQ 0003 0003"},
	{"isnum(boxn)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.Emit(BOXN, TVal, f, NoRef), NoRef)
	}, "dropped"},
	{"istag(boxn)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISTAG, TVoid, b.Emit(BOXN, TVal, f, NoRef), 1)
	}, "fails"},
	{"istag(boxp) same", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISTAG, TVoid, b.Emit(BOXP, TVal, l, 2), 2)
	}, "dropped"},
	{"istag(boxp) other", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISTAG, TVoid, b.Emit(BOXP, TVal, l, 2), 3)
	}, "fails"},
	{"isnum(boxp)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.Emit(BOXP, TVal, l, 2), NoRef)
	}, "fails"},
	{"isnum(boxp tag 0)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.Emit(BOXP, TVal, l, 0), NoRef)
	}, "dropped"},

	// Conversions.
	{"itof(sext)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ITOF, TNum, b.Emit(SEXT, TI64, x, NoRef), NoRef)
	}, "num ITOF 0001"},
	{"trunc(sext)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(TRUNC, TInt, b.Emit(SEXT, TI64, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"trunc(zext)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(TRUNC, TInt, b.Emit(ZEXT, TI64, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"ftoix(itof int)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(FTOIX, TInt, b.Emit(ITOF, TNum, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"ftoi(itof int)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(FTOI, TInt, b.Emit(ITOF, TNum, x, NoRef), NoRef)
	}, "int SLOAD #0 #0"},
	{"ftoi(itof i64) stays", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(FTOI, TI64, b.Emit(ITOF, TNum, l, NoRef), NoRef)
	}, "i64 FTOI 0006"},
	{"bcast(bcast)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BCAST, TI64, b.Emit(BCAST, TNum, l, NoRef), NoRef)
	}, "i64 SLOAD #3 #0"},
	{"unboxn(bcast)", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(UNBOXN, TNum, b.Emit(BCAST, TVal, f, NoRef), NoRef)
	}, "num SLOAD #2 #0"},
	{"isnum(bcast(itof))", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.Emit(BCAST, TVal, b.Emit(ITOF, TNum, x, NoRef), NoRef), NoRef)
	}, "dropped"},
	{"isnum(bcast(num arithmetic on checked numbers))", func(b *Builder, x, y, f, l, v Ref) Ref {
		b.Emit(ISNUM, TVoid, v, NoRef)
		n := b.Emit(UNBOXN, TNum, v, NoRef)
		s := b.Emit(SQRT, TNum, b.Emit(MUL, TNum, n, b.Emit(ADD, TNum, b.Emit(ITOF, TNum, x, NoRef), b.KNum(1.5))), NoRef)
		return b.Emit(ISNUM, TVoid, b.Emit(BCAST, TVal, b.Emit(NEG, TNum, s, NoRef), NoRef), NoRef)
	}, "dropped"},
	{"isnum(bcast(unboxn of an unchecked value)) stays", func(b *Builder, x, y, f, l, v Ref) Ref {
		n := b.Emit(UNBOXN, TNum, v, NoRef)
		return b.Emit(ISNUM, TVoid, b.Emit(BCAST, TVal, b.Emit(ADD, TNum, n, b.KNum(1)), NoRef), NoRef)
	}, "> val ISNUM 0008"},
	{"isnum(bcast(num)) stays", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(ISNUM, TVoid, b.Emit(BCAST, TVal, f, NoRef), NoRef)
	}, "> val ISNUM 0006"},
	{"bcast(bcast) to third", func(b *Builder, x, y, f, l, v Ref) Ref {
		return b.Emit(BCAST, TVal, b.Emit(BCAST, TNum, l, NoRef), NoRef)
	}, "val BCAST 0004"},

	// CSE.
	{"commutative int", func(b *Builder, x, y, f, l, v Ref) Ref {
		a := b.Emit(ADD, TInt, x, y)
		if b.Emit(ADD, TInt, y, x) != a {
			return NoRef
		}
		return a
	}, "int ADD 0002 0001"},
	{"float operands not swapped", func(b *Builder, x, y, f, l, v Ref) Ref {
		g := b.Emit(UNBOXN, TNum, v, NoRef)
		a := b.Emit(ADD, TNum, f, g)
		if b.Emit(ADD, TNum, g, f) == a {
			return NoRef
		}
		return a
	}, "num ADD 0003 0006"},
	{"load CSE", func(b *Builder, x, y, f, l, v Ref) Ref {
		p := b.Emit(UNBOXP, TPtr, v, NoRef)
		a := b.Emit(FLOAD, TInt, p, 8)
		if b.Emit(FLOAD, TInt, p, 8) != a {
			return NoRef
		}
		return a
	}, "int FLOAD 0006 #8"},
	{"no load CSE across a store", func(b *Builder, x, y, f, l, v Ref) Ref {
		p := b.Emit(UNBOXP, TPtr, v, NoRef)
		a := b.Emit(FLOAD, TInt, p, 8)
		b.Emit(XSTORE, TVoid, p, x)
		if b.Emit(FLOAD, TInt, p, 8) == a {
			return NoRef
		}
		return a
	}, "int FLOAD 0006 #8"},
	{"no load CSE across a call with side effects", func(b *Builder, x, y, f, l, v Ref) Ref {
		a := b.SLoad(6, TInt)
		p := b.Emit(UNBOXP, TPtr, v, NoRef)
		b.Call(2, p, l)
		if b.SLoad(6, TInt) == a {
			return NoRef
		}
		return a
	}, "int SLOAD #6 #0"},
}

func TestFoldRules(t *testing.T) {
	countFolds = true
	defer func() { countFolds = false }()
	for _, c := range foldCases {
		b := NewBuilder(nil)
		b.T.Helpers = propHelpers
		b.T.AddSnap(0, 8, nil, nil)
		x, y := b.SLoad(0, TInt), b.SLoad(1, TInt)
		f, l := b.SLoad(2, TNum), b.SLoad(3, TI64)
		v := b.SLoad(4, TVal)
		got := showResult(b, c.emit(b, x, y, f, l, v))
		if got != c.want {
			t.Errorf("%s: got %q, want %q\n%s", c.name, got, c.want, b.T)
		}
		if b.Err() == nil {
			if err := b.T.Verify(); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	}
	// Every rule of the table (by name) is exercised by the cases above.
	hit := map[string]bool{}
	for i, r := range foldRules {
		hit[r.name] = hit[r.name] || foldHits[i] > 0
	}
	for name, ok := range hit {
		if !ok {
			t.Errorf("fold rule %q never applied", name)
		}
	}
}

func patName(p Op) string {
	switch p {
	case anyOp:
		return "any"
	case anyK:
		return "K"
	}
	return p.String()
}

// TestKFoldMatchesInterp: constant folding and the interpreter agree on
// every pure opcode for many operand values, because both use evalOp; this
// checks the folded constant, not evalOp itself, against a run of the
// unfolded instruction.
func TestKFoldMatchesInterp(t *testing.T) {
	ops := []Op{ADD, SUB, MUL, DIV, MOD, POW, MIN, MAX, BAND, BOR, BXOR, BSHL, BSHR, BSAR, BROL, BROR}
	vals := []uint64{0, 1, 2, 0xffffffffffffffff, 0x7fffffff, 0xffffffff80000000, 1 << 63, 1<<63 - 1, 37,
		0x7ff8000000000001, math.Float64bits(-0.0 * -1), 1 << 63 /* -0.0 */, math.Float64bits(3.5)}
	var in Interp
	for _, ty := range []Type{TInt, TI64, TNum} {
		for _, op := range ops {
			if ty == TNum && op >= BAND {
				continue
			}
			for _, a := range vals {
				for _, c := range vals {
					a, c := Norm(ty, a), Norm(ty, c)
					fb := NewBuilder(nil)
					k := fb.Emit(op, ty, fb.K(ty, a), fb.K(ty, c))
					kw, ok := fb.T.KWord(k)
					if !ok {
						t.Fatalf("%v %v not folded", ty, op)
					}
					rb := NewBuilder(nil)
					rb.NoFold = true
					r := rb.Emit(op, ty, rb.K(ty, a), rb.K(ty, c))
					rb.Emit(SSTORE, TVoid, 0, r)
					slots := []uint64{0}
					if _, err := in.Run(rb.T, slots); err != nil {
						t.Fatal(err)
					}
					if slots[0] != kw {
						t.Errorf("%v %v %x %x: fold %x, interp %x", ty, op, a, c, kw, slots[0])
					}
				}
			}
		}
	}
}

func TestStoreToLoadForwarding(t *testing.T) {
	b := NewBuilder(nil)
	p := b.Emit(UNBOXP, TPtr, b.SLoad(0, TVal), NoRef)
	x := b.SLoad(1, TInt)
	b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, p, 16), x)
	if r := b.Emit(FLOAD, TInt, p, 16); r != x {
		t.Errorf("FLOAD after FSTORE: %s", b.T.InsString(r))
	}
	if r := b.Emit(FLOAD, TInt, p, 20); r == x || b.T.Ins(r).Op != FLOAD {
		t.Errorf("FLOAD of another field forwarded")
	}
	if r := b.Emit(FLOAD, TNum, p, 16); r == x {
		t.Errorf("FLOAD of another type forwarded")
	}
	a := b.Emit(AREF, TPtr, p, x)
	b.Emit(ASTORE, TVoid, a, x)
	if r := b.Emit(ALOAD, TInt, a, NoRef); r != x {
		t.Errorf("ALOAD after ASTORE: %s", b.T.InsString(r))
	}
	b.Emit(SSTORE, TVoid, 5, x)
	if r := b.SLoad(5, TInt); r != x {
		t.Errorf("SLOAD after SSTORE: %s", b.T.InsString(r))
	}
	// By default every store kills every load.
	b.Emit(SSTORE, TVoid, 6, x)
	if r := b.SLoad(5, TInt); r == x {
		t.Errorf("SLOAD forwarded across another store")
	}
	// With SlotsDisjoint, slots do not alias each other or memory
	// (cse.go): a store to slot 6 or to memory leaves slot 5's value
	// known.
	b.SlotsDisjoint = true
	b.Emit(SSTORE, TVoid, 5, x)
	b.Emit(SSTORE, TVoid, 6, b.SLoad(2, TInt))
	b.Emit(ASTORE, TVoid, a, b.SLoad(3, TInt))
	if r := b.SLoad(5, TInt); r != x {
		t.Errorf("SLOAD #5 after SSTORE #6 and ASTORE: %s", b.T.InsString(r))
	}
	y := b.SLoad(4, TInt)
	b.Emit(SSTORE, TVoid, 5, y)
	if r := b.SLoad(5, TInt); r != y {
		t.Errorf("SLOAD #5 after a second SSTORE #5: %s", b.T.InsString(r))
	}
	if r := b.SLoad(5, TNum); b.T.Ins(r).Op != SLOAD {
		t.Errorf("SLOAD of another type forwarded: %s", b.T.InsString(r))
	}
	// A CALLS may write anything: slot 5 and the slot loads before it
	// are read again.
	h := &Helpers{}
	h.Register(Helper{Name: "h", Args: []Type{TI64}, Result: TI64, Fn: func(a []uint64) uint64 { return a[0] }})
	b.T.Helpers = h
	b.Call(0, b.KI64(1))
	if r := b.SLoad(5, TInt); r == y || b.T.Ins(r).Op != SLOAD {
		t.Errorf("SLOAD #5 forwarded across a call: %s", b.T.InsString(r))
	}
	if r := b.SLoad(1, TInt); r == x {
		t.Errorf("SLOAD #1 CSE'd across a call")
	}
}

// TestSlotsDoNotAliasMemory: with SlotsDisjoint, memory stores do not kill slot loads, slot
// stores do not kill memory loads, and a store to one slot does not kill
// another slot's load; a store to the same slot does.
func TestSlotsDoNotAliasMemory(t *testing.T) {
	b := NewBuilder(nil)
	b.SlotsDisjoint = true
	p := b.Emit(UNBOXP, TPtr, b.SLoad(0, TVal), NoRef)
	s1 := b.SLoad(1, TI64)
	f := b.Emit(FLOAD, TI64, p, 8)
	b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, p, 0), s1)
	b.Emit(XSTORE, TVoid, p, s1)
	b.Emit(ASTORE, TVoid, b.Emit(AREF, TPtr, p, b.KInt(3)), s1)
	if r := b.SLoad(1, TI64); r != s1 {
		t.Errorf("SLOAD #1 after memory stores: %s, want %s", b.T.InsString(r), b.T.RefString(s1))
	}
	g := b.Emit(FLOAD, TI64, p, 8)
	if g == f {
		t.Errorf("FLOAD CSE'd across memory stores")
	}
	b.Emit(SSTORE, TVoid, 2, f)
	if r := b.Emit(FLOAD, TI64, p, 8); r != g {
		t.Errorf("FLOAD after SSTORE: %s, want %s", b.T.InsString(r), b.T.RefString(g))
	}
	b.Emit(SSTORE, TVoid, 1, g)
	if r := b.SLoad(1, TI64); r != g {
		t.Errorf("SLOAD #1 after SSTORE #1: %s, want forwarded %s", b.T.InsString(r), b.T.RefString(g))
	}
	// What the optimized trace computes is what the raw one computes.
	mem := new([8]uint64)
	var pin runtime.Pinner
	pin.Pin(mem)
	defer pin.Unpin()
	raw := NewBuilder(nil)
	raw.NoFold, raw.NoCSE = true, true
	build := func(b *Builder) {
		b.T.AddSnap(0, 4, nil, nil)
		a := b.Emit(AREF, TPtr, b.KPtr(uintptr(unsafe.Pointer(&mem[0]))), b.KInt(2))
		x := b.SLoad(1, TI64)
		b.Emit(ASTORE, TVoid, a, b.Emit(ADD, TI64, x, b.KI64(5)))
		b.Emit(SSTORE, TVoid, 2, b.Emit(ALOAD, TI64, a, NoRef))
		y := b.SLoad(1, TI64)
		b.Emit(SSTORE, TVoid, 3, b.Emit(MUL, TI64, y, b.SLoad(2, TI64)))
	}
	build(raw)
	opt := NewBuilder(nil)
	opt.SlotsDisjoint = true
	build(opt)
	var in Interp
	want := []uint64{0, 7, 0, 0}
	if _, err := in.Run(raw.T, want); err != nil {
		t.Fatal(err)
	}
	mem[2] = 0
	got := []uint64{0, 7, 0, 0}
	if _, err := in.Run(opt.T, got); err != nil {
		t.Fatal(err)
	}
	if want[3] != 7*12 || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("slots raw %v, optimized %v\n%s", want, got, opt.T)
	}
	n := 0
	for r := First; r < opt.T.Next(); r++ {
		if ins := opt.T.Ins(r); ins.Op == SLOAD || ins.Op == ALOAD {
			n++
		}
	}
	if n != 1 {
		t.Errorf("optimized trace has %d loads, want 1 (SLOAD #1; the rest forwarded or CSE'd)\n%s", n, opt.T)
	}
}

// TestSlotLoadHoistedPastStores: a slot the loop does not change, read
// after an array store, is loaded once before the loop with SlotsDisjoint, not in every
// iteration (the store does not kill the slot load).
func TestSlotLoadHoistedPastStores(t *testing.T) {
	mem := new([4]uint64)
	var pin runtime.Pinner
	pin.Pin(mem)
	defer pin.Unpin()
	b := NewBuilder(nil)
	b.SlotsDisjoint = true
	r := NewRecorder(b)
	r.Start(0)
	i := r.Emit(ADD, TInt, r.Slot(0, TInt), b.KInt(1))
	r.SetSlot(0, i)
	a := r.Emit(AREF, TPtr, b.KPtr(uintptr(unsafe.Pointer(&mem[0]))), r.Emit(BAND, TInt, i, b.KInt(3)))
	r.Emit(ASTORE, TInt, a, i)
	n := b.SLoad(1, TInt) // read after the store, bypassing the slot map
	if err := r.Guard(LT, i, n); err != nil {
		t.Fatal(err)
	}
	if err := r.CloseLoop(); err != nil {
		t.Fatal(err)
	}
	if err := b.LoopOpt(); err != nil {
		t.Fatal(err)
	}
	b.T.DCE()
	for q := b.T.Loop + 1; q < b.T.Next(); q++ {
		if b.T.Ins(q).Op == SLOAD {
			t.Errorf("SLOAD in the loop body:\n%s", b.T)
		}
	}
	var in Interp
	slots := []uint64{0, 10}
	exit, err := in.Run(b.T, slots)
	if err != nil || slots[0] != 10 || exit.Iter != 9 || mem[10&3] != 10 {
		t.Errorf("exit %+v err %v slots %v mem %v\n%s", exit, err, slots, mem, b.T)
	}
}

// TestFieldsDisjoint: with FieldsDisjoint an FSTORE kills only the FLOADs
// of its own offset (of any base) and no SLOAD, forwards its value to a
// load of the same field, and no ALOAD; an SSTORE and an ASTORE kill no
// FLOAD; raw stores (XSTORE) still kill every load. Without the promise
// every store kills every load.
func TestFieldsDisjoint(t *testing.T) {
	for _, disjoint := range []bool{false, true} {
		b := NewBuilder(nil)
		b.FieldsDisjoint = disjoint
		p := b.Emit(UNBOXP, TPtr, b.SLoad(0, TVal), NoRef)
		q := b.Emit(UNBOXP, TPtr, b.SLoad(1, TVal), NoRef)
		v := b.SLoad(2, TI64)
		f0 := b.Emit(FLOAD, TPtr, p, 0)
		f8 := b.Emit(FLOAD, TI64, p, 8)
		b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, q, 8), v) // q's field 8
		g0 := b.Emit(FLOAD, TPtr, p, 0)
		g8 := b.Emit(FLOAD, TI64, p, 8)
		if (g0 == f0) != disjoint {
			t.Errorf("disjoint=%v: FLOAD #0 after an FSTORE to #8 CSE'd: %v", disjoint, g0 == f0)
		}
		if g8 == f8 {
			t.Errorf("disjoint=%v: FLOAD #8 CSE'd across an FSTORE to #8 of another base", disjoint)
		}
		if r := b.Emit(FLOAD, TI64, q, 8); disjoint && r != v {
			t.Errorf("FLOAD of the stored field: %s, want forwarded %s", b.T.InsString(r), b.T.RefString(v))
		}
		// Fields are not slots: a field store kills no slot load, a slot
		// store no field load.
		if r := b.SLoad(2, TI64); (r == v) != disjoint {
			t.Errorf("disjoint=%v: SLOAD after an FSTORE CSE'd: %v", disjoint, r == v)
		}
		h0 := b.Emit(FLOAD, TPtr, p, 0)
		b.Emit(SSTORE, TVoid, 5, v)
		if r := b.Emit(FLOAD, TPtr, p, 0); (r == h0) != disjoint {
			t.Errorf("disjoint=%v: FLOAD after an SSTORE CSE'd: %v", disjoint, r == h0)
		}
		// Fields are not array elements: a field store kills no ALOAD,
		// a slot store does (slots may be addressed).
		ar := b.Emit(AREF, TPtr, q, b.KInt(1))
		a1 := b.Emit(ALOAD, TI64, ar, NoRef)
		b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, p, 16), v)
		if r := b.Emit(ALOAD, TI64, ar, NoRef); (r == a1) != disjoint {
			t.Errorf("disjoint=%v: ALOAD after an FSTORE CSE'd: %v", disjoint, r == a1)
		}
		a2 := b.Emit(ALOAD, TI64, ar, NoRef)
		b.Emit(SSTORE, TVoid, 6, v)
		if r := b.Emit(ALOAD, TI64, ar, NoRef); r == a2 {
			t.Errorf("disjoint=%v: ALOAD CSE'd across an SSTORE", disjoint)
		}
		// Array elements are not fields either: an array store kills no
		// field load; a raw store still kills every load.
		s2 := b.SLoad(2, TI64)
		i0 := b.Emit(FLOAD, TPtr, p, 0)
		b.Emit(ASTORE, TVoid, b.Emit(AREF, TPtr, p, b.KInt(3)), v)
		if r := b.Emit(FLOAD, TPtr, p, 0); (r == i0) != disjoint {
			t.Errorf("disjoint=%v: FLOAD after an ASTORE CSE'd: %v", disjoint, r == i0)
		}
		if r := b.SLoad(2, TI64); r == s2 {
			t.Errorf("disjoint=%v: SLOAD CSE'd across an ASTORE (slots may be addressed)", disjoint)
		}
		j0 := b.Emit(FLOAD, TPtr, p, 0)
		b.Emit(XSTORE, TVoid, b.Emit(UNBOXP, TPtr, b.SLoad(3, TVal), NoRef), v)
		if r := b.Emit(FLOAD, TPtr, p, 0); r == j0 {
			t.Errorf("disjoint=%v: FLOAD CSE'd across an XSTORE", disjoint)
		}
		if err := b.T.Verify(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFieldsTyped: with FieldsTyped too, an FSTORE of a number at #8
// kills the value and number FLOADs at #8 (one class) but not a pointer
// or an integer FLOAD at #8; without it, it kills them all.
func TestFieldsTyped(t *testing.T) {
	for _, typed := range []bool{false, true} {
		b := NewBuilder(nil)
		b.FieldsDisjoint, b.FieldsTyped = true, typed
		p := b.Emit(UNBOXP, TPtr, b.SLoad(0, TVal), NoRef)
		q := b.Emit(UNBOXP, TPtr, b.SLoad(1, TVal), NoRef)
		x := b.Emit(UNBOXN, TNum, b.SLoad(2, TVal), NoRef)
		fp := b.Emit(FLOAD, TPtr, p, 8)
		fi := b.Emit(FLOAD, TI64, p, 8)
		fv := b.Emit(FLOAD, TVal, p, 8)
		fn := b.Emit(FLOAD, TNum, p, 8)
		b.Emit(FSTORE, TVoid, b.Emit(FREF, TPtr, q, 8), x)
		if r := b.Emit(FLOAD, TPtr, p, 8); (r == fp) != typed {
			t.Errorf("typed=%v: pointer FLOAD #8 after a number FSTORE #8 CSE'd: %v", typed, r == fp)
		}
		if r := b.Emit(FLOAD, TI64, p, 8); (r == fi) != typed {
			t.Errorf("typed=%v: integer FLOAD #8 after a number FSTORE #8 CSE'd: %v", typed, r == fi)
		}
		if r := b.Emit(FLOAD, TVal, p, 8); r == fv {
			t.Errorf("typed=%v: value FLOAD #8 CSE'd across a number FSTORE #8", typed)
		}
		if r := b.Emit(FLOAD, TNum, p, 8); r == fn {
			t.Errorf("typed=%v: number FLOAD #8 CSE'd across a number FSTORE #8", typed)
		}
		if r := b.Emit(FLOAD, TNum, q, 8); r != x {
			t.Errorf("typed=%v: FLOAD of the stored field: %s, want forwarded %s", typed, b.T.InsString(r), b.T.RefString(x))
		}
		if err := b.T.Verify(); err != nil {
			t.Fatal(err)
		}
	}
}
