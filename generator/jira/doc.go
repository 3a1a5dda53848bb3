// Package jira imports a Jira CSV export ("Export → CSV (all fields)")
// into a site: one document per issue, one release per fix version.
//
// # The export
//
// The first row names the columns; every other row is one issue. Jira
// writes a multi-valued field as one column per value, under the same
// name, as many as the issue with the most values needs (Labels, Fix
// Version/s, Sprint, Component/s, Watchers…): Reader reads them all.
// Column names are matched ignoring case and surrounding spaces.
//
// The import needs Issue key, Issue id, Issue Type, Summary and Status,
// and reads, where present:
//
//	Issue key                         the document's id
//	Issue Type                        its kind (see the mapping below)
//	Summary                           title
//	Status, Status Category,          status
//	Resolution
//	Priority                          priority (MoSCoW)
//	Custom field (Story Points)       estimate (or Story point estimate)
//	Assignee                          owner
//	Labels                            tags
//	Updated                           updated
//	Fix Version/s                     release: one release document each
//	Due date                          the release's date: its issues' latest
//	Parent, Parent id                 traces: Jira's numeric issue id, found
//	                                  through the Issue id column
//	Epic Link, Parent Link            traces, by issue key
//	Description                       the body, from Jira's wiki markup
//	Custom field (Acceptance Criteria) the body's acceptance criteria
//	Component/s, Sprint               extra.jira
//
// A file is read as a stream, one row at a time, and only the columns
// above are kept; a row longer than MaxRowBytes is an error, so memory
// stays bounded whatever the file. Any problem in the file (not CSV, not
// UTF-8, a missing column, a row with more cells than the header, a
// duplicate key, a value that cannot be read) is an *InputError with its
// line and column, and nothing is written.
//
// # Writing
//
// MakePlan maps every issue and decides each document's file without
// writing: a new document goes where `productdocs new` puts one of its
// kind; an existing one is an error unless Options.Update, which edits the
// fields that come from Jira in the document's own file and keeps the rest
// (see updateDocument). Plan.Write then writes every file, or none.
package jira
