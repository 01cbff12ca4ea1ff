package web

import (
	"errors"
	"net/http"

	"github.com/rampart-itsm/rampart/internal/audit"
)

// verifyResult is the outcome of checking the audit hash chain.
type verifyResult struct {
	OK      bool
	Entries int64
	Message string
}

// auditVerify checks the whole hash chain and shows the audit log with the
// result above it. Verifying reads only, so it is a GET.
func (s *server) auditVerify(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.auditListView(r, rq) // also checks the viewer may read the audit log
	if err != nil {
		return err
	}
	n, err := s.Audit.Verify(r.Context())
	var br *audit.Break
	switch {
	case err == nil:
		v.Verify = &verifyResult{OK: true, Entries: n}
	case errors.As(err, &br):
		v.Verify = &verifyResult{Entries: n, Message: br.Error()}
	default:
		return err
	}
	return s.render(w, http.StatusOK, "audit_list", v)
}
