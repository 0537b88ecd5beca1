package amd64

// -- Prologue and exit stubs ---------------------------------------------------
//
// Under emit's calling contract a trace is entered by CALL with the state
// pointer in RDI and leaves with RET and a status in RAX; the Go stack is
// off limits beyond emit.CodeStack bytes, so nothing is pushed. An exit
// therefore needs only: store the registers that hold live values where
// the snapshot code expects them (SaveRegs), put the exit's status in RAX
// and return (ExitStub). A side trace entered from an exit reloads them
// (LoadRegs).

// The registers of emit's calling contract on amd64.
const (
	StateReg  = RDI // the state pointer on entry
	StatusReg = RAX // the status word on return
)

// Allocatable is the set of general registers generated code may use
// freely (bit n: hardware number n): all but RSP. StateReg is in it; a
// trace that needs RDI for a value must keep the state pointer elsewhere.
const Allocatable uint16 = 0xFFFF &^ (1 << 4)

// RegArea is the size of the register save area SaveRegs writes: 16
// general registers then the low doubles of 16 SSE registers, 8 bytes each,
// indexed by hardware number.
const RegArea = 32 * 8

// GPSlot and XSlot are the offsets of a register within the save area.
func GPSlot(r Reg) int32 { return int32(r.Num()) * 8 }

// XSlot is the offset of an SSE register's low double in the save area.
func XSlot(r Reg) int32 { return 128 + int32(r.Num())*8 }

// SaveRegs stores the registers in the bit sets gp (bit n: the general
// register with hardware number n) and x (SSE registers) into the save
// area at m (m.Disp is its start). In program order the stores come first.
func (a *Asm) SaveRegs(m Mem, gp, x uint16) {
	for n := 15; n >= 0; n-- {
		if x&(1<<n) != 0 {
			r := X0 + Reg(n)
			a.StoreSD(m.Off(XSlot(r)), r)
		}
	}
	for n := 15; n >= 0; n-- {
		if gp&(1<<n) != 0 {
			r := RAX + Reg(n)
			a.Store(S64, m.Off(GPSlot(r)), r)
		}
	}
}

// LoadRegs loads the registers in gp and x from the save area at m. A
// register used to address m is loaded last, so the others still see the
// right address; RSP is never loaded.
func (a *Asm) LoadRegs(m Mem, gp, x uint16) {
	gp &^= 1 << RSP.Num()
	var last uint16
	for _, r := range [2]Reg{m.Base, m.Index} {
		if r.IsGP() && gp&(1<<r.Num()) != 0 {
			last |= 1 << r.Num()
		}
	}
	if last&(last-1) != 0 {
		a.fail("LoadRegs: both base and index of %v are in the load set", m)
		return
	}
	// Emission is backwards: the load that runs last is emitted first.
	if last != 0 {
		r := RAX + Reg(bitIndex(last))
		a.Load(S64, false, r, m.Off(GPSlot(r)))
	}
	for n := 15; n >= 0; n-- {
		if gp&^last&(1<<n) != 0 {
			r := RAX + Reg(n)
			a.Load(S64, false, r, m.Off(GPSlot(r)))
		}
	}
	for n := 15; n >= 0; n-- {
		if x&(1<<n) != 0 {
			r := X0 + Reg(n)
			a.LoadSD(r, m.Off(XSlot(r)))
		}
	}
}

func bitIndex(x uint16) int {
	n := 0
	for x > 1 {
		x >>= 1
		n++
	}
	return n
}

// ExitStub emits the tail of an exit: mov $status,%eax; ret. It leaves
// the flags alone, so it can follow a compare directly.
func (a *Asm) ExitStub(status uint32) {
	a.Ret()
	a.MovRIKeep(RAX, int64(status))
}

// AllGP and AllX are register sets for SaveRegs and LoadRegs.
const (
	AllGP uint16 = Allocatable // every general register but RSP
	AllX  uint16 = 0xFFFF
)
