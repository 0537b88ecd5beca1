package snapshot

import (
	"testing"

	"github.com/jitkit/jitkit/emit"
	"github.com/jitkit/jitkit/emit/amd64"
)

func newBackend(t *testing.T) *backend {
	mem := emit.NewMem(0)
	t.Cleanup(func() { mem.Close() })
	l, err := amd64.NewLowerer(mem)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return &backend{Backend: l, mem: mem, refused: amd64.ErrRefused}
}
