#include "textflag.h"

// func Enter(code, state uintptr) (status uint64)
//
// Frame: 8 bytes of locals, 24 bytes of arguments. Because the function
// calls, the assembler also saves BP in the frame and reloads it from there
// before RET, so generated code may clobber RBP. Generated code gets the
// state pointer in DI, returns the status in AX, may clobber every other
// general and XMM register (ABI0: all are caller-saved; the ABI wrapper
// restores R14 and X15), and must return with SP unchanged and the
// direction flag clear.
//
// The local holds the address of the current goroutine's stack guard word
// (g+16, g read from thread-local storage). Generated code finds it at
// 8(SP) on entry (above its return address): emit.GuardSlotAMD64.
TEXT ·Enter(SB), NOSPLIT, $8-24
	MOVQ code+0(FP), AX
	MOVQ state+8(FP), DI
	MOVQ (TLS), BX
	LEAQ 16(BX), BX
	MOVQ BX, 0(SP)
	CALL AX
	MOVQ AX, status+16(FP)
	RET
