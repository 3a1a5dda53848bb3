package content

import (
	"strconv"
)

// Pos is a 1-based line and byte column in a file.
type Pos struct {
	Line, Column int
}

// ValueKind tells which of Value's fields holds the value.
type ValueKind uint8

const (
	Null ValueKind = iota
	String
	Int
	Float
	Bool
	List
	Map
)

var kindNames = [...]string{"null", "string", "integer", "number", "boolean", "list", "mapping"}

func (k ValueKind) String() string { return kindNames[k] }

// Value is one frontmatter value with the position where it starts. The
// same tree represents YAML, TOML and JSON frontmatter, so the model reads
// fields in one way whatever the format.
//
// Values are shared, not copied, where YAML aliases repeat an anchor, so a
// Value must not be changed once read.
type Value struct {
	Kind  ValueKind
	Pos   Pos
	Str   string // a String's text, or the literal text of an Int, Float or Bool
	Int   int64
	Float float64
	Bool  bool
	List  []*Value
	Map   []*Field

	// slabs hold a mapping's values and fields when the simple reader
	// read it: Release gives them back for the next document.
	slabs *simpleReader
}

// Field is a key of a mapping, with the key's own position.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Value
}

// Release gives the memory of a frontmatter back for another to be read
// into. v, and every value in it, must not be used again: copy what is to
// be kept (Clone). Release(nil) does nothing.
func Release(v *Value) {
	if v == nil || v.slabs == nil {
		return
	}
	release(v.slabs)
}

func release(r *simpleReader) {
	clear(r.vals[:cap(r.vals)]) // what they point at may go
	clear(r.fields[:cap(r.fields)])
	r.vals, r.fields, r.data, r.text = r.vals[:0], r.fields[:0], nil, ""
	readerPool.Put(r)
}

// Clone returns a deep copy of v, which Release does not touch.
func (v *Value) Clone() *Value {
	if v == nil {
		return nil
	}
	c := *v
	c.slabs = nil
	if v.List != nil {
		c.List = make([]*Value, len(v.List))
		for i, x := range v.List {
			c.List[i] = x.Clone()
		}
	}
	if v.Map != nil {
		c.Map = make([]*Field, len(v.Map))
		for i, f := range v.Map {
			c.Map[i] = &Field{Key: f.Key, KeyPos: f.KeyPos, Value: f.Value.Clone()}
		}
	}
	return &c
}

// Get returns the field of a mapping with that key, or nil.
func (v *Value) Get(key string) *Field {
	if v == nil {
		return nil
	}
	for _, f := range v.Map {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// Interface converts the value to plain Go values (string, int64, float64,
// bool, nil, []any, map[string]any) for templates and JSON.
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case String:
		return v.Str
	case Int:
		return v.Int
	case Float:
		return v.Float
	case Bool:
		return v.Bool
	case List:
		out := make([]any, len(v.List))
		for i, x := range v.List {
			out[i] = x.Interface()
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Map))
		for _, f := range v.Map {
			out[f.Key] = f.Value.Interface()
		}
		return out
	}
	return nil
}

// Text is the value as a user wrote it, for messages: a scalar's text, or
// its kind for a list or a mapping.
func (v *Value) Text() string {
	switch v.Kind {
	case String:
		return strconv.Quote(v.Str)
	case Int, Float, Bool:
		return v.Str
	case Null:
		return "null"
	}
	return "a " + v.Kind.String()
}
