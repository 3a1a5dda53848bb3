//go:build !linux

package cli

// physicalMemory is the machine's memory in bytes, or 0 if unknown.
func physicalMemory() int64 { return 0 }
