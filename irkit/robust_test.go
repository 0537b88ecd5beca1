package irkit

import (
	"math/rand"
	"os"
	"testing"
)

// buildFromBytes turns arbitrary bytes into Emit calls, snapshots and
// constants, valid or not. Nothing it produces may make the builder, the
// passes, the verifier, the dump or (for traces without memory access)
// the interpreter panic.
func buildFromBytes(data []byte, b *Builder) (memFree bool) {
	b.Reset()
	b.T.Helpers = propHelpers
	memFree = true
	var refs []Ref
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		c := data[0]
		data = data[1:]
		return c
	}
	operand := func() Ref {
		c := next()
		switch {
		case c < 200 && len(refs) > 0:
			return refs[int(c)%len(refs)]
		case c < 220:
			return Ref(c) // a literal or junk
		}
		return Ref(uint16(next())<<8 | uint16(next()))
	}
	for len(data) > 0 {
		switch c := next(); {
		case c < 30:
			refs = append(refs, b.K(Type(c%8), uint64(next())*0x0101010101010101))
		case c < 40:
			var es []SnapEntry
			for i := int(next() % 4); i > 0; i-- {
				es = append(es, MakeEntry(int(next()%8), operand(), next()))
			}
			b.T.AddSnap(uint64(c), 8, es, nil)
		case c < 45:
			b.T.Looping = !b.T.Looping
		default:
			op := Op(next() % uint8(NumOps+2))
			if op.Has(FLoad) || op.Has(FStore) || op.Has(FCall) || op == FREF || op == AREF {
				memFree = false
			}
			r := b.Emit(op, Type(next()%9), operand(), operand())
			if r != NoRef {
				refs = append(refs, r)
			}
			if b.Err() != nil && next()&1 == 0 {
				b.err = nil // keep going past errors sometimes
			}
		}
	}
	return memFree
}

func exercise(t *testing.T, data []byte, b *Builder, in *Interp) {
	memFree := buildFromBytes(data, b)
	tr := b.T
	_ = tr.String()
	verr := tr.Verify()
	tr.DCE()
	if b.Err() == nil {
		b.LoopOpt()
	}
	b.err = nil
	_ = tr.String()
	if verr == nil && tr.Verify() == nil && memFree {
		in.MaxIter = 50
		slots := make([]uint64, 8)
		in.Run(tr, slots)
	}
}

func TestRandomBytesNeverPanic(t *testing.T) {
	n := 20000
	if testing.Short() || os.Getenv("JITKIT_QEMU") != "" {
		n = 2000
	}
	r := rand.New(rand.NewSource(7))
	b := NewBuilder(nil)
	var in Interp
	for i := 0; i < n; i++ {
		data := make([]byte, r.Intn(200))
		r.Read(data)
		exercise(t, data, b, &in)
	}
}

func FuzzBuilderNeverPanics(f *testing.F) {
	f.Add([]byte{45, 60, 1, 2, 3, 0, 5, 6})
	f.Add([]byte{0, 1, 2, 35, 1, 0, 0, 0, 50, 17, 2, 0, 0, 40, 41})
	b := NewBuilder(nil)
	var in Interp
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data, b, &in) })
}
