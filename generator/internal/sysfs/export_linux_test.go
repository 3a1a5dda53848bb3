package sysfs

func noOpenat2Store(v bool) { noOpenat2.Store(v) }
