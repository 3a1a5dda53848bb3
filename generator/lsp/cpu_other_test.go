//go:build !unix

package lsp

import "time"

func cpuTime() time.Duration { return -1 }
