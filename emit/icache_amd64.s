#include "textflag.h"

// func flushICache(addr, n uintptr)
//
// x86 keeps instruction fetch coherent with stores, so there is nothing
// to do.
TEXT ·flushICache(SB), NOSPLIT|NOFRAME, $0-16
	RET
