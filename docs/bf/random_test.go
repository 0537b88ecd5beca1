package bf

import (
	"math/rand"
	"os"
	"strings"
	"testing"
)

// gen writes a random Brainfuck program that terminates: a loop at
// depth d counts down its own counter cell d (set to 1..6 just before
// it, decremented once per iteration, touched by nothing else), and its
// body works on data cells 8..23: adds, clears ([-], a loop whose trip
// count depends on the data), output, and nested counted loops. Every
// body starts and ends at its counter cell.
type gen struct {
	rng *rand.Rand
	b   strings.Builder
	at  int
}

func (g *gen) move(to int) {
	for ; g.at < to; g.at++ {
		g.b.WriteByte('>')
	}
	for ; g.at > to; g.at-- {
		g.b.WriteByte('<')
	}
}

func (g *gen) body(depth, n int) {
	for i := 0; i < n; i++ {
		switch k := g.rng.Intn(10); {
		case k < 4:
			g.move(8 + g.rng.Intn(16))
			c := "+-"[g.rng.Intn(2)]
			g.b.WriteString(strings.Repeat(string(c), 1+g.rng.Intn(40)))
		case k < 5:
			g.move(8 + g.rng.Intn(16))
			g.b.WriteString("[-]")
		case k < 6:
			g.move(8 + g.rng.Intn(16))
			g.b.WriteByte('.')
		case k < 8 && depth < 4:
			g.move(depth)
			g.b.WriteString(strings.Repeat("+", 1+g.rng.Intn(6)))
			g.b.WriteByte('[')
			g.body(depth+1, 1+g.rng.Intn(5))
			g.move(depth)
			g.b.WriteString("-]")
		default:
			// A transfer loop on data cells: [->+<] style, ending at 0.
			from := 8 + g.rng.Intn(15)
			g.move(from)
			g.b.WriteString("[-")
			g.b.WriteString(strings.Repeat(">", 1))
			g.b.WriteString(strings.Repeat("+", 1+g.rng.Intn(3)))
			g.b.WriteString("<]")
		}
	}
}

func genProgram(seed int64) string {
	g := &gen{rng: rand.New(rand.NewSource(seed))}
	g.body(0, 3+g.rng.Intn(8))
	g.move(8)
	for i := 0; i < 16; i++ { // print every data cell at the end
		g.b.WriteString(".>")
	}
	return g.b.String()
}

// TestRandomPrograms runs random terminating programs in every mode and
// requires the output of the interpreter alone.
func TestRandomPrograms(t *testing.T) {
	n := 150
	if testing.Short() || os.Getenv("JITKIT_QEMU") != "" {
		n = 25
	}
	traces := 0
	for seed := int64(1); seed <= int64(n); seed++ {
		src := genProgram(seed)
		want, _, err := runProgram(t, src, "", Options{})
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		for _, m := range modes()[1:] {
			got, st, err := runProgram(t, src, "", m.opt)
			if err != nil || got != want {
				t.Fatalf("seed %d %s: output %q, %v; want %q\n%s", seed, m.name, got, err, want, src)
			}
			traces += st.Traces
		}
	}
	t.Logf("%d programs, %d traces compiled over all modes", n, traces)
}

// FuzzParse: no input makes Parse panic, and a program that parses has
// every bracket matched with its partner. (Programs are not run: an
// arbitrary program may loop forever.)
func FuzzParse(f *testing.F) {
	for _, c := range Classics {
		f.Add([]byte(c.Src))
	}
	f.Add([]byte("+[>+]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse(src)
		if err != nil {
			return
		}
		for pc, ins := range p.Code {
			switch ins.Op {
			case OpOpen, OpClose:
				if m := int(ins.N); m < 0 || m >= len(p.Code) || int(p.Code[m].N) != pc || p.Code[m].Op == ins.Op {
					t.Fatalf("pc %d: %v does not match %d", pc, ins, m)
				}
			}
		}
	})
}
