package conformance

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// rows lists, for each row of LANGUAGE.md's "What the subset contains",
// the constructs the corpus must exercise: each entry is a regular
// expression that must match the source of at least one program. The
// test keeps "the corpus covers every row" a checked fact rather than a
// claim.
var rows = []struct {
	row   string
	needs []string
}{
	{"1. core: values and lexical forms", []string{`\bnil\b`, `\btrue\b`, `\bfalse\b`, `0x[0-9a-fA-F]`, `\d[eE][+-]?\d`,
		`\\[abfnrtv]`, `\\\d{1,3}`, `\\\n`, `\[\[`, `\[=+\[`, `--\[\[`, `--\[=+\[`, `--[^\[]`}},
	{"1. core: statements", []string{`\blocal\b`, `\bif\b.*\bthen\b`, `\belseif\b`, `\belse\b`, `\bwhile\b`,
		`\brepeat\b`, `\buntil\b`, `\bfor\b \w+ = `, `\bfor\b \w+(, \w+)* in\b`, `\bbreak\b`, `\bdo\b`,
		`\w+, \w+ = `}},
	{"1. core: functions", []string{`\bfunction\b`, `local function`, `\breturn\b`, `\.\.\.`, `select\("#"`,
		`select\(-?\d`, `function \w+:\w+\(`, `\w+:\w+\(`}},
	{"1. core: tables and operators", []string{`\{\s*\[`, `\w+ = `, `;`, `\band\b`, `\bor\b`, `\bnot\b`,
		`\.\.`, `#\w`, ` \+ `, ` - `, ` \* `, ` / `, ` % `, ` \^ `, ` == `, ` ~= `, ` < `, ` <= `, ` > `, ` >= `,
		`"\d+" [+*/^%-]`}},
	{"2. metatables", []string{`setmetatable`, `getmetatable`, `rawget`, `rawset`, `rawequal`,
		`__index = [A-Za-z_]\w*[},]`, `__index = function`, `__newindex = \{|__newindex = store`, `__newindex = function`,
		`__call`, `__add`, `__sub`, `__mul`, `__div`, `__mod`, `__pow`, `__unm`, `__eq`, `__lt`, `__le`,
		`__concat`, `__len`, `__tostring`, `__metatable`}},
	{"3. base library", []string{`\bprint\(`, `\btype\(`, `\btostring\(`, `\btonumber\(\S+, \d+\)`,
		`\bipairs\(`, `\bpairs\(`, `\bnext\(`, `\bselect\(`, `\bunpack\(`, `\berror\(`, `\bassert\(`,
		`\bpcall\(`, `\bxpcall\(`, `\barg\[`, `\b_G\b`}},
	{"4. math", []string{`math\.abs`, `math\.ceil`, `math\.floor`, `math\.sqrt`, `math\.sin`, `math\.cos`,
		`math\.tan`, `math\.asin`, `math\.acos`, `math\.atan\(`, `math\.atan2`, `math\.exp`, `math\.log\(`,
		`math\.log10`, `math\.pow`, `math\.fmod`, `math\.modf`, `math\.huge`, `math\.pi`, `math\.max`,
		`math\.min`, `math\.random\(`, `math\.randomseed`}},
	{"5. string", []string{`string\.len|:len\(`, `string\.sub|:sub\(`, `string\.upper|:upper\(`,
		`string\.lower|:lower\(`, `string\.rep|:rep\(`, `string\.reverse|:reverse\(`, `string\.byte|:byte\(`,
		`string\.char`, `string\.format|:format\(`, `string\.find|:find\(`, `string\.match|:match\(`,
		`string\.gmatch|:gmatch\(`, `string\.gsub|:gsub\(`, `%b\(\)`, `%f\[`, `%[1-9]`, `\(\)`,
		`%[acdlpsuwxz]`, `%[ACDLPSUWX]`, `\[\^`, `%q`, `%[-+ #0]*\d*\.?\d*[diuxXoeEfgGc]`}},
	{"6. table", []string{`table\.insert`, `table\.remove`, `table\.concat`, `table\.sort\(\w+\)`,
		`table\.sort\([^)]*function`}},
	{"7. os and io", []string{`os\.clock`, `os\.time`, `io\.write`, `io\.read\(\)`, `io\.read\("\*l"\)`,
		`io\.read\("\*n"`}},
	{"errors", []string{`error\([^)]*, 2\)`, `error\([^)]*, 0\)`, `error\(\{`, `error\(42\)`, `error\(nil\)|error\(\)`}},
}

func TestCoverage(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.lua"))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
		all.WriteByte('\n')
	}
	src := all.String()
	for _, r := range rows {
		for _, n := range r.needs {
			if !regexp.MustCompile(n).MatchString(src) {
				t.Errorf("%s: no corpus program matches %q", r.row, n)
			}
		}
	}
	var stdin, syntax, runtimeErr int
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".lua")
		if _, err := os.Stat(filepath.Join("testdata", name+".stdin")); err == nil {
			stdin++
		}
		switch {
		case strings.HasPrefix(name, "syn_"):
			syntax++
		case strings.HasPrefix(name, "err_"):
			runtimeErr++
		}
	}
	if stdin < 3 || syntax < 10 || runtimeErr < 20 {
		t.Errorf("corpus has %d stdin programs, %d syntax-error and %d error programs; want at least 3, 10, 20",
			stdin, syntax, runtimeErr)
	}
}
