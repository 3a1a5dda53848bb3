package cli

import (
	"os"
	"runtime/debug"
)

// loadGC sets the garbage collector up for reading a site, and returns
// what puts it back. A load keeps most of what it allocates (documents,
// their fields and links): collecting while it grows marks the same live
// data again and again, which was a third of a check's time. So the
// collector is off, but for a memory limit, past which a site too large
// for the machine is collected as usual. GOGC or GOMEMLIMIT set by hand
// are left alone.
func loadGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	oldLimit := debug.SetMemoryLimit(loadMemoryLimit())
	oldPercent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// loadMemoryLimit is a quarter of the machine's memory, within 256 MB and
// 4 GB: a load of 100,000 documents allocates some 1.3 GB.
func loadMemoryLimit() int64 {
	limit := physicalMemory() / 4
	return min(max(limit, 256<<20), 4<<30)
}
