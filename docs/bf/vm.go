package bf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/jitkit/jitkit/guard"
)

// -- The interpreter -------------------------------------------------------------

// DefaultTape is the tape length when Options.Tape is 0: the 30,000 cells
// of the original implementation.
const DefaultTape = 30000

// Options configure a VM.
type Options struct {
	// JIT turns the tracing JIT on.
	JIT bool
	// Interp runs traces on irkit's IR interpreter even where a
	// machine-code backend exists.
	Interp bool
	// Opt holds the JIT's flags and parameters: HotLoop, MaxRecord,
	// HotExit, and the Loop flag for loop optimization. A zero Opt means
	// guard.DefaultOptions(); zero parameters take their defaults.
	Opt guard.Options
	// Stress forces guards to exit (guard.Stress); output must not change.
	Stress guard.Stress
	// Tape is the number of cells (DefaultTape if 0, at most 1<<24).
	Tape int
	// Log, if set, receives a line per trace event.
	Log io.Writer
	// DumpCode makes Dump disassemble each trace's machine code too.
	DumpCode bool
}

// RangeError reports an access outside the tape.
type RangeError struct {
	PC, Ptr int
}

// Error formats the error.
func (e *RangeError) Error() string {
	return fmt.Sprintf("bf: pc %d: tape pointer %d out of range", e.PC, e.Ptr)
}

// ErrTape reports a bad tape length in Options.
var ErrTape = errors.New("bf: tape length must be between 1 and 1<<24")

// ErrInterrupted is what Run returns after Interrupt.
var ErrInterrupted = errors.New("bf: interrupted")

// VM runs one program. Cells are bytes that wrap around, kept one per
// 8-byte word so that a trace addresses them with irkit's AREF. A trace
// sees interpreter slot 0, the tape pointer; slot 1 holds the tape's
// address, which traces take as a constant.
type VM struct {
	prog  *Program
	tape  []uint64
	slots []uint64 // the tape pointer and the tape's address, for traces
	in    *bufio.Reader
	out   *bufio.Writer
	opt   Options
	jit   *jit
	pin   runtime.Pinner
	stop  atomic.Bool
}

// Interrupt asks a running Run to return ErrInterrupted at the next loop
// back edge; it may be called from any goroutine. Machine code sees it
// through State.Interrupt, which the lowering checks at every back edge.
// (A trace running on irkit's interpreter is not interrupted: it runs
// until one of its guards fails.)
func (vm *VM) Interrupt() {
	vm.stop.Store(true)
	if vm.jit != nil {
		atomic.StoreUint32(&vm.jit.state.Interrupt, 1)
	}
}

