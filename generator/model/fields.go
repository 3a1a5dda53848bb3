package model

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"productdocs/generator/content"
	"productdocs/generator/diag"
	"productdocs/generator/markdown"
)

// reader turns a Source's frontmatter into a Document's typed fields,
// reporting every field it cannot use.
type reader struct {
	d           *Document
	diags       []diag.Diagnostic
	unknownKind bool
}

func (r *reader) report(p Pos, code, format string, args ...any) {
	r.diags = append(r.diags, diag.Diagnostic{File: r.d.File, Line: p.Line, Column: p.Column, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (r *reader) document(src *Source) *Document {
	rel := content.Rel(src.File)
	d := &Document{
		File:     src.File,
		Path:     rel,
		Section:  Section(content.Section(rel)),
		Kind:     PageKind,
		Status:   "proposed",
		Fields:   map[string]any{},
		Body:     src.Body,
		BodyLine: src.BodyLine,
		idPos:    Pos{Line: 1, Column: 1},
	}
	fm := src.Frontmatter
	if fm == nil {
		fm = &content.Value{Kind: content.Map}
	}
	d.fields = make([]fieldAt, len(fm.Map))
	for i, f := range fm.Map {
		v := f.Value
		set := v.Kind != content.Null && !(v.Kind == content.List && len(v.List) == 0)
		d.fields[i] = fieldAt{key: f.Key, keyPos: f.KeyPos, valPos: v.Pos, set: set}
	}
	r.d, r.unknownKind = d, false
	if src.Problem != nil {
		r.report(src.Problem.Pos, diag.CodeFrontmatter, "%s", src.Problem.Message)
	}
	if b := src.Body; b != nil {
		if b.TooDeep > 0 {
			r.report(Pos{Line: src.BodyLine + b.TooDeep - 1, Column: 1}, diag.CodeFrontmatter,
				"the body nests lists or block quotes more than %d levels deep from here, so it is not read", markdown.MaxNesting)
		}
		for _, c := range b.Conflicts {
			switch {
			case c.End == 0:
				r.report(Pos{Line: src.BodyLine + c.Start - 1, Column: 1}, diag.CodeConflict, "merge conflict marker <<<<<<< without its >>>>>>>: resolve the conflict")
			case c.Start == 0:
				r.report(Pos{Line: src.BodyLine + c.End - 1, Column: 1}, diag.CodeConflict, "merge conflict marker >>>>>>> without its <<<<<<<: resolve the conflict")
			default:
				r.report(Pos{Line: src.BodyLine + c.Start - 1, Column: 1}, diag.CodeConflict, "unresolved merge conflict (lines %d to %d): keep one side and remove the markers",
					src.BodyLine+c.Start-1, src.BodyLine+c.End-1)
			}
		}
	}
	if f := fm.Get("kind"); f != nil {
		if name, ok := r.text(f); ok {
			if k := LookupKind(name); k != nil {
				d.Kind = k
			} else {
				names := make([]string, len(Kinds))
				for i, k := range Kinds {
					names[i] = k.Name
				}
				r.unknownKind = true
				r.report(f.Value.Pos, diag.CodeUnknownKind, "unknown kind %q%s", name, didYouMean(name, names, ""))
			}
		}
	}
	k := d.Kind

	if f := fm.Get("id"); f != nil {
		d.idPos = f.Value.Pos
		if id, ok := r.text(f); ok {
			if ValidID(id) {
				d.ID = id
			} else {
				r.report(f.Value.Pos, diag.CodeInvalidField, "id %q is not a valid ID: it must start with a letter or digit and go on with letters, digits, '.', '_' and '-', at most 100 characters", id)
			}
		}
	}
	if d.ID == "" {
		if k == PageKind {
			d.ID = pageID(rel)
		} else {
			d.ID = Base(rel)
			if !ValidID(d.ID) && !d.Has("id") {
				r.report(d.idPos, diag.CodeInvalidField, "the file name %q is not a valid ID, so this %s needs an id: field", d.ID, k.Name)
			}
		}
	}
	if k == PageKind {
		d.URL = pageURL(rel)
	} else {
		d.URL = DocURL(k.Section, d.ID)
	}

	for _, f := range fm.Map {
		r.field(f)
	}

	if d.Title == "" {
		switch {
		case k != PageKind:
			if f := fm.Get("title"); f == nil || f.Value.Kind == content.Null || f.Value.Str == "" && f.Value.Kind == content.String {
				// A title of the wrong type is reported as such, not as missing.
				r.report(d.KeyPos("title"), diag.CodeMissingField, "%s needs a title", Article(k.Name))
			}
			d.Title = d.ID
		case d.Body != nil && d.Body.Title != "":
			d.Title = d.Body.Title
		default:
			d.Title = Base(rel)
			if d.Title == "index" && rel != "index.md" {
				d.Title = path.Base(path.Dir(rel))
			}
		}
	}
	for _, fs := range k.Fields {
		if fs.Required && !d.Has(fs.Name) {
			r.report(d.KeyPos(fs.Name), diag.CodeMissingField, "%s needs %s", Article(k.Name), describeField(fs))
		}
	}
	return d
}

func describeField(fs FieldSpec) string {
	switch fs.Type {
	case TypeEnum:
		return fmt.Sprintf("%s: one of %s", fs.Name, strings.Join(fs.Values, ", "))
	case TypeDate:
		return fmt.Sprintf("%s: YYYY-MM-DD", fs.Name)
	}
	return fs.Name + ":"
}

func (r *reader) field(f *content.Field) {
	d, k := r.d, r.d.Kind
	v := f.Value
	if v.Kind == content.Null {
		return // an empty value is an absent one
	}
	switch f.Key {
	case "id", "kind":
		return // read above
	case "title":
		d.Title, _ = r.text(f)
	case "summary":
		d.Summary, _ = r.text(f)
	case "owner":
		d.Owner, _ = r.text(f)
	case "status":
		if s, ok := r.text(f); ok {
			if i := slices.Index(Statuses, s); i >= 0 {
				d.Status = Statuses[i] // the list's own text: see pack
			} else {
				r.report(v.Pos, diag.CodeInvalidField, "unknown status %q (want one of %s)%s", s, strings.Join(Statuses, ", "), didYouMean(s, Statuses, ""))
			}
		}
	case "tags":
		d.Tags = r.strings(f)
	case "updated":
		if s, ok := r.date(f); ok {
			d.Updated = s
		}
	case "audience":
		if s, ok := r.text(f); ok {
			switch s {
			case "public":
				d.Public = true
			case "internal":
			default:
				r.report(v.Pos, diag.CodeInvalidField, "audience %q is not one of %s%s", s, strings.Join(Audiences, ", "), didYouMean(s, Audiences, ""))
			}
		}
	case "extra":
		if v.Kind != content.Map {
			r.report(v.Pos, diag.CodeInvalidField, "extra must be a mapping of the team's own fields, not %s", v.Kind)
			return
		}
		// A clone: the frontmatter's tree is let go (content.Release).
		d.Extra = r.writable("extra", v.Clone())
	default:
		if ref := k.Ref(f.Key); ref != nil {
			r.refs(f, ref.Name)
			return
		}
		if fs := k.Field(f.Key); fs != nil {
			r.typed(f, fs)
			return
		}
		if r.unknownKind {
			return // the kind is wrong, not the fields
		}
		msg := fmt.Sprintf("%q is not a field of %s", f.Key, Article(k.Name))
		if m := didYouMean(f.Key, k.FieldNames(), ""); m != "" {
			msg += m
		} else if owner := fieldOwner(f.Key); owner != "" {
			msg += fmt.Sprintf(" (it belongs to %s)", Article(owner))
		} else {
			msg += "; put the team's own fields under extra:"
		}
		r.report(f.KeyPos, diag.CodeUnknownField, "%s", msg)
	}
}

// fieldOwner names a kind that does have a field, for messages.
func fieldOwner(name string) string {
	for _, k := range Kinds {
		if k.Field(name) != nil || k.Ref(name) != nil {
			return k.Name
		}
	}
	return ""
}

// text reads a scalar as text; numbers and booleans count as their text.
func (r *reader) text(f *content.Field) (string, bool) {
	switch f.Value.Kind {
	case content.String, content.Int, content.Float, content.Bool:
		return f.Value.Str, true
	case content.Null:
		return "", false
	}
	r.report(f.Value.Pos, diag.CodeInvalidField, "%s must be text, not %s", f.Key, f.Value.Kind)
	return "", false
}

func (r *reader) strings(f *content.Field) []string {
	v := f.Value
	switch v.Kind {
	case content.String, content.Int, content.Float, content.Bool:
		return []string{v.Str}
	case content.List:
		out := make([]string, 0, len(v.List))
		for _, x := range v.List {
			switch x.Kind {
			case content.String, content.Int, content.Float, content.Bool:
				out = append(out, x.Str)
			default:
				r.report(x.Pos, diag.CodeInvalidField, "each of %s must be text, not %s", f.Key, x.Kind)
			}
		}
		return out
	}
	r.report(v.Pos, diag.CodeInvalidField, "%s must be a list of text, not %s", f.Key, v.Kind)
	return nil
}

// refs reads a reference field. Its references' Field is name, the
// kinds table's string rather than the file's: comparing strings that
// share their bytes is quick (see Site.link).
func (r *reader) refs(f *content.Field, name string) {
	add := func(x *content.Value) {
		switch x.Kind {
		case content.String, content.Int:
			r.d.Refs = append(r.d.Refs, &Ref{From: r.d, Field: name, ID: strings.TrimSpace(x.Str), Pos: x.Pos})
		default:
			r.report(x.Pos, diag.CodeInvalidField, "%s names documents by ID, not %s", f.Key, x.Kind)
		}
	}
	if f.Value.Kind == content.List {
		for _, x := range f.Value.List {
			add(x)
		}
		return
	}
	add(f.Value)
}

var (
	quarterRE = regexp.MustCompile(`^\d{4}-Q[1-4]$`)
	dateRE    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func (r *reader) date(f *content.Field) (string, bool) {
	s, ok := r.text(f)
	if !ok {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || !dateRE.MatchString(s) {
		r.report(f.Value.Pos, diag.CodeInvalidField, "%s %q is not a date: write YYYY-MM-DD", f.Key, s)
		return "", false
	}
	return s, true
}

func (r *reader) typed(f *content.Field, fs *FieldSpec) {
	d, v := r.d, f.Value
	switch fs.Type {
	case TypeString:
		if s, ok := r.text(f); ok {
			d.Fields[fs.Name] = s
		}
	case TypeDate:
		if s, ok := r.date(f); ok {
			d.Fields[fs.Name] = s
		}
	case TypeQuarter:
		if s, ok := r.text(f); ok {
			if quarterRE.MatchString(s) {
				d.Fields[fs.Name] = s
			} else {
				r.report(v.Pos, diag.CodeInvalidField, "quarter %q is not a quarter: write YYYY-Qn, such as 2027-Q1", s)
			}
		}
	case TypeEnum:
		if s, ok := r.text(f); ok {
			if i := slices.Index(fs.Values, s); i >= 0 {
				s = fs.Values[i] // the list's own text: see pack
				d.Fields[fs.Name] = s
				if fs.Name == "priority" {
					d.priority = s
				}
			} else {
				r.report(v.Pos, diag.CodeInvalidField, "%s %q is not one of %s%s", fs.Name, s, strings.Join(fs.Values, ", "), didYouMean(s, fs.Values, ""))
			}
		}
	case TypeRank:
		if v.Kind != content.Int || v.Int < 1 {
			r.report(v.Pos, diag.CodeInvalidField, "rank must be a whole number of 1 or more, not %s", v.Text())
			return
		}
		d.Fields[fs.Name] = v.Int
		d.rank = v.Int
	case TypeEstimate:
		n, ok := number(v)
		if !ok || n < 0 {
			r.report(v.Pos, diag.CodeInvalidField, "estimate must be a %snumber of 0 or more, not %s", finiteWord(v), v.Text())
			return
		}
		d.Fields[fs.Name] = n
	case TypeKeyResults:
		r.keyResults(f)
	}
}

// number reads a number. NaN and the infinities are not numbers here: no
// output can hold them (JSON has no word for them, and model.json, the
// search index and the CSV export all carry the fields).
func number(v *content.Value) (float64, bool) {
	switch v.Kind {
	case content.Int:
		return float64(v.Int), true
	case content.Float:
		return v.Float, !nonFinite(v)
	}
	return 0, false
}

// nonFinite reports whether v is NaN or an infinity: YAML's .nan and
// .inf, TOML's nan and inf, or a number too large for a float64.
func nonFinite(v *content.Value) bool {
	return v.Kind == content.Float && (math.IsNaN(v.Float) || math.IsInf(v.Float, 0))
}

// finiteWord is "finite " where v is a number that is not, for messages
// that ask for a number: ".inf is not a number" would be news to a reader.
func finiteWord(v *content.Value) string {
	if nonFinite(v) {
		return "finite "
	}
	return ""
}

// writable returns v without the values that the outputs cannot hold (NaN
// and the infinities, anywhere in it), reporting each at its position.
// name is v's place in the frontmatter, for messages ("extra.score").
// v is the reader's own copy: it is changed in place.
func (r *reader) writable(name string, v *content.Value) *content.Value {
	switch {
	case nonFinite(v):
		r.report(v.Pos, diag.CodeInvalidField, "%s is %s, which model.json cannot hold (JSON has no NaN or infinity): write a finite number, or quote it to keep it as text", name, v.Str)
		return nil
	case v.Kind == content.List:
		kept := v.List[:0]
		for i, x := range v.List {
			if x = r.writable(fmt.Sprintf("%s[%d]", name, i), x); x != nil {
				kept = append(kept, x)
			}
		}
		v.List = kept
	case v.Kind == content.Map:
		kept := v.Map[:0]
		for _, f := range v.Map {
			if f.Value = r.writable(name+"."+f.Key, f.Value); f.Value != nil {
				kept = append(kept, f)
			}
		}
		v.Map = kept
	}
	return v
}

func (r *reader) keyResults(f *content.Field) {
	if f.Value.Kind != content.List {
		r.report(f.Value.Pos, diag.CodeInvalidField, "key_results must be a list of {metric, target, current}, not %s", f.Value.Kind)
		return
	}
	for _, x := range f.Value.List {
		if x.Kind != content.Map {
			r.report(x.Pos, diag.CodeInvalidField, "a key result must be a mapping of metric, target and current, not %s", x.Kind)
			continue
		}
		var kr KeyResult
		ok := true
		for _, kf := range x.Map {
			switch kf.Key {
			case "metric":
				s, good := r.text(kf)
				kr.Metric, ok = s, ok && good
			case "target", "current":
				val, good := r.measure(kf)
				ok = ok && good
				if kf.Key == "target" {
					kr.Target = val
				} else {
					kr.Current = val
				}
			default:
				r.report(kf.KeyPos, diag.CodeUnknownField, "%q is not a field of a key result (metric, target, current)%s", kf.Key, didYouMean(kf.Key, []string{"metric", "target", "current"}, ""))
			}
		}
		if x.Get("metric") == nil {
			r.report(x.Pos, diag.CodeInvalidField, "a key result needs a metric")
			ok = false
		}
		if ok {
			r.d.KeyResults = append(r.d.KeyResults, kr)
		}
	}
	kr := make([]any, len(r.d.KeyResults))
	for i, k := range r.d.KeyResults {
		kr[i] = map[string]any{"metric": k.Metric, "target": k.Target, "current": k.Current}
	}
	r.d.Fields["key_results"] = kr
}

// measure reads a key result's target or current: a number or text.
func (r *reader) measure(f *content.Field) (any, bool) {
	if n, ok := number(f.Value); ok {
		return n, true
	}
	switch f.Value.Kind {
	case content.String, content.Bool:
		return f.Value.Str, true
	case content.Null:
		return nil, true
	}
	r.report(f.Value.Pos, diag.CodeInvalidField, "%s must be a %snumber or text, not %s", f.Key, finiteWord(f.Value), f.Value.Text())
	return nil, false
}
