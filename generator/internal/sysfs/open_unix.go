//go:build unix && !linux

package sysfs

// openBeneath opens name under dirfd for reading, following no symbolic
// link on the way.
func openBeneath(dirfd int, name string) (int, error) { return openComponents(dirfd, name) }
