package markdown

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Highlighting is most of what a code-heavy site costs to build (chroma's
// lexers are regular expressions: a five-line Go block costs some 350 µs
// and 2,600 allocations), and most of it repeats: the same block on many
// pages, the same pages on every rebuild of the preview, the same site on
// every build in CI. So highlighted code is kept, by a hash of what makes
// it, in memory for the life of the process and, where a HighlightCache
// is in use, on disk between runs.

// chromaModule is the module whose version is part of every key: a new
// chroma may highlight differently.
const chromaModule = "github.com/alecthomas/chroma/v2"

// formatterOptions names the options formatter is made with (code.go);
// it is part of every key, so it must change with them.
const formatterOptions = "html WithClasses(true) PreventSurroundingPre(true) style=none"

// keyVersion changes when what an entry holds changes.
const keyVersion = "productdocs highlight 2" // 2: lexers without chroma's time limit (untimed.go)

// chromaVersion is chroma's module version and sum in this binary, or ""
// where the binary does not say (then nothing is kept on disk, as an
// entry could outlive the chroma that made it).
var chromaVersion = func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path == chromaModule {
			if d.Replace != nil {
				d = d.Replace
			}
			if d.Version == "" || d.Version == "(devel)" {
				return ""
			}
			return d.Version + " " + d.Sum
		}
	}
	return ""
}()

type hlKey [sha256.Size]byte

// keyOf is the key of code highlighted by the lexer of that name.
func keyOf(lexer string, code []byte) hlKey {
	h := sha256.New()
	// Lengths first, so that no two different tuples share a byte string.
	fmt.Fprintf(h, "%s\x00%d:%s\x00%d:%s\x00%d:%s\x00%d:", keyVersion, len(chromaVersion), chromaVersion,
		len(formatterOptions), formatterOptions, len(lexer), lexer, len(code))
	h.Write(code)
	var k hlKey
	h.Sum(k[:0])
	return k
}

// memo keeps highlighted code in memory in two generations: a lookup
// moves an entry to the young one, and when the young one is full the old
// one is dropped. Roughly least-recently-used, at the cost of a map.
var memo = &memory{budget: 32 << 20}

type memory struct {
	mu         sync.Mutex
	budget     int // bytes of HTML in both generations
	young, old map[hlKey][]byte
	youngBytes int
}

func (m *memory) get(k hlKey) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.young[k]; ok {
		return v, true
	}
	if v, ok := m.old[k]; ok {
		m.putLocked(k, v)
		return v, true
	}
	return nil, false
}

func (m *memory) put(k hlKey, v []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(k, v)
}

func (m *memory) putLocked(k hlKey, v []byte) {
	if len(v) > m.budget/2 {
		return
	}
	if m.youngBytes+len(v) > m.budget/2 {
		m.old, m.young, m.youngBytes = m.young, nil, 0
	}
	if m.young == nil {
		m.young = map[hlKey][]byte{}
	}
	if _, ok := m.young[k]; !ok {
		m.young[k] = v
		m.youngBytes += len(v)
	}
}

func (m *memory) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.young, m.old, m.youngBytes = nil, nil, 0
}

// disk is the HighlightCache in use, if any.
var disk atomic.Pointer[HighlightCache]

// UseHighlightCache makes highlighting read and write c (nil for none),
// and returns the one used before.
func UseHighlightCache(c *HighlightCache) *HighlightCache { return disk.Swap(c) }

// A HighlightCache keeps highlighted code on disk between runs, one file
// an entry, so that a second build highlights only the code that changed.
//
// Its folder holds highlight-1/<2 hex digits>/<62 hex digits>: the
// SHA-256 of chroma's version, the formatter's options, the lexer's name
// and the code. An entry is a header line, "pdhl1 " and the SHA-256 of
// its key and body, then the body: the HTML that chroma wrote. An entry
// whose digest does not match (a torn or corrupt file, or one copied
// under another name) is ignored and written again.
//
// Many processes may use one folder at once: an entry is written to a
// file of its own, then renamed into place, so a reader sees the whole of
// one entry or none. Nothing under the folder that is a symbolic link is
// followed, and nothing but entries is ever removed. The folder is kept
// under MaxBytes by removing the entries least recently used, at most
// once an hour. A cache that cannot be read or written costs the
// highlighting it would have saved, never the build.
type HighlightCache struct {
	dir      string // the highlight-1 folder
	MaxBytes int64  // zero means 1 GiB

	shardMu sync.Mutex
	shards  map[string]bool // shard folders known to be real folders

	hits, misses, writes, failures atomic.Int64
}

const cacheSub = "highlight-1"

// DefaultCacheDir is where productdocs keeps its cache by default: the
// user's cache folder's productdocs.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "productdocs"), nil
}

