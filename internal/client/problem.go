package client

import (
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Problem is an error answer from the API (RFC 9457 problem details).
type Problem struct {
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Status    int                `json:"status"`
	Detail    string             `json:"detail"`
	Instance  string             `json:"instance"`
	RequestID string             `json:"request_id"`
	Errors    []errs.FieldError  `json:"errors"`
	Report    *cmdb.ImportReport `json:"report"` // a refused strict import, or one that stopped part-way
}

// Error renders the problem with one line per bad field.
func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", p.Status, p.Title)
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	for _, f := range p.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	if p.Status == 401 {
		b.WriteString("\n  (set RAMPART_TOKEN or --token to an API token: rampart token create --user NAME)")
	}
	if p.RequestID != "" && p.Status >= 500 {
		fmt.Fprintf(&b, "\n  request id: %s", p.RequestID)
	}
	return b.String()
}

// Kind is the problem kind from its type URI, e.g. "not_found".
func (p *Problem) Kind() string {
	return p.Type[strings.LastIndexByte(p.Type, ':')+1:]
}
