//go:build !unix

package generator

import "os"

// readRaw appends the contents of the file at path to buf.
func readRaw(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	return readAllInto(f, buf)
}

// writeRaw writes data to a new file at path.
func writeRaw(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
