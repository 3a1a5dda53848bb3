//go:build !unix

package markdown

// oNoFollow is O_NOFOLLOW where the system has it; elsewhere an entry is
// checked to be a regular file once open.
const oNoFollow = 0
