//go:build !linux

package serve

// saveEnds needs inotify's close-write event; elsewhere the watcher waits
// its quiet period after the last event of a save.
type saveEnds struct{}

func newSaveEnds() *saveEnds                                  { return nil }
func (s *saveEnds) add(dir string)                            {}
func (s *saveEnds) remove(dir string)                         {}
func (s *saveEnds) close()                                    {}
func (s *saveEnds) run(send func(name string, how saveEvent)) {}
