package serve

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestWatchSaveEnds holds the watcher to the end of a save as the system
// reports it: with a quiet period far longer than a save, a save that
// ends (a close after writing in place, a rename into place) is batched
// at once, and a file that was only created and closed, which may be an
// editor's temporary file, waits the quiet period.
func TestWatchSaveEnds(t *testing.T) {
	longWatch(t)
	const quietFor = 2 * time.Second
	o := WatchOptions{Quiet: quietFor, Burst: 2 * quietFor, MaxDelay: 4 * quietFor}
	for _, tt := range []struct {
		name   string
		save   func(t *testing.T, file string)
		prompt bool
		want   []string
	}{
		{"truncate and write", func(t *testing.T, file string) {
			must(t, os.WriteFile(file, []byte("# Saved\n"), 0o644))
		}, true, []string{watchedStory}},
		{"write beside, rename over", func(t *testing.T, file string) {
			must(t, os.WriteFile(file+".tmp", []byte("# Saved\n"), 0o644))
			must(t, os.Rename(file+".tmp", file))
		}, true, []string{watchedStory}},
		{"a new file, closed", func(t *testing.T, file string) {
			must(t, os.WriteFile(filepath.Join(filepath.Dir(file), "new.md"), []byte("# New\n"), 0o644))
		}, false, []string{"content/backlog/stories/new.md"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, w, _ := watching(t, o)
			start := time.Now()
			tt.save(t, filepath.Join(dir, filepath.FromSlash(watchedStory)))
			b := next(t, w)
			took := time.Since(start)
			if tt.prompt && took >= quietFor {
				t.Errorf("the save's batch came after %s: it waited for the quiet period", took)
			}
			if !tt.prompt && took < quietFor {
				t.Errorf("the batch came after %s, before the quiet period", took)
			}
			if !slices.Equal(b.Paths, tt.want) {
				t.Errorf("batch %v, want %v", b.Paths, tt.want)
			}
		})
	}
}
