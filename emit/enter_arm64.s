#include "textflag.h"

// func Enter(code, state uintptr) (status uint64)
//
// Frame: $0 locals, 24 bytes of arguments. Because the function calls, the
// assembler gives it a 16-byte frame: X30 at 0(RSP) and, following Go's
// arm64 frame layout, the caller's X29 in the word just BELOW the new SP,
// from where the epilogue reloads it. Generated code that pushes onto the
// stack (stp x29, x30, [sp, #-16]!) would overwrite that word, so the
// trampoline lowers SP by 16 more around the call: generated code starts
// with SP 16-byte aligned and may use emit.CodeStack bytes below it without
// touching any Go frame.
//
// Generated code gets the state pointer in X0 and its return address in
// X30 (BLR), returns the status in X0 with RET, keeps SP as it found it at
// return, and must never write R28 (g: the signal handler reads it) nor
// X18 (the platform register). ABI0 makes every other general and
// floating-point register caller-saved, so the code may use them all; X29
// should be restored too (the epilogue reloads it, but a traceback taken
// while the code runs may read it).
//
// The lowest of the 16 reserved bytes holds the address of the current
// goroutine's stack guard word (g+16; g lives in R28): generated code finds
// it at 0(SP) on entry (emit.GuardSlotARM64).
TEXT ·Enter(SB), NOSPLIT, $0-24
	MOVD code+0(FP), R1
	MOVD state+8(FP), R0
	SUB  $16, RSP
	ADD  $16, g, R2
	MOVD R2, (RSP)
	CALL (R1)
	ADD  $16, RSP
	MOVD R0, status+16(FP)
	RET
