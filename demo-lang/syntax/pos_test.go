package syntax

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// checkPositions walks every node reachable from v by reflection and
// reports nodes whose position is unset.
func checkPositions(t *testing.T, file string, v reflect.Value, count *int) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkPositions(t, file, v.Elem(), count)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			checkPositions(t, file, v.Index(i), count)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Pos{}) {
			return
		}
		if f := v.FieldByName("Pos"); f.IsValid() && f.Type() == reflect.TypeOf(Pos{}) {
			*count++
			p := f.Interface().(Pos)
			if p.Line < 1 || p.Col < 1 {
				t.Errorf("%s: %s at %v", file, v.Type().Name(), p)
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				checkPositions(t, file, v.Field(i), count)
			}
		}
	}
}

// TestEveryNodeHasAPosition parses the benchmark programs and checks that
// every node of every tree carries a line and a column.
func TestEveryNodeHasAPosition(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.lua")
	total := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := Parse(f, src)
		if err != nil {
			t.Fatal(err)
		}
		checkPositions(t, f, reflect.ValueOf(ch.Body), &total)
	}
	if total < 1000 {
		t.Fatalf("only %d nodes checked", total)
	}
	t.Logf("%d nodes", total)
}
