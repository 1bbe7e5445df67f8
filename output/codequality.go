package output

import (
	"crypto/sha256"
	"encoding/hex"
	"io"

	"github.com/blastradius/blastradius/graph"
)

// CodeQuality writes GitLab's code quality report (a subset of the Code
// Climate issue format): one issue per finding that is not waived, so that
// a merge request shows it beside the line.
type CodeQuality struct{}

type cqIssue struct {
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    cqLocation `json:"location"`
}

type cqLocation struct {
	Path  string  `json:"path"`
	Lines cqLines `json:"lines"`
}

type cqLines struct {
	Begin int `json:"begin"`
}

func (CodeQuality) Format(w io.Writer, r *Result) error {
	issues := []cqIssue{}
	for _, f := range r.Findings() {
		if f.Waiver != nil {
			continue
		}
		sev := "minor"
		switch {
		case f.Rule == graph.RuleModel && f.Severity == graph.SeverityError:
			sev = "blocker"
		case f.Severity == graph.SeverityError:
			sev = "major"
		}
		sum := sha256.Sum256([]byte(fingerprint(f)))
		issues = append(issues, cqIssue{Description: f.Message, CheckName: f.Rule, Fingerprint: hex.EncodeToString(sum[:16]), Severity: sev,
			Location: cqLocation{Path: r.URI(f.File), Lines: cqLines{Begin: max(f.Line, 1)}}})
	}
	return writeJSON(w, issues)
}
