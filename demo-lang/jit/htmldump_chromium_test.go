package jit

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/jitkit/jitkit/demo-lang/vm"
	"github.com/jitkit/jitkit/guard"
	"github.com/jitkit/jitkit/irkit"
)

// chromiumPath is where Debian's chromium package installs the browser
// (.ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

// TestHTMLDumpChromium renders the -jdump=html page of the mandelbrot
// bench program (quick size) in headless Chromium, in one run: the DOM
// after the page's script ran (--dump-dom) and a screenshot. The script
// must have run (it marks <body> and counts the cross-linked elements),
// and the screenshot must show the trace tables: a page that failed to
// render (blank, or an error page) has too few non-background pixels and
// colours where they are.
func TestHTMLDumpChromium(t *testing.T) {
	chrome := chromiumPath
	if _, err := os.Stat(chrome); err != nil {
		p, lerr := exec.LookPath("chromium")
		if lerr != nil {
			t.Skipf("chromium not installed (%s: %v): the page is not rendered", chromiumPath, err)
		}
		chrome = p
	}
	sizes := quickSizes(t)
	script := filepath.Join(benchDir, "mandelbrot.lua")
	dir := t.TempDir()
	page := filepath.Join(dir, "mandelbrot.html")
	c, err := NewConfig()
	if err != nil {
		t.Fatal(err)
	}
	c.Stress = guard.Stress{}
	if ok, err := c.Flag("-jdump=html="+page, nil); !ok || err != nil {
		t.Fatal(ok, err)
	}
	var out, diag bytes.Buffer
	L := vm.New(vm.Options{Stdout: &out})
	c.Attach(L, &diag)
	at := L.NewTable()
	L.RawSetInt(at, 0, L.String(script))
	L.RawSetInt(at, 1, L.String(sizes["mandelbrot"]))
	L.SetGlobal("arg", at)
	if _, err := L.DoFile(script); err != nil {
		t.Fatal(err)
	}
	L.Flush()
	traces := L.JITTraces()
	ntraces := len(traces)
	if ntraces == 0 {
		t.Fatalf("no traces: %s", diag.String())
	}
	// The address pins an IR instruction of the first trace that came
	// from a bytecode: the script must then mark the bytecode's rows and
	// every IR row recorded for it.
	first := traces[0]
	pinRef, pinBC := -1, -1
	for i, k := range first.InsBytecode {
		if r := irkit.First + irkit.Ref(i); k >= 0 && first.IR.Ins(r).Op != irkit.NOP {
			pinRef, pinBC = int(r-irkit.Bias), k
			break
		}
	}
	if pinRef < 0 {
		t.Fatal("no IR instruction of the first trace maps to a bytecode")
	}
	c.Finish(L, &diag)

	shot := filepath.Join(dir, "page.png")
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--window-size=1200,1600",
		"--screenshot="+shot, "--dump-dom",
		"file://"+page+"#trace-"+strconv.Itoa(first.ID)+"/ref="+strconv.Itoa(pinRef))
	var dom, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dom, &stderr
	start := time.Now()
	err = cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("chromium did not finish in 40 s")
	}
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	t.Logf("chromium took %v", time.Since(start).Round(time.Millisecond))

	// The script ran: it marked <body> and wired the cross-links.
	m := regexp.MustCompile(`<body [^>]*data-crosslinks="(\d+)" data-js="ready"[^>]*>`).FindSubmatch(dom.Bytes())
	if m == nil {
		t.Fatalf("the page's script did not run; DOM:\n%.1500s", dom.String())
	}
	if n, _ := strconv.Atoi(string(m[1])); n < 50 {
		t.Errorf("the script wired %d cross-linked elements, want at least 50", n)
	}
	if !bytes.Contains(dom.Bytes(), []byte(`data-pinned="trace-`+strconv.Itoa(first.ID)+"/ref="+strconv.Itoa(pinRef)+`"`)) {
		t.Errorf("the script did not pin IR %04d from the address", pinRef)
	}
	sec := dom.Bytes()[bytes.Index(dom.Bytes(), []byte(`id="trace-`+strconv.Itoa(first.ID)+`"`)):]
	sec = sec[:bytes.Index(sec, []byte("</section>"))]
	pinned := regexp.MustCompile(`<[a-z]+ [^>]*data-bc="`+strconv.Itoa(pinBC)+`"[^>]*>`).FindAll(sec, -1)
	if len(pinned) < 2 {
		t.Errorf("bytecode %d: %d elements, want its row and its IR", pinBC, len(pinned))
	}
	for _, tag := range pinned {
		if !bytes.Contains(tag, []byte("pin")) {
			t.Errorf("pinning IR %04d did not mark %s (bytecode %d)", pinRef, tag, pinBC)
		}
	}
	if got := bytes.Count(dom.Bytes(), []byte(`<section class="trace"`)); got != ntraces {
		t.Errorf("rendered DOM has %d trace sections, want %d", got, ntraces)
	}

	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, stderr.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 1000 || b.Dy() < 1400 {
		t.Fatalf("screenshot is %v, want 1200x1600", b)
	}
	// The first trace's tables start below the header and the tree;
	// look at the band from 400 px down.
	ink, colours := pageInk(img, image.Rect(0, 400, b.Dx(), b.Dy()))
	area := b.Dx() * (b.Dy() - 400)
	t.Logf("trace band: %d of %d pixels not background (%.1f%%), %d distinct colours", ink, area, 100*float64(ink)/float64(area), colours)
	if ink < area/50 || colours < 40 {
		t.Errorf("the trace tables look blank: %d non-background pixels of %d, %d colours", ink, area, colours)
	}
}

// pageInk counts the pixels of r that differ from the page background
// (white) and the distinct colours in r.
func pageInk(img image.Image, r image.Rectangle) (ink, colours int) {
	seen := map[[3]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			k := [3]uint32{cr >> 8, cg >> 8, cb >> 8}
			seen[k] = true
			if k != [3]uint32{255, 255, 255} {
				ink++
			}
		}
	}
	return ink, len(seen)
}
