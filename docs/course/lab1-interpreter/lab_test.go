package lab1

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jitkit/jitkit/docs/bf"
)

func run(t *testing.T, src, input string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := newImpl().Run([]byte(src), strings.NewReader(input), &out)
	return out.String(), err
}

// TestClassics: hello world, wrapping in both directions, nested loops,
// input.
func TestClassics(t *testing.T) {
	for _, c := range bf.Classics {
		got, err := run(t, c.Src, c.Input)
		if err != nil || got != c.Want {
			t.Errorf("%s: got %q, %v; want %q", c.Name, got, err, c.Want)
		}
	}
}

// TestComments: every byte but the eight commands is ignored.
func TestComments(t *testing.T) {
	got, err := run(t, "this is + a comment ++++++ [ > +++++ + + < - ] > +++++ . ok", "")
	if err != nil || got != "6" { // 7*7+5 = 54
		t.Errorf("got %q, %v; want %q", got, err, "6")
	}
}

// TestEOF: "," at the end of input stores 0.
func TestEOF(t *testing.T) {
	got, err := run(t, "+,+.", "")
	if err != nil || got != "\x01" {
		t.Errorf("got %q, %v; want %q", got, err, "\x01")
	}
}

// TestBench: the course's benchmark program prints n*255 mod 256.
func TestBench(t *testing.T) {
	got, err := run(t, bf.Bench(7), "")
	if want := string([]byte{7 * 255 % 256}); err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

// TestErrors: bad programs fail cleanly.
func TestErrors(t *testing.T) {
	for _, src := range []string{"[", "]", "+[[-]", "<+", "+[>+]"} {
		if _, err := run(t, src, ""); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

func BenchmarkBench(b *testing.B) {
	src := []byte(bf.Bench(100))
	for b.Loop() {
		if err := newImpl().Run(src, nil, &bytes.Buffer{}); err != nil {
			b.Fatal(err)
		}
	}
}
