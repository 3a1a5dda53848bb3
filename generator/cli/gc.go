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
// buildMemoryLimit: a load of 100,000 documents allocates some 1.3 GB, of
// which it keeps some 0.8 GB, so the collector starts once or twice.
func loadMemoryLimit() int64 {
	limit := physicalMemory() / 4
	return min(max(limit, 256<<20), buildMemoryLimit)
}

// buildMemoryLimit is the soft memory limit of a build once it renders,
// when neither GOGC nor GOMEMLIMIT is set. A build of 100,000 documents
// keeps some 1.1 GB live while it renders; the collector's default pace
// lets the heap double before it collects, which took the build past
// 2.5 GB. Within this limit it collects sooner instead, for a few more
// collections; a site whose live data passes the limit is collected at
// the usual pace, as the limit is soft.
const buildMemoryLimit = 1536 << 20

// buildGC sets the collector up for rendering, and returns what puts it
// back.
func buildGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(min(loadMemoryLimit(), buildMemoryLimit))
	return func() { debug.SetMemoryLimit(old) }
}
