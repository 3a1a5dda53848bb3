package generator

import (
	"context"
	"os"
	"testing"
)

func TestZZProf(t *testing.T) {
	src := os.Getenv("PROF_SITE")
	if src == "" {
		t.Skip()
	}
	s, err := Load(context.Background(), os.DirFS(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), s, src, false, BuildOptions{Out: "/dev/shm/prof-out"}); err != nil {
		t.Fatal(err)
	}
}
