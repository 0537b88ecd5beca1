package irkit

// Why one evaluator: constant folding and the IR interpreter must compute
// bit-for-bit the same result for every pure opcode, or the interpreter
// could not serve as the oracle for fold. Both call evalOp; the backends
// are later held to it too.

import (
	"math"
	"math/bits"
)

// evalOp computes the pure opcode op of result type ty whose first operand
// has type ta, on operand words a and b (b is the literal for ModeLit
// operands). For guards ok reports whether the guard holds.
func evalOp(l *BoxLayout, op Op, ty, ta Type, a, b uint64) (r uint64, ok bool) {
	ok = true
	switch op {
	case EQ, NE, LT, GE, LE, GT, ULT, UGE, ULE, UGT:
		return 0, compare(op, ta, a, b)
	case ISNUM:
		return 0, l.IsNum(a)
	case ISTAG:
		return 0, l.HasTag(a, b)
	case UNBOXN:
		return a, true
	case UNBOXP:
		return l.Payload(a), true
	case BOXN:
		return l.BoxNum(a), true
	case BOXP:
		return l.BoxTag(a, b), true
	case FREF:
		return a + b, true
	case AREF:
		return a + 8*b, true
	case ITOF:
		if ta.Base() == TInt {
			return math.Float64bits(float64(int32(a))), true
		}
		return math.Float64bits(float64(int64(a))), true
	case FTOI, FTOIX:
		f := math.Float64frombits(a)
		if ty.Base() == TInt {
			if f > -2147483649 && f < 2147483648 {
				i := int32(f)
				return uint64(int64(i)), op == FTOI || float64(i) == f
			}
			if op == FTOIX {
				return 0, false
			}
			switch {
			case f != f:
				return 0, true
			case f > 0:
				return math.MaxInt32, true
			}
			return minInt32Word, true
		}
		if f >= -9223372036854775808.0 && f < 9223372036854775808.0 {
			i := int64(f)
			return uint64(i), op == FTOI || float64(i) == f
		}
		if op == FTOIX {
			return 0, false
		}
		switch {
		case f != f:
			return 0, true
		case f > 0:
			return math.MaxInt64, true
		}
		return 1 << 63, true
	case SEXT:
		return uint64(int64(int32(a))), true
	case ZEXT:
		return uint64(uint32(a)), true
	case TRUNC:
		return uint64(int64(int32(a))), true
	case BCAST:
		return Norm(ty, a), true
	}
	switch ty.Base() {
	case TNum:
		return evalNum(op, a, b), true
	case TInt:
		r, ok := evalI32(op, int32(a), int32(b))
		return uint64(int64(r)), ok
	case TI64, TPtr:
		r, ok := evalI64(op, int64(a), int64(b))
		return uint64(r), ok
	}
	return 0, true
}

func compare(op Op, t Type, a, b uint64) bool {
	switch t.Base() {
	case TNum:
		x, y := math.Float64frombits(a), math.Float64frombits(b)
		switch op {
		case EQ:
			return x == y
		case NE:
			return !(x == y)
		case LT:
			return x < y
		case GE:
			return x >= y
		case LE:
			return x <= y
		case GT:
			return x > y
		case ULT:
			return !(x >= y)
		case UGE:
			return !(x < y)
		case ULE:
			return !(x > y)
		case UGT:
			return !(x <= y)
		}
	case TInt:
		x, y := int32(a), int32(b)
		ux, uy := uint32(a), uint32(b)
		return cmpInt(op, x < y, x == y, ux < uy)
	}
	x, y := int64(a), int64(b)
	return cmpInt(op, x < y, a == b, a < b)
}

func cmpInt(op Op, lt, eq, ult bool) bool {
	switch op {
	case EQ:
		return eq
	case NE:
		return !eq
	case LT:
		return lt
	case GE:
		return !lt
	case LE:
		return lt || eq
	case GT:
		return !lt && !eq
	case ULT:
		return ult
	case UGE:
		return !ult
	case ULE:
		return ult || eq
	case UGT:
		return !ult && !eq
	}
	return false
}

const signBit = 1 << 63

func evalNum(op Op, a, b uint64) uint64 {
	x, y := math.Float64frombits(a), math.Float64frombits(b)
	var r float64
	switch op {
	case ADD:
		r = x + y
	case SUB:
		r = x - y
	case MUL:
		r = x * y
	case DIV:
		r = x / y
	case MOD:
		r = math.Mod(x, y)
	case POW:
		r = math.Pow(x, y)
	case MIN:
		if x < y {
			return a
		}
		return b
	case MAX:
		if x > y {
			return a
		}
		return b
	case NEG:
		return a ^ signBit
	case ABS:
		return a &^ signBit
	case FLOOR:
		r = math.Floor(x)
	case CEIL:
		r = math.Ceil(x)
	case SQRT:
		r = math.Sqrt(x)
	default:
		return 0
	}
	return math.Float64bits(r)
}

