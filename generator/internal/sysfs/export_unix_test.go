//go:build unix && !linux

package sysfs

func noOpenat2Store(bool) {}
