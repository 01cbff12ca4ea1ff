package web

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/paging"
)

// importListView is the imports page: the upload form and past imports.
type importListView struct {
	layout
	Format   string
	Source   string
	Strict   bool
	Errors   fieldErrors
	Imports  []cmdb.ImportReport
	NextURL  string
	PrevURL  string
	FirstURL string
}

// importList shows past imports, newest first, and the upload form to
// those who may run one.
func (s *server) importList(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.importListView(r, rq)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "import_list", v)
}

func (s *server) importListView(r *http.Request, rq *request) (importListView, error) {
	q := r.URL.Query()
	pg := paging.FromQuery(q, nil)
	list, next, err := s.CMDB.FindImports(r.Context(), rq.P, pg.Cursor, pg.Limit)
	if err != nil {
		return importListView{}, err
	}
	v := importListView{layout: s.frame(r, rq, "Imports", "imports"), Format: "auto", Imports: list}
	v.FirstURL, v.PrevURL, v.NextURL = pageLinks("/imports", q, next)
	return v, nil
}

// importRun reconciles an uploaded discovery file with the CMDB (in
// chunks, see cmdb.Service.Import), then shows the report. A file that
// cannot be parsed, or a strict import with rejected rows, changes nothing
// and is explained on the form.
func (s *server) importRun(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.P.Require(auth.ImportRun); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files only
	}
	format, strict, source := r.PostFormValue("format"), r.PostFormValue("strict") != "", strings.TrimSpace(r.PostFormValue("source"))
	fail := func(fe fieldErrors) error {
		v, err := s.importListView(r, rq)
		if err != nil {
			return err
		}
		v.Format, v.Source, v.Strict, v.Errors = format, source, strict, fe
		return s.render(w, http.StatusUnprocessableEntity, "import_list", v)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(fieldErrors{"file": {"choose a file to import"}})
	}
	defer file.Close()
	if format == "" || format == "auto" {
		if format = formatFromName(hdr.Filename); format == "" {
			return fail(fieldErrors{"format": {"cannot tell the format from the file name; choose one"}})
		}
	}
	src := func(yield func(cmdb.Candidate) error) error {
		// The form's file is on disk beyond a small size (uploadMemory), so
		// reading it twice costs no memory.
		if _, err := file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return importer.Each(format, file, yield)
	}
	rep, err := s.CMDB.Import(r.Context(), rq.P, cmdb.ImportRequest{Format: format, Filename: filepath.Base(hdr.Filename), Source: src,
		Strict: strict, SourceName: source})
	switch {
	case err == nil, rep.Key != "":
		// Done, or stopped part-way: the report says how far it got.
		return redirect(w, r, "/imports/"+rep.Key, "")
	case errs.Is(err, errs.Invalid) && rep.Total() > 0:
		// A strict import refused: show what would have happened and
		// why, with nothing applied.
		v := s.importShowView(r, rq, rep)
		v.Refused = true
		return s.render(w, http.StatusUnprocessableEntity, "import_show", v)
	}
	if errs.Is(err, errs.Invalid) || errs.Is(err, errs.TooLarge) {
		fe := fieldErrors{}
		e, _ := errs.As(err)
		if len(e.Fields) == 1 && e.Fields[0].Field == "source" {
			fe.add("source", e.Fields[0].Message)
			return fail(fe)
		}
		fe.add("file", e.Message)
		for _, f := range e.Fields {
			fe.add("file", f.Field+": "+f.Message)
		}
		return fail(fe)
	}
	return err
}

// formatFromName guesses the import format from a file's extension.
func formatFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xml":
		return "nmap"
	case ".csv":
		return "csv"
	case ".json", ".ndjson":
		return "json"
	}
	return ""
}
