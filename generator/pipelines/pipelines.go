// Package pipelines holds ready-made CI pipelines that check a productdocs
// site on every change and publish it from the main branch: a GitHub
// Actions workflow and a GitLab CI file. They are kept here as files, not in
// the README alone, so that a test can parse them and hold them to the
// command line they call; the README shows the same text.
package pipelines

import _ "embed"

// GitHubWorkflow is a GitHub Actions workflow (.github/workflows/docs.yml).
// On a pull request it runs productdocs check, which annotates the pull
// request, writes a job summary, and leaves SARIF for code scanning; on a
// push to main it builds the site and keeps public/ as an artifact.
//
//go:embed github-workflow.yml
var GitHubWorkflow string

// GitLabCI is a GitLab CI file (.gitlab-ci.yml). Its productdocs job runs
// productdocs check with a JUnit report, which GitLab shows in merge
// requests; its pages job builds the site on the default branch and
// publishes public/ with GitLab Pages.
//
//go:embed gitlab-ci.yml
var GitLabCI string
