package model

import "slices"

// Rollup is the progress of the work below a document: every backlog item
// that traces to it, directly or through other documents (for a release:
// every item whose release field names it). Items holds the documents the
// figures count, so that each number a page shows can list where it came
// from.
//
// An epic with stories below it is not counted itself: its stories are its
// work, and counting both would count the work twice. An epic without
// stories counts as one item. Dropped items count nowhere.
type Rollup struct {
	Items        []*Document // counted, in natural ID order
	Done         int         // of Items
	Estimate     float64     // the estimates of Items
	EstimateDone float64     // the estimates of the done ones
	Criteria     int         // acceptance criteria of the counted stories
	Checked      int         // of Criteria
}

// Total is the number of items counted.
func (r Rollup) Total() int { return len(r.Items) }

// Percent is the share of items done, 0 to 100, rounded down.
func (r Rollup) Percent() int {
	if len(r.Items) == 0 {
		return 0
	}
	return r.Done * 100 / len(r.Items)
}

// Open are the counted items still to be done.
func (r Rollup) Open() []*Document {
	var out []*Document
	for _, d := range r.Items {
		if d.Status != "done" {
			out = append(out, d)
		}
	}
	return out
}

// Below returns every document that traces to d, directly or through other
// documents, in natural ID order. It stops at cycles.
func (d *Document) Below() []*Document {
	seen := map[*Document]bool{d: true}
	var out []*Document
	var walk func(*Document)
	walk = func(x *Document) {
		for _, r := range x.Backlinks {
			if r.Field != "traces" || seen[r.From] {
				continue
			}
			seen[r.From] = true
			out = append(out, r.From)
			walk(r.From)
		}
	}
	walk(d)
	slices.SortFunc(out, CompareDocs)
	return out
}

// RollupOf sums the progress of the work below d (see Rollup).
func RollupOf(d *Document) Rollup {
	if isRelease(d) {
		return RollupBelow(d, nil)
	}
	return RollupBelow(d, d.Below())
}

// RollupBelow is RollupOf for a caller that has d.Below() already (nil
// for a release, whose scope is what names it).
func RollupBelow(d *Document, below []*Document) Rollup {
	if !isRelease(d) {
		return rollup(below)
	}
	var scope []*Document
	seen := map[*Document]bool{}
	for _, x := range d.From("release") {
		if !seen[x] {
			seen[x] = true
			scope = append(scope, x)
		}
	}
	slices.SortFunc(scope, CompareDocs)
	return rollup(scope)
}

func isRelease(d *Document) bool { return d.Kind != nil && d.Kind.Name == "release" }

func rollup(scope []*Document) Rollup {
	var r Rollup
	for _, x := range scope {
		if x.Kind == nil || x.Kind.Section != Backlog || x.Kind.Name == "feedback" || x.Status == "dropped" {
			continue
		}
		if x.Kind.Name == "epic" && hasStories(x) {
			continue
		}
		r.Items = append(r.Items, x)
		est, _ := x.Fields["estimate"].(float64)
		r.Estimate += est
		if x.Status == "done" {
			r.Done++
			r.EstimateDone += est
		}
		if x.Body != nil {
			for _, c := range x.Body.Criteria {
				r.Criteria++
				if c.Checked {
					r.Checked++
				}
			}
		}
	}
	return r
}

// hasStories reports whether a story that is not dropped traces to epic.
func hasStories(epic *Document) bool {
	for _, r := range epic.Backlinks {
		if r.Field == "traces" && r.From.Kind != nil && r.From.Kind.Name == "story" && r.From.Status != "dropped" {
			return true
		}
	}
	return false
}