// New returns a VM for prog reading from in and writing to out.
func New(prog *Program, in io.Reader, out io.Writer, opt Options) (*VM, error) {
	if opt.Tape == 0 {
		opt.Tape = DefaultTape
	}
	if opt.Tape < 1 || opt.Tape > 1<<24 {
		return nil, ErrTape
	}
	def := guard.DefaultOptions()
	if opt.Opt == (guard.Options{}) {
		opt.Opt = def
	}
	if opt.Opt.HotLoop <= 0 {
		opt.Opt.HotLoop = def.HotLoop
	}
	if opt.Opt.MaxRecord <= 0 {
		opt.Opt.MaxRecord = def.MaxRecord
	}
	if opt.Opt.HotExit <= 0 || opt.Opt.TrySide <= 0 {
		opt.Opt.HotExit, opt.Opt.TrySide = def.HotExit, def.TrySide
	}
	if in == nil {
		in = eofReader{}
	}
	vm := &VM{prog: prog, tape: make([]uint64, opt.Tape), slots: make([]uint64, 2),
		in: bufio.NewReader(in), out: bufio.NewWriter(out), opt: opt}
	if opt.JIT {
		vm.jit = newJIT(vm)
	}
	return vm, nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Run executes the program from the start with a clear tape. The output is
// flushed before Run returns.
func (vm *VM) Run() error {
	clear(vm.tape)
	vm.stop.Store(false)
	if vm.jit != nil {
		atomic.StoreUint32(&vm.jit.state.Interrupt, 0)
	}
	// Traces address the tape, the slots and the spill area by machine
	// address: pin them while code may run.
	vm.pin.Pin(&vm.tape[0])
	vm.pin.Pin(&vm.slots[0])
	vm.slots[1] = uint64(uintptr(unsafe.Pointer(&vm.tape[0])))
	if vm.jit != nil {
		vm.jit.pin(&vm.pin)
	}
	err := vm.run()
	vm.pin.Unpin()
	if ferr := vm.out.Flush(); err == nil {
		err = ferr
	}
	return err
}

// Stats returns the JIT's counters (zero with the JIT off).
func (vm *VM) Stats() Stats {
	if vm.jit == nil {
		return Stats{}
	}
	return vm.jit.stats
}

// Close frees the machine code of the VM's traces.
func (vm *VM) Close() error {
	if vm.jit == nil {
		return nil
	}
	return vm.jit.close()
}

// run is the dispatch loop. The JIT appears twice, at the two places a
// loop iterates: an OPEN whose body is entered and a CLOSE that jumps
// back. Both hand the loop's first pc to the JIT, which enters a trace,
// counts towards recording one, or returns at once.
func (vm *VM) run() error {
	code := vm.prog.Code
	tape := vm.tape
	j := vm.jit
	p, pc := 0, 0
	for pc < len(code) {
		ins := code[pc]
		switch ins.Op {
		case OpAdd:
			if uint(p) >= uint(len(tape)) {
				return &RangeError{pc, p}
			}
			tape[p] = (tape[p] + uint64(ins.N)) & 255
		case OpMove:
			p += int(ins.N)
		case OpOut:
			if uint(p) >= uint(len(tape)) {
				return &RangeError{pc, p}
			}
			if err := vm.out.WriteByte(byte(tape[p])); err != nil {
				return err
			}
		case OpIn:
			if uint(p) >= uint(len(tape)) {
				return &RangeError{pc, p}
			}
			tape[p] = vm.read()
		case OpOpen, OpClose:
			if uint(p) >= uint(len(tape)) {
				return &RangeError{pc, p}
			}
			if (tape[p] == 0) == (ins.Op == OpOpen) {
				pc = int(ins.N) + 1 // skip the loop, or iterate again
				if ins.Op == OpClose && vm.stop.Load() {
					return ErrInterrupted
				}
				if j != nil && ins.Op == OpClose {
					var err error
					if pc, p, err = j.loop(pc, p); err != nil {
						return err
					}
				}
				continue
			}
			if j != nil && ins.Op == OpOpen {
				var err error
				if pc, p, err = j.loop(pc+1, p); err != nil {
					return err
				}
				continue
			}
		}
		pc++
	}
	return nil
}

func (vm *VM) read() uint64 {
	b, err := vm.in.ReadByte()
	if err != nil {
		return 0
	}
	return uint64(b)
}

// step executes the instruction at pc, as run does, for the recorder,
// which interprets while it records. It returns the next pc.
func (vm *VM) step(pc int, p *int) (int, error) {
	ins := vm.prog.Code[pc]
	if ins.Op == OpMove {
		*p += int(ins.N)
		return pc + 1, nil
	}
	if uint(*p) >= uint(len(vm.tape)) {
		return pc, &RangeError{pc, *p}
	}
	c := &vm.tape[*p]
	switch ins.Op {
	case OpAdd:
		*c = (*c + uint64(ins.N)) & 255
	case OpOut:
		if err := vm.out.WriteByte(byte(*c)); err != nil {
			return pc, err
		}
	case OpIn:
		*c = vm.read()
	case OpOpen:
		if *c == 0 {
			return int(ins.N) + 1, nil
		}
	case OpClose:
		if *c != 0 {
			return int(ins.N) + 1, nil
		}
	}
	return pc + 1, nil
}

// Dump writes the IR of every trace compiled so far, with the path that
// runs it (machine code or irkit's interpreter), and with
// Options.DumpCode the machine code.
func (vm *VM) Dump(w io.Writer) {
	if vm.jit == nil {
		return
	}
	for _, t := range vm.jit.all {
		path := "irkit.Interp"
		if t.code != nil {
			path = fmt.Sprintf("%s, %d bytes of code", vm.jit.be.name(), t.code.CodeSize)
		}
		fmt.Fprintf(w, "---- TRACE %d at pc %d (%s)\n", t.id, t.head, path)
		t.ir.Dump(w)
		if t.code != nil && vm.opt.DumpCode {
			fmt.Fprintf(w, "---- TRACE %d machine code\n", t.id)
			vm.jit.be.dump(w, t.code)
		}
	}
}
