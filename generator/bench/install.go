package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// HugoVersion is the Hugo release the comparison is made with.
const HugoVersion = "v0.160.1"

// Hugo returns the path of a hugo binary of HugoVersion: the one given,
// else one in the cache, on PATH or in GOPATH/bin, else it installs one
// into the cache with `go install github.com/gohugoio/hugo@HugoVersion`
// (a few minutes, once). Nothing is written outside the user's cache. A
// binary given is used whatever its release.
func Hugo(given string, log func(string)) (string, error) {
	if given != "" {
		// One given by name is used whatever its release (a distribution's
		// package, say); the tables say which it was.
		if _, err := HugoVersionOf(given); err != nil {
			return "", err
		}
		return given, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "productdocs-bench", "hugo-"+HugoVersion)
	cands := []string{filepath.Join(bin, "hugo")}
	if p, err := exec.LookPath("hugo"); err == nil {
		cands = append(cands, p)
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, g := range filepath.SplitList(strings.TrimSpace(string(gopath))) {
			cands = append(cands, filepath.Join(g, "bin", "hugo"))
		}
	}
	for _, c := range cands {
		if hugoIs(c) == nil {
			return c, nil
		}
	}
	log(fmt.Sprintf("installing Hugo %s into %s (once; this takes a few minutes)", HugoVersion, bin))
	cmd := exec.Command("go", "install", "github.com/gohugoio/hugo@"+HugoVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+bin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install github.com/gohugoio/hugo@%s: %v\n%s", HugoVersion, err, tail(out.String(), 2000))
	}
	p := filepath.Join(bin, "hugo")
	return p, hugoIs(p)
}

// HugoVersionOf is what the hugo binary at p says of its version.
func HugoVersionOf(p string) (string, error) {
	out, err := exec.Command(p, "version").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %v", p, err)
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, "hugo v") {
		return "", fmt.Errorf("%s is not Hugo: it says %q", p, v)
	}
	return v, nil
}

// hugoIs checks that the binary at p is Hugo of HugoVersion.
func hugoIs(p string) error {
	out, err := exec.Command(p, "version").Output()
	if err != nil {
		return fmt.Errorf("%s version: %v", p, err)
	}
	if !strings.Contains(string(out), HugoVersion+" ") && !strings.Contains(string(out), HugoVersion+"+") {
		return fmt.Errorf("%s is %s, not Hugo %s", p, strings.TrimSpace(string(out)), HugoVersion)
	}
	return nil
}
