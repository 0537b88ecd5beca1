package vm

import (
	"math"

	"github.com/jitkit/jitkit/demo-lang/lstr"
)

// -- math ---------------------------------------------------------------------------

// rng is math.random's generator: xorshift64* (Vigna), seeded through
// splitmix64 so that every seed, including 0, gives a good state. The
// default seed is 0, so a program that never calls math.randomseed gets
// the same sequence on every run and every machine. random() returns
// (x >> 11) * 2^-53, a double in [0, 1).
type rng struct{ s uint64 }

func (r *rng) seed(x uint64) {
	z := x + 0x9E3779B97F4A7C15
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	z ^= z >> 31
	if z == 0 {
		z = 1
	}
	r.s = z
}

func (r *rng) float() float64 {
	x := r.s
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	r.s = x
	return float64((x*0x2545F4914F6CDD1D)>>11) * (1.0 / (1 << 53))
}

func (L *State) openMath() {
	f1 := func(name string, fn func(float64) float64) GoFunction {
		return func(L *State) (int, error) {
			L.Push(Number(fn(L.CheckNumber(1))))
			return 1, nil
		}
	}
	fns := map[string]GoFunction{
		"abs":   f1("abs", math.Abs),
		"ceil":  f1("ceil", math.Ceil),
		"floor": f1("floor", math.Floor),
		"sqrt":  f1("sqrt", math.Sqrt),
		"sin":   f1("sin", math.Sin),
		"cos":   f1("cos", math.Cos),
		"tan":   f1("tan", math.Tan),
		"asin":  f1("asin", math.Asin),
		"acos":  f1("acos", math.Acos),
		"atan":  f1("atan", math.Atan),
		"exp":   f1("exp", math.Exp),
		"log":   f1("log", math.Log),
		"log10": f1("log10", math.Log10),
		"sinh":  f1("sinh", math.Sinh),
		"cosh":  f1("cosh", math.Cosh),
		"tanh":  f1("tanh", math.Tanh),
		"deg":   f1("deg", func(x float64) float64 { return x * (180.0 / math.Pi) }),
		"rad":   f1("rad", func(x float64) float64 { return x * (math.Pi / 180.0) }),
		"atan2": func(L *State) (int, error) {
			L.PushNumber(math.Atan2(L.CheckNumber(1), L.CheckNumber(2)))
			return 1, nil
		},
		"pow": func(L *State) (int, error) {
			L.Push(Number(math.Pow(L.CheckNumber(1), L.CheckNumber(2))))
			return 1, nil
		},
		"fmod": func(L *State) (int, error) {
			L.Push(Number(cFmod(L.CheckNumber(1), L.CheckNumber(2))))
			return 1, nil
		},
		"modf": func(L *State) (int, error) {
			x := L.CheckNumber(1)
			if math.IsInf(x, 0) {
				// C's modf gives the infinity and a zero of its sign.
				L.PushNumber(x)
				L.PushNumber(math.Copysign(0, x))
				return 2, nil
			}
			ip, fp := math.Modf(x)
			L.Push(Number(ip))
			L.Push(Number(fp))
			return 2, nil
		},
		"frexp": func(L *State) (int, error) {
			m, e := math.Frexp(L.CheckNumber(1))
			L.Push(Number(m))
			L.PushNumber(float64(e))
			return 2, nil
		},
		"ldexp": func(L *State) (int, error) {
			L.Push(Number(math.Ldexp(L.CheckNumber(1), L.CheckInt(2))))
			return 1, nil
		},
		"max": func(L *State) (int, error) {
			m := L.CheckNumber(1)
			for i := 2; i <= L.nargs; i++ {
				if x := L.CheckNumber(i); x > m {
					m = x
				}
			}
			L.Push(Number(m))
			return 1, nil
		},
		"min": func(L *State) (int, error) {
			m := L.CheckNumber(1)
			for i := 2; i <= L.nargs; i++ {
				if x := L.CheckNumber(i); x < m {
					m = x
				}
			}
			L.Push(Number(m))
			return 1, nil
		},
		"random":     mathRandom,
		"randomseed": mathRandomseed,
	}
	t := L.libTable("math", fns, nil)
	_ = L.tset(t, L.String("pi"), Number(math.Pi))
	_ = L.tset(t, L.String("huge"), Number(math.Inf(1)))
}

func mathRandom(L *State) (int, error) {
	r := L.rng.float()
	switch L.nargs {
	case 0:
		L.PushNumber(r)
	case 1:
		u := L.CheckInt(1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.PushNumber(math.Floor(r*float64(u)) + 1)
	case 2:
		l, u := L.CheckInt(1), L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.PushNumber(math.Floor(r*float64(u-l+1)) + float64(l))
	default:
		return 0, lstr.Error("wrong number of arguments")
	}
	return 1, nil
}

func mathRandomseed(L *State) (int, error) {
	L.rng.seed(uint64(int64(toInt(L.CheckNumber(1)))))
	return 0, nil
}

// x86NaN is the "default NaN" an x86 FPU produces for an invalid operation
// (0/0, inf-inf): quiet, with the sign bit set, so C prints it as "-nan".
var x86NaN = math.Float64frombits(0xFFF8000000000000)

// cFmod is C's fmod as Lua 5.1 reaches it on x86 with glibc, the platform
// of the reference outputs, so a program prints the same bits everywhere:
// a NaN operand comes back as it is (x's first, sign included), and an
// invalid remainder (y == 0 or x infinite) is the FPU's default NaN, which
// prints "-nan", where Go's math.Mod returns a positive NaN.
func cFmod(x, y float64) float64 {
	switch {
	case x != x:
		return x
	case y != y:
		return y
	case y == 0 || math.IsInf(x, 0):
		return x86NaN
	}
	return math.Mod(x, y)
}
