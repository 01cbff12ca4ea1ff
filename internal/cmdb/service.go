package cmdb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Record kinds written to the audit log.
const (
	AuditKindCI       = "ci"
	AuditKindRelation = "relation"
	AuditKindImport   = "import"
)

// Service is the CMDB practice: every read and write of CIs, relations and
// imports goes through it. Each method checks authorisation first, then
// works inside one unit of work.
type Service struct {
	t       Transactor
	scratch func() (Scratch, error) // nil: in memory (see WithScratch)
}

// NewService returns a CMDB service on the given transactor, typically
// store.Bind(db, cmdbstore.Bind).
func NewService(t Transactor) *Service { return &Service{t: t} }

var zeroTime time.Time

func itoa(i int) string { return strconv.Itoa(i) }

// ciKey formats a human key from its number.
func ciKey(n int64) string { return "CI-" + strconv.FormatInt(n, 10) }

// normalizeKey accepts keys in any case with surrounding space ("ci-12").
func normalizeKey(key string) string { return strings.ToUpper(strings.TrimSpace(key)) }

// resolveRefs turns the owner username and support group name of each CI
// into ids, reporting unknown names in fe under "owner"/"support_group"
// (with the given per-CI prefix). One query per kind for all CIs.
func resolveRefs(ctx context.Context, st Store, p auth.Principal, cis []*CI, prefixes []string, fe *errs.Fields) error {
	var users, teams []string
	for _, ci := range cis {
		if ci.Owner != "" {
			users = append(users, ci.Owner)
		}
		if ci.SupportGroup != "" {
			teams = append(teams, ci.SupportGroup)
		}
	}
	uids, err := st.UserIDs(ctx, dedupe(users), auth.VisibilityFor(p, auth.KindUser))
	if err != nil {
		return err
	}
	tids, err := st.TeamIDs(ctx, dedupe(teams), auth.VisibilityFor(p, auth.KindTeam))
	if err != nil {
		return err
	}
	for i, ci := range cis {
		prefix := ""
		if prefixes != nil {
			prefix = prefixes[i]
		}
		ci.OwnerID, ci.SupportGroupID = 0, 0
		if ci.Owner != "" {
			if id, ok := uids[ci.Owner]; ok {
				ci.OwnerID = id
			} else {
				fe.Add(prefix+"owner", "no user named %q", ci.Owner)
			}
		}
		if ci.SupportGroup != "" {
			if id, ok := tids[ci.SupportGroup]; ok {
				ci.SupportGroupID = id
			} else {
				fe.Add(prefix+"support_group", "no team named %q", ci.SupportGroup)
			}
		}
	}
	return nil
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// checkIdentifiersFree returns a Conflict naming each identifier of ci that
// another CI already holds. The unique index would refuse them anyway; this
// says which CI has them, when p may see that CI, and only that one is
// taken otherwise.
func checkIdentifiersFree(ctx context.Context, st Store, p auth.Principal, ci *CI) error {
	vals := ci.Identifiers.Values()
	if len(vals) == 0 {
		return nil
	}
	matches, err := st.MatchIdentifiers(ctx, vals, auth.VisibilityFor(p, auth.KindCI))
	if err != nil {
		return err
	}
	var fields []errs.FieldError
	for _, m := range matches {
		if m.CIID != ci.ID {
			holder := m.CIKey
			if holder == "" {
				holder = "another CI"
			}
			fields = append(fields, errs.FieldError{Field: identifierField(ci.Identifiers, m.IdentifierValue),
				Message: fmt.Sprintf("%s already identifies %s", m.Value, holder)})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &errs.Error{Kind: errs.Conflict, Message: "an identifier already belongs to another CI", Fields: fields}
}

// identifierField names where v sits in ids, e.g. "identifiers.ips[1]".
func identifierField(ids Identifiers, v IdentifierValue) string {
	idx := func(name string, list []string) string {
		for i, x := range list {
			if x == v.Value {
				return fmt.Sprintf("identifiers.%s[%d]", name, i)
			}
		}
		return "identifiers." + name
	}
	switch v.Kind {
	case IDHostname:
		return idx("hostnames", ids.Hostnames)
	case IDFQDN:
		return idx("fqdns", ids.FQDNs)
	case IDIP:
		return idx("ips", ids.IPs)
	case IDMAC:
		return idx("macs", ids.MACs)
	}
	return "identifiers." + string(v.Kind)
}

func auditCI(tx Tx, p auth.Principal, action string, key string, before, after *CI) error {
	rec := audit.Record{Actor: p.Actor(), Action: action, Kind: AuditKindCI, Key: key}
	if before != nil {
		rec.Before = auditState(before)
	}
	if after != nil {
		rec.After = auditState(after)
	}
	return tx.Audit().Append(rec)
}

// auditState is a CI as its audit entries record it: without Sources,
// which the entry's actor (and import) already says, so a change lists
// only the fields that changed.
func auditState(ci *CI) *CI {
	cp := *ci
	cp.Sources = nil
	return &cp
}
