package arm64

// -- Scalar floating point ---------------------------------------------------

// FAdd emits fadd dd, dn, dm (or the single-precision form for S registers).
func (a *Asm) FAdd(fd, fn, fm FReg) { a.fp2(0x2, "fadd", fd, fn, fm) }

// FSub emits fsub.
func (a *Asm) FSub(fd, fn, fm FReg) { a.fp2(0x3, "fsub", fd, fn, fm) }

// FMul emits fmul.
func (a *Asm) FMul(fd, fn, fm FReg) { a.fp2(0x0, "fmul", fd, fn, fm) }

// FDiv emits fdiv.
func (a *Asm) FDiv(fd, fn, fm FReg) { a.fp2(0x1, "fdiv", fd, fn, fm) }

// FMax emits fmax (NaN if either operand is NaN).
func (a *Asm) FMax(fd, fn, fm FReg) { a.fp2(0x4, "fmax", fd, fn, fm) }

// FMin emits fmin.
func (a *Asm) FMin(fd, fn, fm FReg) { a.fp2(0x5, "fmin", fd, fn, fm) }

// FMaxnm emits fmaxnm (a quiet NaN operand is ignored).
func (a *Asm) FMaxnm(fd, fn, fm FReg) { a.fp2(0x6, "fmaxnm", fd, fn, fm) }

// FMinnm emits fminnm.
func (a *Asm) FMinnm(fd, fn, fm FReg) { a.fp2(0x7, "fminnm", fd, fn, fm) }

// FNMul emits fnmul: -(fn*fm).
func (a *Asm) FNMul(fd, fn, fm FReg) { a.fp2(0x8, "fnmul", fd, fn, fm) }

func (a *Asm) fpOK(name string, fs ...FReg) bool {
	for _, f := range fs {
		if !f.valid() || f.IsSingle() != fs[0].IsSingle() {
			a.fail("%s: bad or mixed registers %v, %v", name, fs[0], f)
			return false
		}
	}
	return true
}

func (a *Asm) fp2(opc uint32, name string, fd, fn, fm FReg) {
	if a.fpOK(name, fd, fn, fm) {
		a.put(0x1e200800 | fd.ftype()<<22 | fm.Num()<<16 | opc<<12 | fn.Num()<<5 | fd.Num())
	}
}

// FMadd emits fmadd fd, fn, fm, fa: fa + fn*fm with a single rounding.
func (a *Asm) FMadd(fd, fn, fm, fa FReg) { a.fp3(0x1f000000, "fmadd", fd, fn, fm, fa) }

// FMsub emits fmsub fd, fn, fm, fa: fa - fn*fm.
func (a *Asm) FMsub(fd, fn, fm, fa FReg) { a.fp3(0x1f008000, "fmsub", fd, fn, fm, fa) }

// FNMadd emits fnmadd fd, fn, fm, fa: -fa - fn*fm.
func (a *Asm) FNMadd(fd, fn, fm, fa FReg) { a.fp3(0x1f200000, "fnmadd", fd, fn, fm, fa) }

// FNMsub emits fnmsub fd, fn, fm, fa: -fa + fn*fm.
func (a *Asm) FNMsub(fd, fn, fm, fa FReg) { a.fp3(0x1f208000, "fnmsub", fd, fn, fm, fa) }

func (a *Asm) fp3(op uint32, name string, fd, fn, fm, fa FReg) {
	if a.fpOK(name, fd, fn, fm, fa) {
		a.put(op | fd.ftype()<<22 | fm.Num()<<16 | fa.Num()<<10 | fn.Num()<<5 | fd.Num())
	}
}

// FMov emits fmov fd, fn (register copy).
func (a *Asm) FMov(fd, fn FReg) { a.fp1(0x00, "fmov", fd, fn) }

// FAbs emits fabs.
func (a *Asm) FAbs(fd, fn FReg) { a.fp1(0x01, "fabs", fd, fn) }

// FNeg emits fneg.
func (a *Asm) FNeg(fd, fn FReg) { a.fp1(0x02, "fneg", fd, fn) }

// FSqrt emits fsqrt.
func (a *Asm) FSqrt(fd, fn FReg) { a.fp1(0x03, "fsqrt", fd, fn) }

// FRintn emits frintn: round to nearest, ties to even.
func (a *Asm) FRintn(fd, fn FReg) { a.fp1(0x08, "frintn", fd, fn) }

// FRintp emits frintp: round toward +Inf (ceil).
func (a *Asm) FRintp(fd, fn FReg) { a.fp1(0x09, "frintp", fd, fn) }

// FRintm emits frintm: round toward -Inf (floor).
func (a *Asm) FRintm(fd, fn FReg) { a.fp1(0x0a, "frintm", fd, fn) }

// FRintz emits frintz: round toward zero (trunc).
func (a *Asm) FRintz(fd, fn FReg) { a.fp1(0x0b, "frintz", fd, fn) }

// FRinta emits frinta: round to nearest, ties away from zero.
func (a *Asm) FRinta(fd, fn FReg) { a.fp1(0x0c, "frinta", fd, fn) }

func (a *Asm) fp1(opc uint32, name string, fd, fn FReg) {
	if a.fpOK(name, fd, fn) {
		a.put(0x1e204000 | fd.ftype()<<22 | opc<<15 | fn.Num()<<5 | fd.Num())
	}
}

