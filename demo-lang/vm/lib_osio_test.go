package vm

import (
	"bufio"
	"io"
	"math"
	"strings"
	"testing"
)

// TestScanNumber holds io.read("*n")'s scanner to what lua5.1 (glibc's
// fscanf "%lf") did on the same inputs: the value read, or nil, and what
// stays unread for the next read.
func TestScanNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64 // NaN for nil
		rest string
	}{
		{"abc", math.NaN(), "abc"},
		{"12abc", 12, "abc"},
		{"1e+x", 1, "x"},
		{"1E-\n", 1, "\n"},
		{"0x1P+ 5", 1, " 5"},
		{"0x1.8p1 ", 3, " "},
		{"0x ", math.NaN(), " "},
		{"+0x10", 16, ""},
		{"-.e3", math.NaN(), "e3"},
		{". 1", math.NaN(), " 1"},
		{"1e5e", 100000, "e"},
		{"-inf ", math.Inf(-1), " "},
		{"infinity", math.Inf(1), ""},
		{"infin 9", math.NaN(), " 9"},
		{"next", math.NaN(), "ext"},
		{"", math.NaN(), ""},
	}
	for _, c := range cases {
		r := bufio.NewReader(strings.NewReader(c.in))
		f, ok := convertScanned(scanNumberPrefix(r))
		rest, _ := io.ReadAll(r)
		wantOK := !math.IsNaN(c.want)
		if ok != wantOK || (ok && f != c.want) || string(rest) != c.rest {
			t.Errorf("%q: got %v, %v, rest %q; want %v, %v, rest %q", c.in, f, ok, rest, c.want, wantOK, c.rest)
		}
	}
}
