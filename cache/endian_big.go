//go:build armbe || arm64be || m68k || mips || mips64 || mips64p32 || ppc || ppc64 || s390 || s390x || sparc || sparc64

package cache

// bigEndian is 1 on machines that store the most significant byte of a
// word first, 0 elsewhere; it places ShapeOffset and CountOffset.
const bigEndian = 1
