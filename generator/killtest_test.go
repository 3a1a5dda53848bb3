package generator_test

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
	"productdocs/generator/output"
	"productdocs/generator/sitegen"
)

// TestBuildKilled kills `productdocs build` with SIGKILL at random moments
// of a build that replaces an earlier output, and wants the output folder
// to be, after every kill, exactly the old tree or exactly the new one,
// never a mix; and a build after the kills to succeed and leave no
// staging folder behind.
func TestBuildKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a site of hundreds of pages")
	}
	bin := testkit.Binary(t)

	root := filepath.Join(t.TempDir(), "site")
	if err := sitegen.Write(root, sitegen.Options{Docs: 100, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	run := func() {
		t.Helper()
		if b, err := exec.Command(bin, "build", "-s", root, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("productdocs build: %v\n%s", err, b)
		}
	}
	run()
	old := testkit.TreeHashes(t, out)
	// The title is in every page's header, so every page changes.
	settings := filepath.Join(root, "productdocs.yaml")
	oldSettings, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	newSettings := append([]byte("title: Renamed\n"), dropTitle(oldSettings)...)
	setSite := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(settings, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setSite(newSettings)
	start := time.Now()
	run()
	took := time.Since(start)
	updated := testkit.TreeHashes(t, out)
	if sameTree(old, updated) {
		t.Fatal("the new build wrote the same tree as the old one")
	}
	t.Logf("a build of %d files takes %v", len(updated), took.Round(time.Millisecond))

	// Spread the kills over the whole build, from before it reads the site
	// to after it replaced the output (a small site builds in about 200 ms;
	// a busy machine takes longer, up to the 1 s that bounds the test).
	// Each kill interrupts a build of the other tree than the output holds.
	limit := min(time.Second, took+took/4)
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	seen := map[string]int{}
	trees := [2]map[string]string{old, updated}
	sites := [2][]byte{oldSettings, newSettings}
	cur := 1 // the tree the output holds
	for i := range 15 {
		setSite(sites[1-cur])
		delay := time.Duration(rng.Int64N(int64(limit)))
		cmd := exec.Command(bin, "build", "-s", root, "-o", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got := testkit.TreeHashes(t, out)
		switch {
		case sameTree(got, trees[cur]):
			seen["unchanged"]++
		case sameTree(got, trees[1-cur]):
			seen["replaced"]++
			cur = 1 - cur
		default:
			t.Fatalf("kill %d, %v into the build: the output is neither the old tree nor the new one:\n%s", i, delay, treeDiff(trees[cur], trees[1-cur], got))
		}
	}
	setSite(newSettings)
	t.Logf("after the kills: %v", seen)
	run()
	if !sameTree(testkit.TreeHashes(t, out), updated) {
		t.Error("the build after the kills wrote another tree")
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"public"}) {
		t.Errorf("beside the output after a good build: %q, want only public", names)
	}
	if _, err := os.Stat(filepath.Join(out, output.Marker)); err != nil {
		t.Errorf("the output lost its marker: %v", err)
	}
}

// dropTitle removes the title: line of productdocs.yaml.
func dropTitle(b []byte) []byte {
	var keep []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(l, "title:") {
			keep = append(keep, l)
		}
	}
	return []byte(strings.Join(keep, ""))
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// treeDiff describes how got differs from both old and new, briefly.
func treeDiff(old, updated, got map[string]string) string {
	var b strings.Builder
	n := 0
	for _, k := range slicesSortedKeys(got, old, updated) {
		if n == 10 {
			b.WriteString("\t…\n")
			break
		}
		g, o, u := got[k], old[k], updated[k]
		if g != o && g != u || (g == "" && (o != "" || u != "")) {
			state := "differs from both"
			switch {
			case g == "":
				state = "missing"
			case o == "" && u == "":
				state = "in neither"
			}
			b.WriteString("\t" + k + ": " + state + "\n")
			n++
		}
	}
	mixed := 0
	for k, g := range got {
		if g == old[k] && g != updated[k] {
			mixed |= 1
		}
		if g == updated[k] && g != old[k] {
			mixed |= 2
		}
	}
	if mixed == 3 {
		b.WriteString("\tsome files are old, some new\n")
	}
	return b.String()
}

func slicesSortedKeys(ms ...map[string]string) []string {
	var keys []string
	for _, m := range ms {
		for k := range m {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
