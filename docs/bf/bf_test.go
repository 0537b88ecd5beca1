package bf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jitkit/jitkit/guard"
)

// modes are the ways a program runs; every one must print the same.
type mode struct {
	name string
	opt  Options
}

func modes() []mode {
	ms := []mode{
		{"off", Options{}},
		{"interp", Options{JIT: true, Interp: true}},
		{"interp-stress", Options{JIT: true, Interp: true, Stress: guard.Stress{Mode: guard.StressAll}}},
		{"native", Options{JIT: true}},
		{"native-stress", Options{JIT: true, Stress: guard.Stress{Mode: guard.StressAll}}},
		{"native-noloop", Options{JIT: true, Opt: guard.Options{Flags: guard.Levels[1], Params: guard.DefaultOptions().Params}}},
	}
	for seed := uint64(1); seed <= 4; seed++ {
		ms = append(ms, mode{fmt.Sprintf("native-random%d", seed),
			Options{JIT: true, Stress: guard.Stress{Mode: guard.StressRandom, Seed: seed, Every: 3}}})
	}
	for i := range ms {
		if ms[i].opt.JIT {
			// Record early so that short programs are traced too.
			if ms[i].opt.Opt.Flags == 0 {
				ms[i].opt.Opt = guard.DefaultOptions()
			}
			ms[i].opt.Opt.HotLoop = 2
		}
	}
	return ms
}

func runProgram(t testing.TB, src, input string, opt Options) (string, Stats, error) {
	t.Helper()
	prog, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	vm, err := New(prog, strings.NewReader(input), &out, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	err = vm.Run()
	return out.String(), vm.Stats(), err
}

func TestClassics(t *testing.T) {
	for _, c := range Classics {
		for _, m := range modes() {
			got, st, err := runProgram(t, c.Src, c.Input, m.opt)
			if err != nil || got != c.Want {
				t.Errorf("%s/%s: got %q, %v; want %q", c.Name, m.name, got, err, c.Want)
			}
			if m.opt.JIT && st.Entries != st.Exits {
				t.Errorf("%s/%s: %d entries, %d exits", c.Name, m.name, st.Entries, st.Exits)
			}
		}
	}
}

// TestBench runs a few rounds of the benchmark program: its inner loops
// are traced, entered once per round and left through their guards.
func TestBench(t *testing.T) {
	n := 20
	want := string([]byte{byte(n * 255 % 256)})
	for _, m := range modes() {
		got, st, err := runProgram(t, Bench(n), "", m.opt)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", m.name, got, err, want)
		}
		if m.opt.JIT && st.Traces == 0 {
			t.Errorf("%s: no trace compiled: %+v", m.name, st)
		}
		if m.opt.JIT && !m.opt.Interp && st.Native == 0 && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") {
			t.Errorf("%s: no trace compiled to machine code: %+v", m.name, st)
		}
		t.Logf("%s: %+v", m.name, st)
	}
}

// TestStressExits checks that stress mode really makes the traces exit
// early: many more exits per entry than without it cannot happen (every
// entry ends in one exit), but far fewer instructions run in traces, so
// the interpreter sees far more loop heads.
func TestStressExits(t *testing.T) {
	base := Options{JIT: true, Opt: guard.DefaultOptions()}
	base.Opt.HotLoop = 2
	_, calm, _ := runProgram(t, Bench(10), "", base)
	base.Stress = guard.Stress{Mode: guard.StressAll}
	_, stressed, _ := runProgram(t, Bench(10), "", base)
	if stressed.Entries <= 2*calm.Entries {
		t.Errorf("stress all: %d entries, without stress %d: the guards did not exit", stressed.Entries, calm.Entries)
	}
}

func TestRangeErrors(t *testing.T) {
	for _, src := range []string{"<+", "+[>+]", "+[<+]", ">" + strings.Repeat("+", 3) + "[-<<]"} {
		for _, m := range modes() {
			opt := m.opt
			opt.Tape = 100
			_, _, err := runProgram(t, src, "", opt)
			var re *RangeError
			if !errors.As(err, &re) {
				t.Errorf("%q/%s: err %v, want a RangeError", src, m.name, err)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{"[", "]", "[[]", "+]["} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("Parse(%q) succeeded", src)
		}
	}
	p, err := Parse([]byte("+-<>x[+++--]"))
	if err != nil || len(p.Code) != 3 || p.Code[1] != (Ins{OpAdd, 1}) {
		t.Errorf("Parse: %v %v", p, err)
	}
	if _, err := New(p, nil, nil, Options{Tape: -1}); err == nil {
		t.Error("New accepted a negative tape")
	}
}

// TestAbortBlacklist: a loop whose body holds an inner loop aborts every
// time it is recorded, is penalized and finally blacklisted, and the
// program is still right.
func TestAbortBlacklist(t *testing.T) {
	src := strings.Repeat("+", 200) + "[>++++[>+<-]<-]>>." // 800 mod 256 = 32
	opt := Options{JIT: true, Opt: guard.DefaultOptions()}
	opt.Opt.HotLoop = 1
	got, st, err := runProgram(t, src, "", opt)
	if err != nil || got != " " {
		t.Fatalf("got %q %v", got, err)
	}
	if st.Aborts == 0 {
		t.Errorf("no abort: %+v", st)
	}
}

// TestInterrupt stops a program that never ends, in the interpreter and in
// machine code, from another goroutine.
func TestInterrupt(t *testing.T) {
	prog, err := Parse([]byte("+[>+<]"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modes() {
		if m.opt.Interp {
			continue // irkit.Interp runs a trace to its exit
		}
		vm, err := New(prog, nil, io.Discard, m.opt)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- vm.Run() }()
		time.Sleep(20 * time.Millisecond)
		vm.Interrupt()
		select {
		case err := <-done:
			if err != ErrInterrupted {
				t.Errorf("%s: %v, want ErrInterrupted", m.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not interrupted", m.name)
		}
		vm.Close()
	}
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
