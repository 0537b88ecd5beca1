package jit

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
)

// TestStressValueGuards: a program whose traces index arrays by number and
// count int32 for loops, so they hold value-producing guards (FTOIX: the
// key converts exactly to an integer, whose value indexes the array;
// ADDOV: the index plus the step, unless that overflows), prints the same
// under -jstress=all as without the JIT, on the IR interpreter
// (-jnative=off) and in machine code, and in machine code no trace is
// refused: forced guards compute their value and exit (irkit.Interp.Force,
// the lowerings' Force) instead of being rewritten into guards without a
// value. Forced exits make every run short, and no trace may be flushed
// as unprofitable for it.
func TestStressValueGuards(t *testing.T) {
	const src = `local t = {}
for i = 1, 200 do t[i] = i * 3 end
local s = 0
for k = 1, 15 do
  for i = 1, 200 do s = s + t[i] - (t[201 - i] or 0) * k end
end
print(s, t[17], #t)`
	run := func(flags ...string) (string, string, vm.JITStats) {
		c, err := NewConfig()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(flags); i++ {
			need := func() (string, bool) {
				if i++; i < len(flags) {
					return flags[i], true
				}
				return "", false
			}
			if ok, err := c.Flag(flags[i], need); !ok || err != nil {
				t.Fatalf("flags %v: %v", flags, err)
			}
		}
		var out, diag bytes.Buffer
		L := vm.New(vm.Options{Stdout: &out})
		c.Attach(L, &diag)
		_, err = L.DoString("stress", src)
		L.Flush()
		st := L.JITStats()
		c.Finish(L, &diag)
		if err != nil {
			t.Fatalf("%v: %v", flags, err)
		}
		return out.String(), diag.String(), st
	}
	want, _, _ := run("-j", "off")
	if want != "-6331500\t51\t200\n" {
		t.Fatalf("interpreter printed %q", want)
	}
	native := []string{"-jnative=off"}
	if NativeBackend() != nil {
		native = append(native, "-jnative=on")
	}
	for _, nf := range native {
		for _, stress := range []string{"-jstress=off", "-jstress=all", "-jstress=random:5:2"} {
			got, diag, st := run(nf, stress, "-jdump", "-jv")
			if got != want {
				t.Errorf("%s %s: printed %q, want %q", nf, stress, got, want)
			}
			if st.Traces == 0 || !strings.Contains(diag, " FTOIX ") || !strings.Contains(diag, " ADDOV ") {
				t.Errorf("%s %s: %d traces, without FTOIX or ADDOV:\n%s", nf, stress, st.Traces, diag)
			}
			if nf == "-jnative=on" && st.Native != st.Traces {
				t.Errorf("%s %s: %d of %d traces in machine code:\n%s", nf, stress, st.Native, st.Traces, diag)
			}
			if stress == "-jstress=all" && st.Entries < 2500 {
				t.Errorf("%s %s: %d entries, want one per iteration", nf, stress, st.Entries)
			}
			if stress != "-jstress=off" && st.Flushed != 0 {
				// Forced exits make every run short: profitability
				// would flush the traces whose exits stress must test.
				t.Errorf("%s %s: %d traces flushed", nf, stress, st.Flushed)
			}
		}
	}
}
