package snapshot_test

import (
	"fmt"
	"math"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/irkit"
	"github.com/jitkit/jitkit/regalloc"
	"github.com/jitkit/jitkit/snapshot"
)

// lang is a language whose numbers are all doubles: it boxes the IR's
// int32 values into float64 words, and keeps its call frames in a list.
type lang struct {
	slots  []uint64
	frames []string
	pc     uint64
}

func (l *lang) SetFrame(depth, base int, pc uint64) {
	if depth == 0 {
		l.frames = l.frames[:0]
	}
	l.frames = append(l.frames, fmt.Sprintf("base %d resumes at pc %d", base, pc))
}

func (l *lang) SetSlot(slot int, ty irkit.Type, flags uint8, bits uint64) {
	switch {
	case flags&irkit.SnapFrame != 0: // a frame link: our own word, as the recorder stored it
	case ty == irkit.TInt:
		bits = math.Float64bits(float64(int32(bits)))
	}
	l.slots[slot] = bits
}

func (l *lang) SetPC(pc uint64, nslots int) { l.pc = pc }

// Example records a trace that calls an inlined function and guards
// inside it, compiles its exits into a Map, forces the guard to fail and
// restores both frames. The IR interpreter stands in for the machine code
// here: it takes the exit, and the exit state is filled as the exit stub
// would leave it, each value where the allocation put it.
func Example() {
	b := irkit.NewBuilder(nil)
	rec := irkit.NewRecorder(b)
	rec.Start(10)
	x := rec.Slot(0, irkit.TInt) // x = slot 0
	y := rec.Emit(irkit.ADD, irkit.TInt, x, b.KInt(5))
	rec.SetSlot(1, y) // pc 10: y = x + 5
	rec.SetPC(11)     // pc 11: call f(y), f's frame at slot 3
	rec.SetSlotFlags(2, b.KVal(0xfffb0000000000f0), irkit.SnapFrame)
	rec.Call(3, 12)
	rec.SetPC(100)
	rec.SetSlot(0, y)
	h := rec.Emit(irkit.MUL, irkit.TNum, rec.Emit(irkit.ITOF, irkit.TNum, y, irkit.NoRef), b.KNum(0.5))
	rec.SetSlot(1, h) // f, pc 100: h = y * 0.5
	rec.SetPC(101)
	rec.Guard(irkit.LT, y, b.KInt(50)) // f, pc 101: if y < 50 ...
	rec.Stop(102)
	tr := rec.T

	res, _ := regalloc.Alloc(regalloc.AMD64, tr)
	m, err := snapshot.Build(tr, res)
	if err != nil {
		fmt.Println(err)
		return
	}

	// x = 60 fails the guard.
	vm := []uint64{60, 0, 0, 0, 0}
	var in irkit.Interp
	ex, _ := in.Run(tr, append([]uint64(nil), vm...))
	var st emit.State
	st.Exit = uint32(ex.Snap)
	for _, e := range tr.Entries(ex.Snap) {
		if loc := res.Where(ex.Guard, e.Ref()); loc.IsReg() {
			n := int(loc.Reg()) // amd64: RAX..R15 are 0-15, X0..X15 are 16-31
			if n >= 16 {
				n += 16 // float register n-16 is saved at Regs[32+n-16]
			}
			st.Regs[n] = valueOf(tr, e.Ref(), 60)
		}
	}

	fmt.Print(m)
	l := &lang{slots: vm}
	if err := m.RestoreState(&st, l); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range l.frames {
		fmt.Println("frame:", f)
	}
	fmt.Printf("slot 0: %d (untouched: the trace did not change it)\n", l.slots[0])
	fmt.Printf("slot 1: %v\n", math.Float64frombits(l.slots[1]))
	fmt.Printf("slot 2: %#x (frame link)\n", l.slots[2])
	fmt.Printf("slot 3: %v\n", math.Float64frombits(l.slots[3]))
	fmt.Printf("slot 4: %v\n", math.Float64frombits(l.slots[4]))
	fmt.Println("resume at pc", l.pc)
	// Output:
	// exit 0 guard 0005: snap 0 pc=101 top=5 frames=[0@12 3@101] 1:int=g0 2:val=#0xfffb0000000000f0!frame 3:int=g0 4:num=f0
	// exit 1 guard 0006: snap 1 pc=102 top=5 frames=[0@12 3@102] 1:int=g0 2:val=#0xfffb0000000000f0!frame 3:int=g0 4:num=f0
	// frame: base 0 resumes at pc 12
	// frame: base 3 resumes at pc 101
	// slot 0: 60 (untouched: the trace did not change it)
	// slot 1: 65
	// slot 2: 0xfffb0000000000f0 (frame link)
	// slot 3: 65
	// slot 4: 32.5
	// resume at pc 101
}

// valueOf computes the example trace's values for input x, as the machine
// code would have them in its registers.
func valueOf(tr *irkit.Trace, r irkit.Ref, x int32) uint64 {
	switch tr.Ins(r).T.Base() {
	case irkit.TInt:
		return uint64(x + 5)
	case irkit.TNum:
		return math.Float64bits(float64(x+5) * 0.5)
	}
	return 0
}

// ExampleEncoder writes one exit record by hand (as Build would from a
// trace and its allocation), serializes the map, decodes it back and
// restores the exit into a flat slot array.
func ExampleEncoder() {
	var enc snapshot.Encoder
	x := snapshot.Exit{Snap: 0, PC: 7, NSlots: 3,
		Frames: []irkit.Frame{{Base: 0, PC: 7}},
		Entries: []snapshot.Entry{
			{Slot: 0, Type: irkit.TInt, Kind: snapshot.InReg, Val: 3},                            // rbx / x3
			{Slot: 1, Type: irkit.TNum, Kind: snapshot.InSpill, Val: 0},                          // spill slot 0
			{Slot: 2, Type: irkit.TBool, Kind: snapshot.InConst, Val: 1, Flags: irkit.SnapConst}, // true
		}}
	if _, err := enc.Add(irkit.Bias+5, &x); err != nil {
		fmt.Println(err)
		return
	}
	b := enc.Map().Bytes()
	m, err := snapshot.Decode(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(m)
	fmt.Println(len(b), "bytes serialized")

	var regs [64]uint64
	regs[3] = 0xffffffff_0000002a // a 32-bit register write leaves the upper half alone
	spill := []uint64{math.Float64bits(1.5)}
	s := snapshot.Slots{Words: make([]uint64, 3)}
	if err := m.Restore(0, &regs, spill, &s); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(int64(s.Words[0]), math.Float64frombits(s.Words[1]), s.Words[2], "resume at pc", s.PC)
	// Output:
	// exit 0 guard 0005: snap 0 pc=7 top=3 frames=[0@7] 0:int=g3 1:num=[0] 2:bool=#0x1
	// 39 bytes serialized
	// 42 1.5 1 resume at pc 7
}
