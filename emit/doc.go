// Package emit turns allocated IR into machine code: it is the last stage of
// the jitkit pipeline (record → optimize → allocate → emit → link).
//
// The package root holds what every architecture shares: Buf, a buffer that
// is filled backwards so lowering can walk a trace from its end; executable
// memory that is never writable and executable at once (W^X); and the
// assembly trampolines that enter generated code from Go without cgo.
// The encoders and lowerings live in emit/amd64 and emit/arm64.
package emit
