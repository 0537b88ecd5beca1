module github.com/jitkit/jitkit

go 1.26.0

require (
	github.com/google/go-cmp v0.7.0
	golang.org/x/arch v0.32.0
	gonum.org/v1/gonum v0.17.0
)
