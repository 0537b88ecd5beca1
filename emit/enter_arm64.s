#include "textflag.h"

// func Enter(code, state uintptr) (status uint64)
//
// Frame: $0 locals, 24 bytes of arguments. Because the function calls, the
// assembler gives it a 16-byte frame holding the caller's X29 and X30 and
// reloads both from there before RET, so generated code that clobbers X29
// still returns to a consistent Go frame (but see the contract in doc.go:
// it should restore X29, which a Go traceback taken while it runs uses).
//
// Generated code gets the state pointer in X0 and its return address in
// X30 (BLR), returns the status in X0 with RET, keeps SP as it found it at
// return, and must never write R28 (g: the signal handler reads it) nor
// X18 (the platform register). ABI0 makes every other general and
// floating-point register caller-saved, so the code may use them all.
TEXT ·Enter(SB), NOSPLIT, $0-24
	MOVD code+0(FP), R1
	MOVD state+8(FP), R0
	CALL (R1)
	MOVD R0, status+16(FP)
	RET
