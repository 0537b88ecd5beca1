//go:build !amd64

package amd64

// hasSSE41 cannot probe an x86 CPU from another host: code assembled
// there for amd64 assumes SSE4.1 (x86-64-v2), which every x86-64 CPU of
// the last fifteen years has.
func hasSSE41(probe uintptr) bool { return true }
