package generator

import (
	"os"
	"testing"

	"productdocs/generator/internal/testkit"
)

func TestMain(m *testing.M) {
	os.Exit(testkit.Main(m))
}