// FCvt emits fcvt between precisions: fd and fn must differ in width
// (d from s, or s from d).
func (a *Asm) FCvt(fd, fn FReg) {
	if !fd.valid() || !fn.valid() || fd.IsSingle() == fn.IsSingle() {
		a.fail("fcvt: bad registers %v, %v", fd, fn)
		return
	}
	opc := uint32(0x5) // to double
	if fd.IsSingle() {
		opc = 0x4
	}
	a.put(0x1e204000 | fn.ftype()<<22 | opc<<15 | fn.Num()<<5 | fd.Num())
}

// FCmp emits fcmp fn, fm. The ordered tests afterwards are EQ (equal),
// MI (less), LS (less or equal), GT (greater) and GE (greater or equal):
// each is false when either operand is NaN; VS means unordered, and NE,
// LT, LE, HI are true for NaN.
func (a *Asm) FCmp(fn, fm FReg) {
	if a.fpOK("fcmp", fn, fm) {
		a.put(0x1e202000 | fn.ftype()<<22 | fm.Num()<<16 | fn.Num()<<5)
	}
}

// FCmpZero emits fcmp fn, #0.0.
func (a *Asm) FCmpZero(fn FReg) {
	if a.fpOK("fcmp", fn) {
		a.put(0x1e202008 | fn.ftype()<<22 | fn.Num()<<5)
	}
}

// FCsel emits fcsel fd, fn, fm, c: fd = c ? fn : fm.
func (a *Asm) FCsel(fd, fn, fm FReg, c Cond) {
	if !a.fpOK("fcsel", fd, fn, fm) {
		return
	}
	if c > NV {
		a.fail("fcsel: bad condition %d", c)
		return
	}
	a.put(0x1e200c00 | fd.ftype()<<22 | fm.Num()<<16 | uint32(c)<<12 | fn.Num()<<5 | fd.Num())
}

// FMovImm emits fmov fd, #f for the constants FMovImmOK accepts.
func (a *Asm) FMovImm(fd FReg, f float64) {
	if !a.fpOK("fmov", fd) {
		return
	}
	imm, ok := fmovImm(f)
	if !ok {
		a.fail("fmov: %v is not an 8-bit float immediate", f)
		return
	}
	a.put(0x1e201000 | fd.ftype()<<22 | imm<<13 | fd.Num())
}

// -- Moves and conversions between integer and floating point ---------------

// FMovToF emits fmov dd, xn (or sd, wn): copy the bits of a general register.
func (a *Asm) FMovToF(fd FReg, rn Reg) {
	if !fd.valid() || !a.zr("fmov", rn) || fd.IsSingle() != rn.Is32() {
		a.fail("fmov: bad registers %v, %v", fd, rn)
		return
	}
	a.put(0x1e270000 | sf(rn) | fd.ftype()<<22 | rn.Num()<<5 | fd.Num())
}

// FMovFromF emits fmov xd, dn (or wd, sn): copy the bits to a general register.
func (a *Asm) FMovFromF(rd Reg, fn FReg) {
	if !a.wr("fmov", rd) {
		return
	}
	if !fn.valid() || !a.zr("fmov", rd) || fn.IsSingle() != rd.Is32() {
		a.fail("fmov: bad registers %v, %v", rd, fn)
		return
	}
	a.put(0x1e260000 | sf(rd) | fn.ftype()<<22 | fn.Num()<<5 | rd.Num())
}

// Scvtf emits scvtf fd, rn: signed integer (W or X) to floating point.
func (a *Asm) Scvtf(fd FReg, rn Reg) { a.toF(0x1e220000, "scvtf", fd, rn) }

// Ucvtf emits ucvtf fd, rn: unsigned integer to floating point.
func (a *Asm) Ucvtf(fd FReg, rn Reg) { a.toF(0x1e230000, "ucvtf", fd, rn) }

func (a *Asm) toF(op uint32, name string, fd FReg, rn Reg) {
	if !fd.valid() || !a.zr(name, rn) {
		a.fail("%s: bad registers %v, %v", name, fd, rn)
		return
	}
	a.put(op | sf(rn) | fd.ftype()<<22 | rn.Num()<<5 | fd.Num())
}

// Fcvtzs emits fcvtzs rd, fn: to signed integer, rounding toward zero,
// saturating (NaN gives 0).
func (a *Asm) Fcvtzs(rd Reg, fn FReg) { a.toI(0x1e380000, "fcvtzs", rd, fn) }

// Fcvtzu emits fcvtzu rd, fn: to unsigned integer, rounding toward zero.
func (a *Asm) Fcvtzu(rd Reg, fn FReg) { a.toI(0x1e390000, "fcvtzu", rd, fn) }

// Fcvtms emits fcvtms rd, fn: to signed integer, rounding toward -Inf (floor).
func (a *Asm) Fcvtms(rd Reg, fn FReg) { a.toI(0x1e300000, "fcvtms", rd, fn) }

// Fcvtps emits fcvtps rd, fn: to signed integer, rounding toward +Inf (ceil).
func (a *Asm) Fcvtps(rd Reg, fn FReg) { a.toI(0x1e280000, "fcvtps", rd, fn) }

// Fcvtns emits fcvtns rd, fn: to signed integer, rounding to nearest even.
func (a *Asm) Fcvtns(rd Reg, fn FReg) { a.toI(0x1e200000, "fcvtns", rd, fn) }

func (a *Asm) toI(op uint32, name string, rd Reg, fn FReg) {
	if !a.wr(name, rd) {
		return
	}
	if !fn.valid() || !a.zr(name, rd) {
		a.fail("%s: bad registers %v, %v", name, rd, fn)
		return
	}
	a.put(op | sf(rd) | fn.ftype()<<22 | fn.Num()<<5 | rd.Num())
}
