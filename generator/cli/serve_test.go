package cli

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
	"productdocs/generator/scaffold"
)

func starterSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestServePortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var stdout, stderr testkit.SyncBuffer
	code := run(context.Background(), []string{"serve", "-s", starterSite(t), "--addr", l.Addr().String()}, &env{stdout: &stdout, stderr: &stderr})
	if code != ExitTool {
		t.Errorf("exit code %d, want %d", code, ExitTool)
	}
	if !strings.Contains(stderr.String(), l.Addr().String()) {
		t.Errorf("stderr does not name the address in use:\n%s", stderr.String())
	}
}

// TestServeStopsCleanly runs the preview as the command line does, fetches
// a page, and stops it as Ctrl-C does: the exit code is 0.
func TestServeStopsCleanly(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // free again for the server; a race with another process is unlikely
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testkit.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-s", starterSite(t), "--addr", addr}, &env{stdout: &stdout, stderr: &stderr})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET / = %s", resp.Status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview did not answer: %v\nstderr:\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("exit code %d after Ctrl-C, want 0\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the preview did not stop within 10 s of Ctrl-C")
	}
}
