//go:build unix

package bench

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS is the peak memory of a process that has ended, in bytes.
func peakRSS(st *os.ProcessState) int64 {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" { // bytes there; kilobytes on Linux and the BSDs
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

func syncFS() { syscall.Sync() }
