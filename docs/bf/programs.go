package bf

import "strings"

// -- Programs for tests, examples and the benchmark --------------------------------

// Classic programs, each with the output it must print (Input is fed to
// the program's ","). They are exported so the course labs and the guide
// run the same programs.
var Classics = []struct {
	Name, Src, Input, Want string
}{
	// The hello world of the Wikipedia article: its first loop nests
	// another, and the inner one is traced.
	{"hello", "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++.",
		"", "Hello World!\n"},
	// 1+3k wraps to 0 after 85 iterations only if cells are bytes: the
	// counter in the next cell then prints "U" (85).
	{"wrap", "+[+++>+<]>.", "", "U"},
	// 0-1 is 255; a loop of "-" by 5 ends at 0 after 51 iterations ("3").
	{"wrap-down", "-[----->+<]>.", "", "3"},
	// Three nested loops: 4*4*4 = 64 is "@".
	{"nested", "++++[>++++[>++++[>+<-]<-]<-]>>>.", "", "@"},
	// Reads its input up to the end (a 0) and prints it backwards. The
	// loop that reads is traced and stops at ",": each iteration leaves
	// the trace for the interpreter to do the input.
	{"reverse", ">,[>,]<[.<]", "hello, world", "dlrow ,olleh"},
	// Input to upper case: subtract 32 from each byte that is not a
	// newline; guards on the cell select the branch.
	{"upper", ",[>++++[<-------->-]<.,]", "jitkit", "JITKIT"},
}

// Bench returns a Brainfuck program of nested counting loops: n rounds
// (n < 256), each an inner loop of 255 iterations that adds 1, 2, 3, 4 to
// four cells and 1 to a counter, then four loops that clear the four
// cells again. It prints the counter, n*255 mod 256, as one byte. A round
// executes about 5,000 instructions, nearly all inside the innermost
// loops, which the JIT traces.
func Bench(n int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat("+", n%256)) // c0: rounds
	b.WriteString("[")
	b.WriteString(">-[>+>++>+++>++++>+<<<<<-]") // c1 = 255 iterations
	b.WriteString(">[-]>[-]>[-]>[-]<<<<<-")     // clear c2..c5, back to c0
	b.WriteString("]>>>>>>.")                   // print c6
	return b.String()
}
