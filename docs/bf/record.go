package bf

import (
	"bufio"
	"errors"
	"io"
	"unsafe"

	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// -- Recording: Brainfuck instructions to irkit IR --------------------------------
//
// The recorder runs alongside the interpreter: for each instruction it
// looks at the live state (is the cell zero?), emits the IR that repeats
// what the interpreter is about to do under the same assumptions, guards
// the assumptions, and then lets the interpreter execute the instruction.
//
//	slot 0          the tape pointer p (TInt); loaded once, on first use
//	tape            its address is a constant (KPtr) of the trace
//	cell p+k        AREF(tape, p') after the guard ULT p' < len(tape)
//	ADD n           ALOAD, ADD n, BAND 255, ASTORE
//	MOVE n          slot 0 = ADD p, n        (no guard: only accesses check)
//	[ with cell 0   guard EQ cell, 0 and go on after the loop
//	[ with cell ≠ 0 abort: an inner loop that iterates gets its own trace
//	] of the loop   guard NE cell, 0 and close the loop
//	. or ,          stop the trace here: the interpreter does the I/O
//
// Every instruction emits its guards before it stores anything, so an exit
// resumes exactly at the instruction whose guard failed and the
// interpreter executes it again.

// recorder is bf's irkit.Language.
type recorder struct {
	vm   *VM
	head int   // the loop's first pc: the trace closes when it comes back
	pc   int   // where the interpreter is
	p    int   // the tape pointer in the interpreter
	err  error // the program failed (not the recording)
}

// cell emits the address of the current cell, guarded to be on the tape.
func (rc *recorder) cell(r *irkit.Recorder) irkit.Ref {
	b := r.B
	p := r.Slot(0, irkit.TInt)
	r.Guard(irkit.ULT, p, b.KInt(int32(len(rc.vm.tape))))
	// The tape's address is a constant of the trace, not a load of slot 1:
	// irkit keeps slot loads behind memory stores (SLOAD is a load like
	// any other), so a load would be repeated in every iteration.
	base := b.KPtr(uintptr(rc.vm.slots[1]))
	return r.Emit(irkit.AREF, irkit.TPtr, base, p)
}

// RecordIns records the instruction at pc and executes it.
func (rc *recorder) RecordIns(r *irkit.Recorder, pc64 uint64) (uint64, bool, error) {
	pc := int(pc64)
	rc.pc = pc
	code := rc.vm.prog.Code
	if pc >= len(code) {
		return 0, false, r.Abort("end of program")
	}
	b := r.B
	ins := code[pc]
	onTape := uint(rc.p) < uint(len(rc.vm.tape))
	switch ins.Op {
	case OpAdd:
		if onTape {
			a := rc.cell(r)
			v := r.Emit(irkit.ALOAD, irkit.TInt, a, irkit.NoRef)
			v = r.Emit(irkit.ADD, irkit.TInt, v, b.KInt(ins.N))
			v = r.Emit(irkit.BAND, irkit.TInt, v, b.KInt(255))
			r.Emit(irkit.ASTORE, irkit.TInt, a, v)
		}
	case OpMove:
		p := r.Slot(0, irkit.TInt)
		r.SetSlot(0, r.Emit(irkit.ADD, irkit.TInt, p, b.KInt(ins.N)))
	case OpOut, OpIn:
		if r.T.Len() == 0 {
			return 0, false, r.Abort("I/O at the start of the loop")
		}
		return pc64, true, r.Stop(pc64)
	case OpOpen, OpClose:
		if !onTape {
			break
		}
		v := r.Emit(irkit.ALOAD, irkit.TInt, rc.cell(r), irkit.NoRef)
		zero := rc.vm.tape[rc.p] == 0
		switch {
		case ins.Op == OpOpen && zero:
			r.Guard(irkit.EQ, v, b.KInt(0)) // the loop is skipped
		case ins.Op == OpOpen:
			return 0, false, r.Abort("inner loop")
		case zero:
			return 0, false, r.Abort("loop left while recording")
		case int(ins.N)+1 != rc.head:
			return 0, false, r.Abort("back edge of another loop")
		default:
			r.Guard(irkit.NE, v, b.KInt(0))
			if _, err := rc.exec(pc); err != nil {
				return 0, false, err
			}
			return pc64, true, r.CloseLoop()
		}
	}
	if err := r.Err(); err != nil {
		return 0, false, err
	}
	next, err := rc.exec(pc)
	return uint64(next), false, err
}

// exec lets the interpreter execute the instruction at pc.
func (rc *recorder) exec(pc int) (int, error) {
	next, err := rc.vm.step(pc, &rc.p)
	if err != nil {
		rc.err = err
		return 0, err
	}
	rc.pc = next
	return next, nil
}

// RecordLoop records one iteration of the loop of prog whose body starts at
// head, as the JIT does, from the state the interpreter has there: the
// tape and the pointer p. It executes that iteration on tape (output goes
// nowhere, input is empty) and returns the trace as recorded: looping,
// not yet optimized, its slot 0 the tape pointer and the tape's address a
// constant, so tape must stay alive and in place while the trace runs.
// It serves the course labs and tools; the JIT itself records through its
// VM.
func RecordLoop(prog *Program, head int, tape []uint64, p int) (*irkit.Trace, error) {
	if head <= 0 || head >= len(prog.Code) || prog.Code[head-1].Op != OpOpen || len(tape) == 0 {
		return nil, errors.New("bf: head is not the first instruction of a loop body")
	}
	vm := &VM{prog: prog, tape: tape, slots: []uint64{uint64(int64(int32(p))), uint64(uintptr(unsafe.Pointer(&tape[0])))},
		in: bufio.NewReader(eofReader{}), out: bufio.NewWriter(io.Discard)}
	b := irkit.NewBuilder(nil)
	r := irkit.NewRecorder(b)
	rec := &recorder{vm: vm, p: p, head: head}
	err := r.Record(rec, uint64(head), guard.DefaultOptions().MaxRecord)
	if rec.err != nil {
		return nil, rec.err
	}
	if err != nil {
		return nil, err
	}
	return b.T, nil
}
