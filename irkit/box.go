package irkit

// BoxLayout describes how a language packs values into a 64-bit word, for
// the ISNUM, ISTAG, UNBOXN, UNBOXP, BOXN and BOXP ops. irkit knows no
// language: the layout is data on the trace.
//
// A word w is a number (its bits are a float64) unless its top bits,
// w >> PrefixShift, equal Prefix and its tag is nonzero. The tag is
// (w >> TagShift) & (1<<TagBits - 1); the payload is the low TagShift bits.
// Boxing a number replaces every NaN by CanonNaN, which must itself be a
// number under the layout, so no computed NaN can forge a tagged value.
type BoxLayout struct {
	PrefixShift uint8
	TagShift    uint8
	TagBits     uint8
	Prefix      uint64
	CanonNaN    uint64
}

// DefaultBox is the layout NewTrace installs: the top 13 bits all ones and
// a nonzero 4-bit tag in bits 47..50 mark a tagged value with a 47-bit
// payload; the canonical NaN is 0x7ff8000000000000.
var DefaultBox = BoxLayout{PrefixShift: 51, TagShift: 47, TagBits: 4, Prefix: 0x1fff, CanonNaN: 0x7ff8000000000000}

// Tag returns the tag field of w.
func (l *BoxLayout) Tag(w uint64) uint64 {
	return (w >> (l.TagShift & 63)) & (1<<(l.TagBits&63) - 1)
}

// IsNum reports whether w holds a number.
func (l *BoxLayout) IsNum(w uint64) bool {
	return w>>(l.PrefixShift&63) != l.Prefix || l.Tag(w) == 0
}

// HasTag reports whether w is a tagged value with tag tag.
func (l *BoxLayout) HasTag(w uint64, tag uint64) bool {
	return w>>(l.PrefixShift&63) == l.Prefix && l.Tag(w) == tag && tag != 0
}

// PayloadMask is the mask of the payload bits.
func (l *BoxLayout) PayloadMask() uint64 { return 1<<(l.TagShift&63) - 1 }

// Payload returns the payload bits of w.
func (l *BoxLayout) Payload(w uint64) uint64 { return w & l.PayloadMask() }

// BoxNum returns the value word of the float64 with bits f.
func (l *BoxLayout) BoxNum(f uint64) uint64 {
	if f&0x7ff0000000000000 == 0x7ff0000000000000 && f&0x000fffffffffffff != 0 {
		return l.CanonNaN
	}
	return f
}

// BoxTag returns the value word of payload p with tag tag.
func (l *BoxLayout) BoxTag(p uint64, tag uint64) uint64 {
	tm := uint64(1)<<(l.TagBits&63) - 1
	return l.Prefix<<(l.PrefixShift&63) | (tag&tm)<<(l.TagShift&63) | p&l.PayloadMask()
}

// Valid reports whether the layout is consistent: the fields do not
// overlap and the canonical NaN is a number.
func (l *BoxLayout) Valid() bool {
	return l.TagShift > 0 && l.TagBits > 0 && int(l.TagShift)+int(l.TagBits) <= int(l.PrefixShift) &&
		l.PrefixShift < 64 && l.Prefix < 1<<(64-l.PrefixShift) && l.IsNum(l.CanonNaN)
}
