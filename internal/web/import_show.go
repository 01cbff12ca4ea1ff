package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// maxReportRows bounds how many accepted rows a report page lists; rejected
// rows, the ones that need attention, are always listed first.
const maxReportRows = 500

// importShowView is one import's report.
type importShowView struct {
	layout
	Report   cmdb.ImportReport
	Rejected []cmdb.ImportRow
	Applied  []cmdb.ImportRow
	Omitted  int  // accepted rows not listed
	Refused  bool // a strict import that applied nothing
}

// importShow shows the counts of an import and its rows, rejected first
// with their reasons.
func (s *server) importShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	rep, err := s.CMDB.FindImport(r.Context(), rq.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "import_show", s.importShowView(r, rq, rep))
}

func (s *server) importShowView(r *http.Request, rq *request, rep cmdb.ImportReport) importShowView {
	title := "Import " + rep.Key
	if rep.Key == "" {
		title = "Import refused"
	}
	v := importShowView{layout: s.frame(r, rq, title, "imports"), Report: rep}
	for _, row := range rep.Rows {
		switch {
		case row.Action == "rejected":
			v.Rejected = append(v.Rejected, row)
		case len(v.Applied) < maxReportRows:
			v.Applied = append(v.Applied, row)
		default:
			v.Omitted++
		}
	}
	return v
}
