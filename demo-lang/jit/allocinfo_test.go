package jit

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
)

// TestLiveRanges checks the live ranges derived from an allocation
// against the allocation itself, on the traces of the bench programs:
// every operand an instruction reads from a register is live there and in
// a register by the replayed moves; every value an exit restores is live
// at that exit; a value (not a constant) at the top of the loop lives to
// the back edge;
// segments are ordered, inside their range, and do not overlap.
func TestLiveRanges(t *testing.T) {
	var tg *regalloc.Target
	switch runtime.GOARCH {
	case "amd64":
		tg = regalloc.AMD64
	case "arm64":
		tg = regalloc.ARM64
	default:
		t.Skipf("no machine-code backend on %s", runtime.GOARCH)
	}
	// pressure keeps more numbers live around its loop than there are
	// float registers (32 on arm64): the allocation spills and reloads.
	var pb strings.Builder
	const nv = 40
	for k := 1; k <= nv; k++ {
		fmt.Fprintf(&pb, "local a%d = %d.5\n", k, k)
	}
	pb.WriteString("for i = 1, 3000 do\n")
	for k := 1; k <= nv; k++ {
		fmt.Fprintf(&pb, "  a%d = a%d * 0.5 + a%d\n", k, k, k%nv+1)
	}
	pb.WriteString("end\nprint(a1")
	for k := 2; k <= nv; k++ {
		fmt.Fprintf(&pb, " + a%d", k)
	}
	pb.WriteString(")\n")
	srcs := map[string]string{"loop": htmlLoop, "pressure": pb.String()}
	for _, name := range []string{"nbody", "spectral", "fannkuch"} {
		srcs[name] = benchSource(t, name)
	}
	checked, other, spills, reloads := 0, 0, 0, 0
	for name, src := range srcs {
		_, traces, _ := htmlRun(t, src, "-Ohotloop=5")
		for _, ti := range traces {
			tr := ti.IR
			res, err := regalloc.Alloc(tg, tr)
			if err != nil {
				t.Fatalf("%s trace %d: %v", name, ti.ID, err)
			}
			spills += res.Stats.Spills
			reloads += res.Stats.Reloads
			n := tr.Len()
			byRef := map[irkit.Ref]LiveRange{}
			for _, lr := range liveRanges(tr, res) {
				byRef[lr.Ref] = lr
				last := lr.Def - 1
				for _, s := range lr.Segs {
					if s.From <= last || s.To < s.From || s.From < lr.Def || s.To > lr.End {
						t.Errorf("%s trace %d: %04d: segment %+v in range [%d,%d] after %d", name, ti.ID, lr.Ref-irkit.Bias, s, lr.Def, lr.End, last)
					}
					last = s.To
				}
			}
			at := func(v irkit.Ref, p int) (LiveSeg, bool) {
				for _, s := range byRef[v].Segs {
					if s.From <= p && p <= s.To {
						return s, true
					}
				}
				return LiveSeg{}, false
			}
			for i := 0; i < n; i++ {
				r := irkit.First + irkit.Ref(i)
				ins := tr.Ins(r)
				if ins.Op == irkit.PHI || ins.Op == irkit.NOP {
					continue
				}
				a, c := tg.Operands(tr, r)
				ir := res.At(r)
				for k, o := range []irkit.Ref{a, c} {
					reg := ir.Op1
					if k == 1 {
						reg = ir.Op2
					}
					if !o.IsIns() || reg == regalloc.NoReg {
						continue
					}
					checked++
					lr, ok := byRef[o]
					if !ok || lr.Def >= i || lr.End < i {
						t.Errorf("%s trace %d: %s reads %04d (%s), which is not live there (%+v)", name, ti.ID, tr.InsString(r), o-irkit.Bias, tg.RegName(reg), lr)
						continue
					}
					if s, ok := at(o, i); !ok || s.Slot {
						t.Errorf("%s trace %d: %s reads %04d from %s; the chart has it in %+v", name, ti.ID, tr.InsString(r), o-irkit.Bias, tg.RegName(reg), s)
					} else if s.Loc != tg.RegName(reg) {
						other++
					}
				}
			}
			for _, e := range res.Exits {
				p := int(e.Ref - irkit.First)
				for _, rl := range res.Locs[e.Off : e.Off+e.N] {
					if lr, ok := byRef[rl.Ref]; !ok || lr.End < p || lr.Def > p {
						t.Errorf("%s trace %d: exit at %d restores %04d, not live there (%+v)", name, ti.ID, p, rl.Ref-irkit.Bias, lr)
					}
				}
			}
			for _, rl := range res.Top {
				if rl.Ref.IsConst() {
					continue // constants are not charted
				}
				if lr := byRef[rl.Ref]; lr.End != n {
					t.Errorf("%s trace %d: %04d is at the loop's top in %s but its range ends at %d, not %d", name, ti.ID, rl.Ref-irkit.Bias, rl.Loc.Format(tg), lr.End, n)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d register operands checked", checked)
	}
	t.Logf("%d register operands checked, %d read from another copy than the chart shows; %d spills, %d reloads", checked, other, spills, reloads)
	if spills == 0 || reloads == 0 {
		t.Errorf("no spill or reload in the traces: the replay of moves is not exercised")
	}
	if other*50 > checked {
		t.Errorf("%d of %d operands read from another register than the chart shows", other, checked)
	}
}

// benchSource is the source of bench program name preceded by the arg
// table its quick size needs, for htmlRun.
func benchSource(t *testing.T, name string) string {
	t.Helper()
	size := quickSizes(t)[name]
	b, err := os.ReadFile(filepath.Join(benchDir, name+".lua"))
	if err != nil {
		t.Skipf("bench program %s: %v", name, err)
	}
	return "arg = {[0] = '" + name + ".lua', '" + size + "'} " + string(b)
}
