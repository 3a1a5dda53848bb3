package render

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// The search index (search/index.js) is a script, so that search works
// from the file system, where a page may load a script beside it but not
// fetch a file. Any page of any origin may load a script too, and read
// what running it leaves behind: an intranet site's index, with every
// ID, title and summary, would be readable by every web page its readers
// visit. So the index holds each entry sealed, and the key is in the
// search page itself, an HTML page that no other origin can read:
//
//	window.PRODUCTDOCS_SEARCH=["~<base64 of nonce and sealed entry>", …];
//	<meta name="productdocs-search-key" content="<64 hex digits>">
//
// An entry's plain text is its JSON; it is XORed with a keystream of
// SHA-256 blocks, block j being SHA-256(key ‖ nonce ‖ j as 4 bytes, big
// endian); the nonce is the first 12 bytes of HMAC-SHA256(key, entry),
// so an entry seals the same every time (the output is deterministic)
// and two different entries never share a keystream. templates/search.js
// opens them; SHA-256 is written out there, as a page over plain HTTP
// has no WebCrypto.
//
// The key is a hash of what identifies every document (file, ID, URL,
// kind), the site's title and its base URL: the same for the same site,
// so a build is the same byte for byte and a preview patches the entries
// of the documents an edit touched; and unknown to another origin, which
// would have to guess the names and IDs of every document of the site.
// (A site of a handful of documents named as the starter site's is
// guessable; its content then is the starter's.)

// searchMark starts every entry of the index: `"~` is in no base64 text,
// so it marks entries apart from the rest of the file.
const searchEntryMark = `"~`

// searchKey is the key of the site's search index.
func (s *SiteView) searchKey() *[32]byte {
	h := sha256.New()
	h.Write([]byte("productdocs search index v1\x00"))
	h.Write([]byte(s.Title + "\x00" + s.BaseURL + "\x00"))
	for _, d := range s.Model.Docs {
		h.Write([]byte(d.File + "\x00" + d.ID + "\x00" + d.URL + "\x00" + d.Kind.Name + "\n"))
	}
	var k [32]byte
	h.Sum(k[:0])
	return &k
}

// SearchKey is the key of the site's search index, in hex, for the search
// page's <meta name="productdocs-search-key">.
func (s *SiteView) SearchKey() string { return hex.EncodeToString(s.searchKey()[:]) }

// sealEntry appends an entry of the index, plain being its JSON, sealed
// with key, as a JS string: `"~` and the base64 of nonce and sealed text.
func sealEntry(b []byte, key *[32]byte, plain []byte) []byte {
	mac := hmac.New(sha256.New, key[:])
	mac.Write(plain)
	sealed := make([]byte, 12+len(plain))
	mac.Sum(sealed[:0])
	nonce := sealed[:12]
	var in [32 + 12 + 4]byte
	copy(in[:], key[:])
	copy(in[32:], nonce)
	for j := 0; j*32 < len(plain); j++ {
		binary.BigEndian.PutUint32(in[44:], uint32(j))
		ks := sha256.Sum256(in[:])
		chunk := plain[j*32 : min(len(plain), j*32+32)]
		for k, c := range chunk {
			sealed[12+j*32+k] = c ^ ks[k]
		}
	}
	b = append(b, searchEntryMark...)
	b = base64.StdEncoding.AppendEncode(b, sealed)
	return append(b, '"')
}

// openEntry is sealEntry undone: for tests, and to show what search.js
// does.
func openEntry(key *[32]byte, sealed []byte) []byte {
	if len(sealed) < 12 {
		return nil
	}
	var in [32 + 12 + 4]byte
	copy(in[:], key[:])
	copy(in[32:], sealed[:12])
	plain := make([]byte, len(sealed)-12)
	var ks [32]byte
	for i := range plain {
		if i%32 == 0 {
			binary.BigEndian.PutUint32(in[44:], uint32(i/32))
			ks = sha256.Sum256(in[:])
		}
		plain[i] = sealed[12+i] ^ ks[i%32]
	}
	return plain
}

// OpenSearchIndex returns a search index (search/index.js) with its
// entries opened with the search page's key (hex, as the page's meta tag
// holds it): the script as it would read unsealed, each entry the JSON
// that search.js gets. For tools that read an index, and tests.
func OpenSearchIndex(keyHex string, index []byte) ([]byte, error) {
	kb, err := hex.DecodeString(keyHex)
	if err != nil || len(kb) != 32 {
		return nil, fmt.Errorf("a search key is 64 hex digits, not %q", keyHex)
	}
	key := (*[32]byte)(kb)
	var out []byte
	for {
		i := bytes.Index(index, []byte(searchEntryMark))
		if i < 0 {
			return append(out, index...), nil
		}
		out = append(out, index[:i]...)
		end := bytes.IndexByte(index[i+2:], '"')
		if end < 0 {
			return nil, errors.New("an entry of the search index is not closed")
		}
		raw, err := base64.StdEncoding.DecodeString(string(index[i+2 : i+2+end]))
		if err != nil {
			return nil, fmt.Errorf("an entry of the search index: %w", err)
		}
		out = append(out, openEntry(key, raw)...)
		index = index[i+2+end+1:]
	}
}