// OpenHighlightCache opens (making it if need be) the cache in the OS
// folder dir. It fails where dir cannot be made, is not a folder, or its
// highlight folder is a symbolic link, or where this binary does not say
// which chroma it was built with.
func OpenHighlightCache(dir string) (*HighlightCache, error) {
	if chromaVersion == "" {
		return nil, errors.New("this binary does not record its chroma version")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	sub := filepath.Join(dir, cacheSub)
	if err := os.Mkdir(sub, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	if fi, err := os.Lstat(sub); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", sub)
	}
	return &HighlightCache{dir: sub, shards: map[string]bool{}}, nil
}

// Stats says how the cache has served since it was opened: entries
// found, entries not found (or ignored), written, and writes that failed.
func (c *HighlightCache) Stats() (hits, misses, writes, failures int64) {
	return c.hits.Load(), c.misses.Load(), c.writes.Load(), c.failures.Load()
}

func (c *HighlightCache) path(k hlKey) (shard, name string) {
	h := hex.EncodeToString(k[:])
	shard = filepath.Join(c.dir, h[:2])
	return shard, filepath.Join(shard, h[2:])
}

// shardOK reports whether shard is a real folder, making it when make is
// set.
func (c *HighlightCache) shardOK(shard string, mk bool) bool {
	c.shardMu.Lock()
	defer c.shardMu.Unlock()
	if c.shards[shard] {
		return true
	}
	fi, err := os.Lstat(shard)
	if errors.Is(err, fs.ErrNotExist) && mk {
		if err := os.Mkdir(shard, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return false
		}
		fi, err = os.Lstat(shard)
	}
	if err != nil || !fi.IsDir() {
		return false
	}
	c.shards[shard] = true
	return true
}

const entryMagic = "pdhl1 "

// headerLen is the length of an entry's header line.
const headerLen = len(entryMagic) + 2*sha256.Size + 1

func entryDigest(k hlKey, body []byte) []byte {
	h := sha256.New()
	h.Write(k[:])
	h.Write(body)
	return h.Sum(nil)
}

// maxEntry bounds what is read of one file: no block of code makes more.
const maxEntry = 16 << 20

// get returns the entry of k, if there is a good one.
func (c *HighlightCache) get(k hlKey) ([]byte, bool) {
	shard, name := c.path(k)
	if !c.shardOK(shard, false) {
		c.misses.Add(1)
		return nil, false
	}
	f, err := os.OpenFile(name, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		c.misses.Add(1)
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < int64(headerLen) || fi.Size() > maxEntry {
		c.misses.Add(1)
		return nil, false
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		c.misses.Add(1)
		return nil, false
	}
	head, body := b[:headerLen], b[headerLen:]
	want := make([]byte, 0, headerLen)
	want = append(want, entryMagic...)
	want = hex.AppendEncode(want, entryDigest(k, body))
	want = append(want, '\n')
	if !bytes.Equal(head, want) {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	if time.Since(fi.ModTime()) > 24*time.Hour {
		// Used: trimming goes by the time an entry was last used, and
		// touching once a day is enough for that.
		now := time.Now()
		_ = os.Chtimes(name, now, now)
	}
	return body, true
}

// put writes the entry of k. A failure is counted, not returned: the
// cache is an optimisation.
func (c *HighlightCache) put(k hlKey, body []byte) {
	shard, name := c.path(k)
	if !c.shardOK(shard, true) {
		c.failures.Add(1)
		return
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(shard, ".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o644)
	if err != nil {
		c.failures.Add(1)
		return
	}
	buf := make([]byte, 0, headerLen+len(body))
	buf = append(buf, entryMagic...)
	buf = hex.AppendEncode(buf, entryDigest(k, body))
	buf = append(buf, '\n')
	buf = append(buf, body...)
	_, err = f.Write(buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// rename(2) replaces name itself, never what a link there names.
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		c.failures.Add(1)
		return
	}
	c.writes.Add(1)
}

// trimEvery is how often, at most, Close looks at the cache's size.
const trimEvery = time.Hour

// Close ends this process's use of the cache: if it wrote entries and no
// one has in the last hour, it trims the cache to MaxBytes, removing the
// entries least recently used and temporary files left by processes that
// stopped midway.
func (c *HighlightCache) Close() error {
	if c.writes.Load() == 0 {
		return nil
	}
	stamp := filepath.Join(c.dir, "trimmed")
	if fi, err := os.Lstat(stamp); err == nil && time.Since(fi.ModTime()) < trimEvery {
		return nil
	}
	if f, err := os.OpenFile(stamp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|oNoFollow, 0o644); err == nil {
		f.Close()
		now := time.Now()
		os.Chtimes(stamp, now, now)
	}
	return c.Trim()
}

// Trim removes the entries least recently used until the cache holds at
// most 90% of MaxBytes, and temporary files more than an hour old.
func (c *HighlightCache) Trim() error {
	max := c.MaxBytes
	if max == 0 {
		max = 1 << 30
	}
	type entry struct {
		name string
		size int64
		used time.Time
	}
	var entries []entry
	var total int64
	shards, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	for _, s := range shards {
		if !s.IsDir() || len(s.Name()) != 2 || !isHex(s.Name()) {
			continue // a link is no folder here: it is not followed
		}
		files, err := os.ReadDir(filepath.Join(c.dir, s.Name()))
		if err != nil {
			continue
		}
		for _, f := range files {
			if !f.Type().IsRegular() {
				continue
			}
			fi, err := f.Info()
			if err != nil {
				continue
			}
			name := filepath.Join(c.dir, s.Name(), f.Name())
			switch {
			case strings.HasPrefix(f.Name(), ".tmp-"):
				if time.Since(fi.ModTime()) > time.Hour {
					os.Remove(name)
				}
			case len(f.Name()) == 62 && isHex(f.Name()):
				entries = append(entries, entry{name, fi.Size(), fi.ModTime()})
				total += fi.Size()
			}
		}
	}
	if total <= max {
		return nil
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range entries {
		if total <= max/10*9 {
			break
		}
		if err := os.Remove(e.name); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= e.size
		}
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}
