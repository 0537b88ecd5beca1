//go:build !student

package lab1

import (
	"io"

	"github.com/jitkit/jitkit/docs/bf"
)

// reference is the repository's solution: docs/bf with its JIT off.
type reference struct{}

func newImpl() Interpreter { return reference{} }

// Run parses src and interprets it.
func (reference) Run(src []byte, in io.Reader, out io.Writer) error {
	prog, err := bf.Parse(src)
	if err != nil {
		return err
	}
	vm, err := bf.New(prog, in, out, bf.Options{})
	if err != nil {
		return err
	}
	defer vm.Close()
	return vm.Run()
}
