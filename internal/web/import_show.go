package web

import (
	"net/http"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// importShowView is one import's report with a page of its kept rows.
type importShowView struct {
	layout
	Report   cmdb.ImportReport
	Rejected []cmdb.ImportRow // this page's rejected rows
	KeptRows []cmdb.ImportRow // this page's rows that kept fields a higher source holds
	Refused  bool             // a strict import that applied nothing
	NextURL  string
	PrevURL  string
	FirstURL string
}

// importShow shows the counts of an import, how far it got, and a page of
// its rejected rows with their reasons and of the rows that kept fields,
// with the fields and why.
func (s *server) importShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	pg := paging.FromQuery(q, nil)
	rep, err := s.CMDB.FindImport(r.Context(), rq.P, r.PathValue("key"), pg.Cursor, pg.Limit)
	if err != nil {
		return err
	}
	v := s.importShowView(r, rq, rep)
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/imports/"+rep.Key, q, rep.NextCursor)
	return s.render(w, http.StatusOK, "import_show", v)
}

func (s *server) importShowView(r *http.Request, rq *request, rep cmdb.ImportReport) importShowView {
	title := "Import " + rep.Key
	if rep.Key == "" {
		title = "Import refused"
	}
	v := importShowView{layout: s.frame(r, rq, title, "imports"), Report: rep}
	for _, row := range rep.Rows {
		if row.Action == cmdb.ActionRejected {
			v.Rejected = append(v.Rejected, row)
		} else if len(row.Kept) > 0 {
			v.KeptRows = append(v.KeptRows, row)
		}
	}
	return v
}
