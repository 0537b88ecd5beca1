package regalloc

import (
	"encoding/binary"
	"math/rand"
	"testing"

	"github.com/jitkit/jitkit/irkit"
)

// FuzzAlloc builds a random trace from the fuzzer's seed bytes, allocates
// it for every target, checks the allocation and runs it against the
// interpreter; then it corrupts the trace (operands, opcodes, PHIs) and
// requires the allocator to fail cleanly or produce an allocation that
// still passes the checker.
//
//	go test -fuzz FuzzAlloc ./regalloc
func FuzzAlloc(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 1 << 40} {
		var b [12]byte
		binary.LittleEndian.PutUint64(b[:], s)
		b[8], b[9], b[10], b[11] = byte(s), byte(s>>3), 7, byte(s>>5)
		f.Add(b[:])
	}
	ev := newEvaluator()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 12 {
			return
		}
		seed := int64(binary.LittleEndian.Uint64(data))
		cfg := genCfg{
			n:     10 + int(data[8])%200,
			slots: 8,
			snaps: int(data[9]) % 100,
			live:  1 + int(data[10])%60,
			loop:  data[11]&1 != 0,
			calls: data[11]&2 != 0,
		}
		var tr *irkit.Trace
		if data[11]&4 != 0 {
			tr = recordLoop(rand.New(rand.NewSource(seed)), cfg.n)
		} else {
			tr = genTrace(rand.New(rand.NewSource(seed)), cfg)
		}
		if tr == nil {
			return
		}
		for ti, tg := range targets {
			runCase(t, tg, tr, rand.New(rand.NewSource(seed+int64(ti))), ev)
		}
		// Corrupt the trace and insist on a clean error or a correct result.
		rng := rand.New(rand.NewSource(seed ^ 0x5eed))
		for k := 0; k < 1+len(data)%4; k++ {
			r := irkit.First + irkit.Ref(rng.Intn(tr.Len()))
			ins := tr.At(r)
			switch rng.Intn(4) {
			case 0:
				ins.Op1 = irkit.Ref(rng.Intn(int(tr.Next()) + 10))
			case 1:
				ins.Op2 = irkit.Ref(rng.Intn(int(tr.Next()) + 10))
			case 2:
				ins.Op = irkit.Op(rng.Intn(int(irkit.NumOps) + 2))
			default:
				ins.T = irkit.Type(rng.Intn(256))
			}
		}
		for _, tg := range targets {
			res, err := Alloc(tg, tr)
			if err != nil {
				continue
			}
			if tr.Verify() == nil {
				if err := Check(tr, res); err != nil {
					t.Fatalf("%s: corrupted but valid trace: %v\n%s\n%s", tg.Name, err, tr, res.Format(tr))
				}
			}
		}
	})
}
