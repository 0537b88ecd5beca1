package vm

import (
	"testing"
	"unsafe"
)

// TestFrameLayout: traces address frame records as whole words
// (frameWords) and write the kind as 4 bytes; a record that stops being a
// multiple of 8 bytes, or a kind that shrinks, would make them write
// across records.
func TestFrameLayout(t *testing.T) {
	if n := unsafe.Sizeof(frame{}); n%8 != 0 || int64(n/8) != frameWords {
		t.Errorf("frame is %d bytes; traces assume %d words", n, frameWords)
	}
	if unsafe.Sizeof(frame{}.kind) != 4 {
		t.Errorf("frame.kind is %d bytes; traces store it as an int32", unsafe.Sizeof(frame{}.kind))
	}
}
