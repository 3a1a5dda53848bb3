//go:build unix

package markdown

import "syscall"

// oNoFollow makes opening an entry fail where it is a symbolic link.
const oNoFollow = syscall.O_NOFOLLOW
