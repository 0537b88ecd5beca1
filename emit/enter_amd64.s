#include "textflag.h"

// func Enter(code, state uintptr) (status uint64)
//
// Frame: $0 locals, 24 bytes of arguments. Because the function calls, the
// assembler also saves BP in the frame and reloads it from there before
// RET, so generated code may clobber RBP. Generated code gets the state
// pointer in DI, returns the status in AX, may clobber every other general
// and XMM register (ABI0: all are caller-saved; the ABI wrapper restores R14
// and X15), and must return with SP unchanged and the direction flag clear.
TEXT ·Enter(SB), NOSPLIT, $0-24
	MOVQ code+0(FP), AX
	MOVQ state+8(FP), DI
	CALL AX
	MOVQ AX, status+16(FP)
	RET
