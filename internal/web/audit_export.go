package web

import (
	"encoding/json"
	"net/http"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
)

// auditExport streams the filtered audit log as JSON lines, oldest first,
// as a download.
func (s *server) auditExport(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.AuditRead); err != nil {
		return err
	}
	f := readAuditFilter(r.URL.Query()).filter()
	enc := json.NewEncoder(w)
	started := false
	err := s.Audit.Export(r.Context(), rq.P, f, func(e audit.Entry) error {
		if !started {
			started = true
			setExportHeaders(w)
		}
		return enc.Encode(e)
	})
	if err != nil && started {
		// The download has begun; the truncated file is all that can be
		// said to the browser, so say the rest in the log.
		s.log.Error("web: audit export interrupted", "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	if !started {
		setExportHeaders(w) // an empty log is an empty file
	}
	return nil
}

func setExportHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="rampart-audit.ndjson"`)
	w.Header().Set("Cache-Control", "no-store")
}
