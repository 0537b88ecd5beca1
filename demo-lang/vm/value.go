package vm

import (
	"math"
)

// -- Value encoding ---------------------------------------------------------

// Value is one demo-lang value, NaN-boxed into 64 bits with no Go pointer
// inside (see the drawing in doc.go). A Value is a number unless its top 13
// bits are all ones and its 4-bit tag (bits 47..50) is nonzero; tagged
// values carry a 47-bit payload that indexes one of the VM's object tables.
// A Value is only meaningful together with the State that made it.
type Value uint64

// Tags of the non-number values (bits 47..50 of a boxed Value).
const (
	tagNil   = 1
	tagFalse = 2
	tagTrue  = 3
	tagStr   = 4
	tagTab   = 5
	tagLFn   = 6 // Lua closure
	tagGFn   = 7 // Go function
)

const (
	boxBase     = 0xFFF8_0000_0000_0000 // top 13 bits set
	tagShift    = 47
	payloadMask = 1<<tagShift - 1
	// numLimit: v < numLimit is exactly "v is a number".
	numLimit = 0xFFF8_8000_0000_0000
)

// The constant non-number values.
const (
	Nil   Value = boxBase | tagNil<<tagShift
	False Value = boxBase | tagFalse<<tagShift
	True  Value = boxBase | tagTrue<<tagShift
)

func box(tag uint64, idx uint32) Value { return Value(boxBase | tag<<tagShift | uint64(idx)) }

// tag returns the tag of a boxed value (0 for numbers).
func (v Value) tag() uint64 {
	if v < numLimit {
		return 0
	}
	return uint64(v) >> tagShift & 15
}

func (v Value) idx() uint32 { return uint32(uint64(v) & payloadMask) }

// Number makes a number Value. NaNs whose payload would collide with the tag
// bits are canonicalized (keeping the sign, so -nan still prints as -nan).
func Number(f float64) Value {
	b := math.Float64bits(f)
	if b&0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000 && b&(0xF<<tagShift) != 0 {
		b &= 0xFFF8_0000_0000_0000
	}
	return Value(b)
}

// Bool makes a boolean Value.
func Bool(b bool) Value {
	if b {
		return True
	}
	return False
}

// nv is the hot-path number constructor: a plain bit cast. IEEE arithmetic
// on numbers whose NaN payloads have clear tag bits never sets those bits
// (fresh NaNs are 0x7FF8.. or 0xFFF8.., inputs propagate their payloads),
// so results of arithmetic need no canonicalization.
func nv(f float64) Value { return Value(math.Float64bits(f)) }

// IsNumber reports whether v is a number.
func (v Value) IsNumber() bool { return v < numLimit }

// IsNil reports whether v is nil.
func (v Value) IsNil() bool { return v == Nil }

// Float returns the number in v (meaningful only if IsNumber).
func (v Value) Float() float64 { return math.Float64frombits(uint64(v)) }

// truthy: everything except nil and false.
func (v Value) truthy() bool { return v != Nil && v != False }

// Type names as Lua's type() returns them.
var typeNames = [...]string{0: "number", tagNil: "nil", tagFalse: "boolean", tagTrue: "boolean",
	tagStr: "string", tagTab: "table", tagLFn: "function", tagGFn: "function", 8: "userdata",
	9: "userdata", 10: "userdata", 11: "userdata", 12: "userdata", 13: "userdata", 14: "userdata", 15: "userdata"}

// TypeName returns the Lua type name of v ("nil", "number", "table", ...).
func (v Value) TypeName() string { return typeNames[v.tag()] }

// isFunc reports whether v is a Lua or Go function.
func (v Value) isFunc() bool { t := v.tag(); return t == tagLFn || t == tagGFn }
