#include "textflag.h"

// func flushICache(addr, n uintptr)
//
// Makes instruction fetch see the bytes just written to [addr, addr+n):
//
//	dc cvau  over every data-cache line of the range  (clean to the point of unification)
//	dsb ish                                            (the cleans complete)
//	ic ivau  over every instruction-cache line          (invalidate to the point of unification)
//	dsb ish                                            (the invalidations complete)
//	isb                                                (refetch in this thread)
//
// The line sizes come from CTR_EL0 (readable at EL0 on Linux): DminLine
// (bits 19:16) and IminLine (bits 3:0) are log2 of the line length in
// 4-byte words. CTR_EL0.IDC (bit 28) says the data-cache clean is not
// needed and CTR_EL0.DIC (bit 29) that the invalidation is not needed; the
// barriers are kept either way. The line length is read on every call: it
// is one instruction, cheaper than a load from a cached Go variable would
// make it, and a process can migrate between cores whose lines differ
// (big.LITTLE systems report the smallest, which is what we want).
TEXT ·flushICache(SB), NOSPLIT|NOFRAME, $0-16
	MOVD addr+0(FP), R0
	MOVD n+8(FP), R1
	CBZ  R1, done
	ADD  R0, R1, R1          // R1 = end of the range
	MRS  CTR_EL0, R2
	MOVD $4, R4

	TBNZ $28, R2, dcdone     // IDC: no clean needed
	UBFX $16, R2, $4, R3
	LSL  R3, R4, R3          // R3 = data-cache line size in bytes
	SUB  $1, R3, R5
	BIC  R5, R0, R6          // R6 = start, rounded down to a line
dcloop:
	DC   CVAU, R6
	ADD  R3, R6, R6
	CMP  R1, R6
	BLO  dcloop
dcdone:
	DSB  $11                 // dsb ish

	TBNZ $29, R2, icdone     // DIC: no invalidation needed
	AND  $15, R2, R3
	LSL  R3, R4, R3          // R3 = instruction-cache line size in bytes
	SUB  $1, R3, R5
	BIC  R5, R0, R6
icloop:
	WORD $0xd50b7526         // ic ivau, x6 (the Go assembler has no IC)
	ADD  R3, R6, R6
	CMP  R1, R6
	BLO  icloop
icdone:
	DSB  $11                 // dsb ish
	ISB  $15                 // isb
done:
	RET

// func cacheType() uint64
TEXT ·cacheType(SB), NOSPLIT|NOFRAME, $0-8
	MRS  CTR_EL0, R0
	MOVD R0, ret+0(FP)
	RET
