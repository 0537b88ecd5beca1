package guard

import (
	"fmt"
	"strings"
	"testing"
)

func TestDefaultsAreLuaJITs(t *testing.T) {
	o := DefaultOptions()
	if o.HotLoop != 56 || o.HotExit != 10 || o.TrySide != 4 || o.MaxTrace != 1000 ||
		o.MaxRecord != 4000 || o.MaxSnap != 500 || o.MaxSide != 100 || o.MaxMCode != 512 {
		t.Errorf("defaults differ from LuaJIT's: %v", o)
	}
	if o.Flags != Levels[3] || o.Flags.String() != "fold cse dce fwd dse narrow loop abc sink fuse" {
		t.Errorf("default flags = %q", o.Flags)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		arg   string
		flags string
		check func(Options) bool
	}{
		{"", "fold cse dce fwd dse narrow loop abc sink fuse", nil},
		{"1", "fold cse dce", nil},
		{"0", "", nil},
		{"2", "fold cse dce narrow loop", nil},
		{"3,-loop,-sink", "fold cse dce fwd dse narrow abc fuse", nil},
		{"0,+cse,fold", "fold cse", nil},
		{"hotloop=1,hotexit=2", "fold cse dce fwd dse narrow loop abc sink fuse",
			func(o Options) bool { return o.HotLoop == 1 && o.HotExit == 2 && o.TrySide == 4 }},
	} {
		o := DefaultOptions()
		if err := o.Parse(tc.arg); err != nil {
			t.Errorf("Parse(%q): %v", tc.arg, err)
			continue
		}
		if o.Flags.String() != tc.flags {
			t.Errorf("Parse(%q) flags = %q, want %q", tc.arg, o.Flags, tc.flags)
		}
		if tc.check != nil && !tc.check(o) {
			t.Errorf("Parse(%q) params = %+v", tc.arg, o.Params)
		}
	}
	for _, bad := range []string{"4x", "hotloop=", "hotloop=-1", "nosuch=3", "+bogus", "-", "hotloop=x"} {
		o := DefaultOptions()
		before := o
		if err := o.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		} else if o != before {
			t.Errorf("Parse(%q) changed options on error", bad)
		}
	}
	// String prints what Parse reads back.
	o := DefaultOptions()
	if err := o.Parse("1,hotloop=7,+loop"); err != nil {
		t.Fatal(err)
	}
	back := DefaultOptions()
	if err := back.Parse(o.String()); err != nil || back != o {
		t.Errorf("round trip: %v, %v != %v", err, back, o)
	}
}

type patchLog []string

func (p *patchLog) PatchExit(parent TraceID, exit int, side TraceID) error {
	*p = append(*p, fmt.Sprintf("%d/%d->%d", parent, exit, side))
	return nil
}

