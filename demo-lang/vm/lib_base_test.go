package vm_test

import (
	"testing"

	"github.com/jitkit/jitkit/demo-lang/vm"
)

// TestSetmetatableUnsupportedFields: weak tables and __gc are outside the
// subset, so a metatable with __mode or __gc fails where it is set, naming
// the field and the line; other metatables, and one whose __gc was
// cleared, still work.
func TestSetmetatableUnsupportedFields(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"local t = {}\nsetmetatable(t, {__mode = 'k'})", "w.lua:2: __mode is not supported by demo-lang"},
		{"setmetatable({}, {__gc = print})", "w.lua:1: __gc is not supported by demo-lang"},
	} {
		_, err := run(t, "w.lua", c.src, vm.Options{})
		e, ok := err.(*vm.Error)
		if !ok || e.Message != c.want {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
	out, err := run(t, "w.lua", `local mt = {__index = {x = 1}, __gc = print}
mt.__gc = nil
print(setmetatable({}, mt).x, pcall(setmetatable, {}, {__mode = "v"}))`, vm.Options{})
	if err != nil || out != "1\tfalse\t__mode is not supported by demo-lang\n" {
		t.Errorf("got %q, %v", out, err)
	}
}
