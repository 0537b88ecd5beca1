package arm64

// -- Branches, calls and pc-relative addresses -------------------------------

// B emits an unconditional branch to l (range ±128 MiB).
func (a *Asm) B(l Label) { a.branch(0x14000000, fixB26, l) }

// BL emits a call to l: branch and write the return address to x30.
func (a *Asm) BL(l Label) { a.branch(0x94000000, fixB26, l) }

// BCond emits b.cond to l. The short form reaches ±1 MiB; a bound label
// beyond that is reached by b.!cond over an unconditional b, and an
// unbound one by a veneer island if the code grows too far before it is
// bound. BCond(AL) is a plain b.
func (a *Asm) BCond(c Cond, l Label) {
	if c > NV {
		a.fail("b.cond: bad condition %d", c)
		return
	}
	if c >= AL {
		a.B(l)
		return
	}
	a.room(2)
	if a.boundFar(fixBr19, l) {
		a.B(l)
		a.Buf.Put4(0x54000000 | 2<<5 | uint32(c.Invert()))
		return
	}
	a.branch(0x54000000|uint32(c), fixBr19, l)
}

// Cbz emits cbz: branch to l if r is zero (r's width picks the test width).
func (a *Asm) Cbz(r Reg, l Label) { a.cb(0x34000000, r, l) }

// Cbnz emits cbnz: branch to l if r is not zero.
func (a *Asm) Cbnz(r Reg, l Label) { a.cb(0x35000000, r, l) }

func (a *Asm) cb(op uint32, r Reg, l Label) {
	if !a.zr("cbz", r) {
		return
	}
	op |= sf(r) | r.Num()
	a.room(2)
	if a.boundFar(fixBr19, l) {
		a.B(l)
		a.Buf.Put4(op ^ 1<<24 | 2<<5) // cbz <-> cbnz over the b
		return
	}
	a.branch(op, fixBr19, l)
}

// Tbz emits tbz: branch to l if bit of r is zero. The short form reaches
// ±32 KiB; farther targets are handled as for BCond.
func (a *Asm) Tbz(r Reg, bit uint, l Label) { a.tb(0x36000000, r, bit, l) }

// Tbnz emits tbnz: branch to l if bit of r is set.
func (a *Asm) Tbnz(r Reg, bit uint, l Label) { a.tb(0x37000000, r, bit, l) }

func (a *Asm) tb(op uint32, r Reg, bit uint, l Label) {
	if !a.zr("tbz", r) {
		return
	}
	if bit >= 64 || (r.Is32() && bit >= 32) {
		a.fail("tbz: bit %d out of range for %v", bit, r)
		return
	}
	op |= uint32(bit>>5)<<31 | uint32(bit&31)<<19 | r.Num()
	a.room(2)
	if a.boundFar(fixTb14, l) {
		a.B(l)
		a.Buf.Put4(op ^ 1<<24 | 2<<5) // tbz <-> tbnz over the b
		return
	}
	a.branch(op, fixTb14, l)
}

// Br emits an indirect branch to the address in r.
func (a *Asm) Br(r Reg) { a.indirect(0xd61f0000, r) }

// Blr emits an indirect call to the address in r.
func (a *Asm) Blr(r Reg) { a.indirect(0xd63f0000, r) }

// Ret emits ret: return to the address in x30.
func (a *Asm) Ret() { a.put(0xd65f03c0) }

// RetTo emits ret with an explicit return-address register.
func (a *Asm) RetTo(r Reg) { a.indirect(0xd65f0000, r) }

func (a *Asm) indirect(op uint32, r Reg) {
	if !a.zr("br", r) || r.Is32() {
		a.fail("indirect branch needs an x register, got %v", r)
		return
	}
	a.put(op | r.Num()<<5)
}

// Adr emits adr: rd = address of l (range ±1 MiB).
func (a *Asm) Adr(rd Reg, l Label) {
	if !a.wr("adr", rd) {
		return
	}
	if !a.zr("adr", rd) || rd.Is32() {
		a.fail("adr needs an x register, got %v", rd)
		return
	}
	a.branch(0x10000000|rd.Num(), fixAdr, l)
}

// AdrOff emits adr with a byte offset from the adr itself.
func (a *Asm) AdrOff(rd Reg, off int64) {
	if !a.wr("adr", rd) {
		return
	}
	if !a.zr("adr", rd) || rd.Is32() {
		a.fail("adr needs an x register, got %v", rd)
		return
	}
	w, ok := setOffset(0x10000000|rd.Num(), fixAdr, off)
	if !ok {
		a.fail("adr: offset %d out of range", off)
		return
	}
	a.put(w)
}

// Adrp emits adrp: rd = (pc &^ 4095) + pages<<12. Only meaningful once the
// final address of the code is known (pages must fit in 21 signed bits).
func (a *Asm) Adrp(rd Reg, pages int64) {
	if !a.wr("adr", rd) {
		return
	}
	if !a.zr("adrp", rd) || rd.Is32() {
		a.fail("adrp needs an x register, got %v", rd)
		return
	}
	w, ok := setOffset(0x90000000|rd.Num(), fixAdr, pages)
	if !ok {
		a.fail("adrp: page offset %d out of range", pages)
		return
	}
	a.put(w)
}

// Nop emits nop.
func (a *Asm) Nop() { a.put(0xd503201f) }

// Brk emits brk #imm, a breakpoint trap (debugging only: a trap inside
// generated code kills the Go process).
func (a *Asm) Brk(imm uint16) { a.put(0xd4200000 | uint32(imm)<<5) }

// -- Pure encoders for patching ---------------------------------------------

// EncodeB returns the word of an unconditional b over off bytes, for
// patching code in place (linking a side trace to an exit).
func EncodeB(off int64) (uint32, bool) { return setOffset(0x14000000, fixB26, off) }

// EncodeBL returns the word of a bl over off bytes.
func EncodeBL(off int64) (uint32, bool) { return setOffset(0x94000000, fixB26, off) }

// EncodeBCond returns the word of b.cond over off bytes.
func EncodeBCond(c Cond, off int64) (uint32, bool) {
	if c > NV {
		return 0, false
	}
	return setOffset(0x54000000|uint32(c), fixBr19, off)
}
