package compile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jitkit/jitkit/demo-lang/syntax"
)

func loadBench(b *testing.B) (names []string, srcs [][]byte, size int) {
	files, _ := filepath.Glob("testdata/*.lua")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		names = append(names, filepath.Base(f))
		srcs = append(srcs, src)
		size += len(src)
	}
	return
}

// BenchmarkParseBench parses all benchmark programs once per op.
func BenchmarkParseBench(b *testing.B) {
	names, srcs, size := loadBench(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for k, src := range srcs {
			if _, err := syntax.Parse(names[k], src); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompileBench parses and compiles all benchmark programs once per op.
func BenchmarkCompileBench(b *testing.B) {
	names, srcs, size := loadBench(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for k, src := range srcs {
			if _, err := CompileSource(names[k], src); err != nil {
				b.Fatal(err)
			}
		}
	}
}