func TestHotExitTryAndLink(t *testing.T) {
	o := DefaultOptions()
	tr := NewTracker(&o.Params)
	root := tr.NewTrace(5)
	// Exit 3 becomes hot on its tenth taking, and again every tenth after an
	// aborted attempt, until TrySide attempts have failed.
	hot := 0
	for i := 1; i <= 100; i++ {
		if tr.Exit(root, 3) == RecordSide {
			hot++
			if i != 10*hot {
				t.Fatalf("hot at taking %d, want %d", i, 10*hot)
			}
			tr.SideAborted(root, 3)
		}
	}
	if hot != 4 {
		t.Errorf("exit went hot %d times, want tryside=4", hot)
	}
	if info, _ := tr.Info(root, 3); info.Taken != 100 || info.Tries != 4 || info.Side != 0 {
		t.Errorf("info = %+v", info)
	}
	// Exit 1 goes hot and links.
	for i := 0; i < 9; i++ {
		if tr.Exit(root, 1) != Stay {
			t.Fatal("hot too early")
		}
	}
	if tr.Exit(root, 1) != RecordSide {
		t.Fatal("not hot at hotexit")
	}
	side, err := tr.NewSide(root, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	var log patchLog
	if err := tr.Link(root, 1, side, &log); err != nil {
		t.Fatal(err)
	}
	if strings.Join(log, " ") != "1/1->2" {
		t.Errorf("patches = %v", log)
	}
	if tr.Exit(root, 1) != Stay {
		t.Error("linked exit asked for another side trace")
	}
	if p, e, ok := tr.Parent(side); !ok || p != root || e != 1 {
		t.Errorf("Parent(side) = %d %d %v", p, e, ok)
	}
	if err := tr.Link(root, 1, side, &log); err == nil {
		t.Error("linked an exit twice")
	}
	if err := tr.Link(root, 2, side, &log); err == nil {
		t.Error("linked a side trace to an exit it does not start from")
	}
	if tr.Exit(root, 99) != Stay || tr.Exit(42, 0) != Stay {
		t.Error("out-of-range exits must be ignored")
	}
}

func TestMaxSide(t *testing.T) {
	o := DefaultOptions()
	o.MaxSide = 2
	tr := NewTracker(&o.Params)
	root := tr.NewTrace(4)
	s1, err := tr.NewSide(root, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	// A side trace of a side trace counts against the same root.
	if _, err := tr.NewSide(s1, 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.NewSide(root, 1, 1); err == nil {
		t.Error("third side trace of a root with maxside=2 accepted")
	}
}

func TestStartsBackoffThenBlacklist(t *testing.T) {
	s := NewStarts(7)
	prev := 0
	aborts := 0
	for {
		wait, black := s.Abort(42)
		aborts++
		if black {
			break
		}
		if wait <= prev || wait < PenaltyMin || wait > PenaltyMax {
			t.Fatalf("abort %d: wait %d after %d", aborts, wait, prev)
		}
		prev = wait
	}
	// 72 doubling past 60000 takes 10 aborts, then the 11th blacklists.
	if aborts != 11 || !s.Blacklisted(42) || s.Blacklisted(43) {
		t.Errorf("blacklisted after %d aborts", aborts)
	}
	if _, black := s.Abort(42); !black {
		t.Error("blacklisted start point forgotten")
	}
	s.Abort(43)
	s.Success(43)
	if wait, _ := s.Abort(43); wait != PenaltyMin {
		t.Errorf("penalty kept after success: %d", wait)
	}
	// The same seed gives the same backoff sequence.
	a, b := NewStarts(9), NewStarts(9)
	for i := 0; i < 8; i++ {
		wa, _ := a.Abort(1)
		wb, _ := b.Abort(1)
		if wa != wb {
			t.Fatal("backoff not repeatable")
		}
	}
}

func TestStress(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{{"", "off"}, {"off", "off"}, {"all", "all"}, {"random", "random:1:4"}, {"random:99", "random:99:4"}, {"random:5:10", "random:5:10"}} {
		s, err := ParseStress(tc.in)
		if err != nil || s.String() != tc.want {
			t.Errorf("ParseStress(%q) = %v, %v; want %s", tc.in, s, err, tc.want)
		}
	}
	for _, bad := range []string{"some", "random:x", "random:1:0", "all:3", "random:1:2:3"} {
		if _, err := ParseStress(bad); err == nil {
			t.Errorf("ParseStress(%q) accepted", bad)
		}
	}
	all, _ := ParseStress("all")
	off := Stress{}
	if !all.Force(1, 0) || off.Force(1, 0) {
		t.Error("all/off wrong")
	}
	r, _ := ParseStress("random:3:4")
	forced := 0
	const n = 20000
	for tr := TraceID(1); tr <= 20; tr++ {
		for e := 0; e < n/20; e++ {
			f := r.Force(tr, e)
			if f != r.Force(tr, e) {
				t.Fatal("not repeatable")
			}
			if f {
				forced++
			}
		}
	}
	// About one in four, within 5 standard deviations (sd ≈ 61).
	if forced < n/4-300 || forced > n/4+300 {
		t.Errorf("forced %d of %d guards, want about %d", forced, n, n/4)
	}
	other, _ := ParseStress("random:4:4")
	same := 0
	for e := 0; e < 1000; e++ {
		if r.Force(1, e) == other.Force(1, e) {
			same++
		}
	}
	if same == 1000 {
		t.Error("seed has no effect")
	}
	if off.Forcer(1) != nil || !all.Forcer(1)(5) {
		t.Error("Forcer of off/all wrong")
	}
	f := r.Forcer(7)
	for e := 0; e < 100; e++ {
		if f(e) != r.Force(7, e) {
			t.Fatalf("Forcer(7)(%d) = %v, Force says %v", e, f(e), r.Force(7, e))
		}
	}
}

func ExampleTracker() {
	o := DefaultOptions()
	if err := o.Parse("hotexit=3"); err != nil {
		panic(err)
	}
	tr := NewTracker(&o.Params)
	root := tr.NewTrace(4) // a trace with 4 snapshots, so 4 exits
	for i := 1; i <= 3; i++ {
		fmt.Println("exit 2 taken:", []string{"stay", "record a side trace"}[tr.Exit(root, 2)])
	}
	side, _ := tr.NewSide(root, 2, 1)
	_ = tr.Link(root, 2, side, nil) // a real backend passes its Patcher
	info, _ := tr.Info(root, 2)
	fmt.Printf("exit 2: taken %d times, linked to trace %d\n", info.Taken, info.Side)
	// Output:
	// exit 2 taken: stay
	// exit 2 taken: stay
	// exit 2 taken: record a side trace
	// exit 2: taken 3 times, linked to trace 2
}
