package generator_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"productdocs/generator"
	"productdocs/generator/cli"
	"productdocs/generator/internal/testkit"
)

// TestConcurrentBuilds runs builds into one output folder at once, as two
// CI jobs sharing a workspace do: each must succeed in turn (the later
// waits for the earlier, and says so), and the output must be one whole
// build.
func TestConcurrentBuilds(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{"content/index.md": "# Home\n"}
	for i := range 200 {
		files["content/guides/g"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+".md"] = "# Guide\n\nText.\n"
	}
	testkit.WriteFiles(t, root, files)
	out := filepath.Join(t.TempDir(), "public")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	waited := make([]bool, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := generator.Load(t.Context(), generator.DirFS(root))
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out, Waiting: func() { waited[i] = true }})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("build %d: %v", i, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "guides", "ga", "index.html")); err != nil {
		t.Errorf("the output is not whole: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the output: %q, want the output alone", names)
	}
}

// TestCLIWaitsForAnotherBuild holds an output folder's lock as a running
// build does, and runs `productdocs build` into it: it says it waits, and
// builds once the first is done.
func TestCLIWaitsForAnotherBuild(t *testing.T) {
	root := t.TempDir()
	testkit.WriteFiles(t, root, map[string]string{"content/index.md": "# Home\n"})
	out := filepath.Join(t.TempDir(), "public")
	s := hardLoad(t, generator.DirFS(root))
	started := make(chan struct{})
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		// A build whose progress stops at its first file holds the lock.
		_, err := generator.Build(t.Context(), s, root, generator.BuildOptions{Out: out, Progress: func(done, total int) {
			if done == 1 {
				close(started)
				<-release
			}
		}})
		first <- err
	}()
	<-started
	var stderr syncBuffer
	code := make(chan int, 1)
	go func() { code <- cli.Run(t.Context(), []string{"build", "-s", root, "-o", out}, io.Discard, &stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "another build is writing") {
		select {
		case c := <-code:
			t.Fatalf("the second build ran beside the first: exit %d, stderr:\n%s", c, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second build does not say it waits; stderr:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if err := <-first; err != nil {
		t.Errorf("the first build: %v", err)
	}
	if c := <-code; c != cli.ExitOK {
		t.Errorf("the second build: exit %d, stderr:\n%s", c, stderr.String())
	}
}

// syncBuffer is a bytes.Buffer that one goroutine writes while another reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