func evalI32(op Op, x, y int32) (int32, bool) {
	switch op {
	case ADD:
		return x + y, true
	case SUB:
		return x - y, true
	case MUL:
		return x * y, true
	case DIV:
		if y == 0 {
			return 0, true
		}
		if y == -1 {
			return -x, true
		}
		return x / y, true
	case MOD:
		if y == 0 {
			return x, true
		}
		if y == -1 {
			return 0, true
		}
		return x % y, true
	case POW:
		return int32(IPow(int64(x), int64(y))), true
	case MIN:
		if x < y {
			return x, true
		}
		return y, true
	case MAX:
		if x > y {
			return x, true
		}
		return y, true
	case NEG:
		return -x, true
	case ABS:
		if x < 0 {
			return -x, true
		}
		return x, true
	case ADDOV:
		r := int64(x) + int64(y)
		return int32(r), r == int64(int32(r))
	case SUBOV:
		r := int64(x) - int64(y)
		return int32(r), r == int64(int32(r))
	case MULOV:
		r := int64(x) * int64(y)
		return int32(r), r == int64(int32(r))
	case BNOT:
		return ^x, true
	case BAND:
		return x & y, true
	case BOR:
		return x | y, true
	case BXOR:
		return x ^ y, true
	case BSHL:
		return x << (uint32(y) & 31), true
	case BSHR:
		return int32(uint32(x) >> (uint32(y) & 31)), true
	case BSAR:
		return x >> (uint32(y) & 31), true
	case BROL:
		return int32(bits.RotateLeft32(uint32(x), int(uint32(y)&31))), true
	case BROR:
		return int32(bits.RotateLeft32(uint32(x), -int(uint32(y)&31))), true
	}
	return 0, true
}

func evalI64(op Op, x, y int64) (int64, bool) {
	switch op {
	case ADD:
		return x + y, true
	case SUB:
		return x - y, true
	case MUL:
		return x * y, true
	case DIV:
		if y == 0 {
			return 0, true
		}
		if y == -1 {
			return -x, true
		}
		return x / y, true
	case MOD:
		if y == 0 {
			return x, true
		}
		if y == -1 {
			return 0, true
		}
		return x % y, true
	case POW:
		return IPow(x, y), true
	case MIN:
		if x < y {
			return x, true
		}
		return y, true
	case MAX:
		if x > y {
			return x, true
		}
		return y, true
	case NEG:
		return -x, true
	case ABS:
		if x < 0 {
			return -x, true
		}
		return x, true
	case ADDOV:
		r := x + y
		return r, (x^r)&(y^r) >= 0
	case SUBOV:
		r := x - y
		return r, (x^y)&(x^r) >= 0
	case MULOV:
		hi, lo := bits.Mul64(uint64(x), uint64(y))
		// Signed high word: correct the unsigned product.
		shi := int64(hi)
		if x < 0 {
			shi -= y
		}
		if y < 0 {
			shi -= x
		}
		r := int64(lo)
		return r, shi == r>>63
	case BNOT:
		return ^x, true
	case BAND:
		return x & y, true
	case BOR:
		return x | y, true
	case BXOR:
		return x ^ y, true
	case BSHL:
		return x << (uint64(y) & 63), true
	case BSHR:
		return int64(uint64(x) >> (uint64(y) & 63)), true
	case BSAR:
		return x >> (uint64(y) & 63), true
	case BROL:
		return int64(bits.RotateLeft64(uint64(x), int(uint64(y)&63))), true
	case BROR:
		return int64(bits.RotateLeft64(uint64(x), -int(uint64(y)&63))), true
	}
	return 0, true
}

// IPow is the meaning of integer POW: power by squaring with wrapping
// multiplication. A negative exponent gives 0, except for the bases 1 and
// -1. Backends that compute POW outside generated code call it.
func IPow(x, y int64) int64 {
	if y < 0 {
		switch x {
		case 1:
			return 1
		case -1:
			if y&1 != 0 {
				return -1
			}
			return 1
		}
		return 0
	}
	r := int64(1)
	for y > 0 {
		if y&1 != 0 {
			r *= x
		}
		x *= x
		y >>= 1
	}
	return r
}

var minInt32Word = uint64(0xffffffff80000000)
