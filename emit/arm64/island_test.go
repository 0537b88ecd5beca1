package arm64

import (
	"math/rand/v2"
	"testing"

	"github.com/jitkit/jitkit/emit"
)

// TestRandomBranches builds random programs of markers, long runs of nops
// and branches of every kind to labels bound before (forward in program
// order) and after (backward), so that inverted far branches and veneer
// islands with several pending branches occur, and then checks from the
// bytes alone that every branch reaches its label and that falling through
// visits every marker.
func TestRandomBranches(t *testing.T) {
	rounds := 40
	if testing.Short() {
		rounds = 8
	}
	r := rand.New(rand.NewPCG(21, 22))
	totalIslands, totalFar := 0, 0
	for round := 0; round < rounds; round++ {
		a := New(emit.NewBuf(1024))
		const nl = 24
		labels := make([]Label, nl)
		for i := range labels {
			labels[i] = a.NewLabel()
		}
		type br struct {
			start emit.Pos // Pos of the sequence's first word
			size  int      // bytes the call emitted, islands included
			label int
			cond  bool
		}
		var brs []br
		bound := 0
		for bound < nl {
			switch k := r.IntN(10); {
			case k < 3: // nops, sometimes many
				n := r.IntN(40)
				if r.IntN(6) == 0 {
					n = 2000 + r.IntN(9000)
				}
				for i := 0; i < n; i++ {
					a.Nop()
				}
			case k < 5:
				a.Brk(uint16(bound))
				a.Bind(labels[bound])
				bound++
			default:
				id := r.IntN(nl)
				l := labels[id]
				before := a.Here()
				cond := true
				switch r.IntN(6) {
				case 0:
					a.B(l)
					cond = false
				case 1:
					a.BCond(Cond(r.IntN(14)), l)
				case 2:
					a.Cbz(X(r.IntN(31)), l)
				case 3:
					a.Cbnz(W(r.IntN(31)), l)
				case 4:
					a.Tbz(X(r.IntN(31)), uint(r.IntN(64)), l)
				default:
					a.Tbnz(W(r.IntN(31)), uint(r.IntN(32)), l)
				}
				brs = append(brs, br{a.Here(), int(a.Here() - before), id, cond})
			}
		}
		if err := a.Finish(); err != nil {
			t.Fatal(err)
		}
		code := a.Buf.Bytes()
		n := int64(len(code))
		addr := func(p emit.Pos) int64 { return n - int64(p) }
		isB := func(w uint32) bool { return w&0xfc000000 == 0x14000000 }
		isCond := func(w uint32) bool {
			return w&0xff000010 == 0x54000000 || w&0x7e000000 == 0x34000000 || w&0x7e000000 == 0x36000000
		}
		program := map[int64]bool{}
		// A call emitted the inverted form (b.!c .+8; b label) when its first
		// word skips one b that the same call emitted.
		farAt := map[int64]bool{}
		for _, b := range brs {
			p := addr(b.start)
			program[p] = true
			w := word(code, int(p))
			if b.cond && b.size >= 8 && isCond(w) && branchOff(w) == 8 && isB(word(code, int(p+4))) {
				farAt[p] = true
				program[p+4] = true
			}
		}
		far := func(p int64) bool { return farAt[p] }
		for _, b := range brs {
			p := addr(b.start)
			w := word(code, int(p))
			var target int64
			if b.cond && far(p) {
				totalFar++
				target = p + 4 + branchOff(word(code, int(p+4)))
			} else {
				target = p + branchOff(w)
			}
			for hops := 0; target >= 0 && target < n && isB(word(code, int(target))) && !program[target]; hops++ {
				if hops > 2 {
					t.Fatalf("round %d: veneer chain at %d", round, target)
				}
				target += branchOff(word(code, int(target)))
			}
			if target < 0 || target >= n {
				t.Fatalf("round %d: branch at %d leaves the code (%d)", round, p, target)
			}
			if tw := word(code, int(target)); tw&0xffe0001f != 0xd4200000 || int(tw>>5&0xffff) != b.label {
				for q := p - 16; q <= p+16; q += 4 {
					t.Logf("%d %v: %s", q, program[q], DisasmWord(word(code, int(q))))
				}
			}
			if tw := word(code, int(target)); tw&0xffe0001f != 0xd4200000 || int(tw>>5&0xffff) != b.label {
				t.Fatalf("round %d: branch at %d (%s) to label %d reaches %#x at %d; first hop %d", round, p, DisasmWord(w), b.label, tw, target, p+branchOff(w))
			}
		}
		// Fall through with every branch of the program not taken.
		seen := 0
		for pc := int64(0); pc < n; {
			w := word(code, int(pc))
			switch {
			case program[pc] && far(pc):
				pc += 8
			case program[pc]:
				pc += 4
			case isB(w): // an island: must jump over veneers only
				to := pc + branchOff(w)
				for q := pc + 4; q < to; q += 4 {
					if !isB(word(code, int(q))) || program[q] {
						t.Fatalf("round %d: island jump at %d skips code at %d", round, pc, q)
					}
				}
				pc = to
			case w&0xffe0001f == 0xd4200000:
				if int(w>>5&0xffff) != nl-1-seen { // emitted backwards
					t.Fatalf("round %d: marker %d out of order", round, w>>5&0xffff)
				}
				seen++
				pc += 4
			default:
				pc += 4
			}
		}
		if seen != nl {
			t.Fatalf("round %d: fall-through saw %d markers of %d", round, seen, nl)
		}
		totalIslands += a.Islands()
	}
	if totalIslands == 0 || totalFar == 0 {
		t.Errorf("no islands (%d) or far branches (%d) exercised", totalIslands, totalFar)
	}
	t.Logf("%d rounds: %d islands, %d inverted far branches", rounds, totalIslands, totalFar)
}
