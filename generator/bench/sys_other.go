//go:build !unix

package bench

import "os"

// peakRSS is unknown here: the comparison reports no peak memory.
func peakRSS(*os.ProcessState) int64 { return 0 }

// syncFS does nothing: writes are not flushed between runs here.
func syncFS() {}
