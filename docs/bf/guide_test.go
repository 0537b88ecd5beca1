package bf

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// elide matches a line of a snippet that stands for left-out code.
// outline is the comment that marks the one snippet of the guide that is
// an outline, not copied code; it stands on the line before the fence.
const outline = "<!-- outline: not copied from one place -->\n"

var elide = regexp.MustCompile(`(?m)^[ \t]*\.\.\.\n`)

// TestGuideSnippets checks the promise of docs/implementers-guide.md that
// every Go snippet in it is copied from code that compiles and runs: each
// fenced Go block must appear, line for line, in a .go file of the
// repository, but for lines "..." that leave code out.
func TestGuideSnippets(t *testing.T) {
	guide, err := os.ReadFile("../implementers-guide.md")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			src.Write(b)
			src.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all := src.String()
	// parts[i] is the text before the i-th snippet's fence, parts[i+1]
	// starts with the snippet.
	parts := strings.Split(string(guide), "```go\n")
	if len(parts) < 11 {
		t.Fatalf("only %d Go snippets in the guide", len(parts)-1)
	}
	outlines := 0
	for i, b := range parts[1:] {
		snippet, _, ok := strings.Cut(b, "```")
		if !ok {
			t.Fatalf("unterminated snippet %q", b)
		}
		if strings.HasSuffix(parts[i], outline) {
			outlines++
			continue
		}
		// A line "..." leaves code out: each part must appear.
		for _, part := range elide.Split(snippet, -1) {
			if !strings.Contains(all, part) {
				t.Errorf("snippet not found in the repository's Go files:\n%s", part)
			}
		}
	}
	if outlines > 1 {
		t.Errorf("%d snippets marked as outlines; the guide promises one", outlines)
	}
}
