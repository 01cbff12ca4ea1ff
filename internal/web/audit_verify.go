package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
)

// verifyResult is the outcome of checking the audit hash chains the
// viewer may read.
type verifyResult struct {
	OK      bool
	Streams []auditlog.StreamResult
	Message string // the breaks, one sentence per broken stream
}

// auditVerify checks the hash chains (from the last verification on) and
// shows the audit log with the result above it. Verifying reads only, so
// it is a GET.
func (s *server) auditVerify(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.auditListView(r, rq) // also checks the viewer may read the audit log
	if err != nil {
		return err
	}
	res, err := s.Audit.Verify(r.Context(), auditlog.VerifyOptions{Streams: auditlog.StreamsFor(rq.P)})
	if err != nil {
		return err
	}
	vr := &verifyResult{OK: true, Streams: res}
	var breaks []string
	for _, st := range res {
		if !st.OK {
			vr.OK = false
			breaks = append(breaks, fmt.Sprintf("%s: broken at entry %d: %s.", st.Stream, st.BrokenAt, st.Reason))
		}
	}
	vr.Message = strings.Join(breaks, " ")
	v.Verify = vr
	return s.render(w, http.StatusOK, "audit_list", v)
}
