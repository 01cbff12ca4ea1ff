package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// runImport: POST /api/v1/imports/{format}. The body is the file itself, or
// a multipart form whose "file" field is. The file is parsed completely
// first: a file that cannot be read (malformed or truncated XML, external
// entities, a broken CSV header) is a 400 and nothing is imported. Then
// every candidate row is reconciled in one transaction; rows the service
// rejects are listed in the 201 report (or, with ?strict=true, nothing is
// applied and the answer is a 422 naming the rows).
func (a *api) runImport(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	strict := q.boolean("strict")
	filename := q.str("filename")
	format := r.PathValue("format")
	if !slices.Contains(cmdb.ImportFormats, format) {
		q.fe.Add("format", "must be one of %s", strings.Join(cmdb.ImportFormats, ", "))
	}
	if err := q.err(); err != nil {
		return err
	}
	// Checked before reading a file of up to 64 MiB; the service checks
	// again, this only spares the parse.
	if err := principal(r).Require(auth.ImportRun); err != nil {
		return err
	}
	body, name, err := uploadedFile(r)
	if err != nil {
		return err
	}
	if filename == "" {
		filename = name
	}
	return a.importFile(w, r, format, filename, body, strict != nil && *strict)
}

// bulkCIs: POST /api/v1/cis/bulk. A JSON array of CIs, in the JSON import
// format, reconciled exactly like an import (matched by identifiers, so
// sending the same array twice changes nothing the second time).
func (a *api) bulkCIs(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	strict := q.boolean("strict")
	if err := q.err(); err != nil {
		return err
	}
	if err := principal(r).Require(auth.ImportRun); err != nil {
		return err
	}
	return a.importFile(w, r, "json", "bulk", r.Body, strict != nil && *strict)
}

func (a *api) importFile(w http.ResponseWriter, r *http.Request, format, filename string, body io.Reader, strict bool) error {
	lim := &limitWatch{r: body}
	cands, err := importer.Parse(format, lim)
	if err != nil {
		// The parser may wrap a read error in its own words; the limit
		// is what the client needs to hear about.
		if lim.err != nil {
			return lim.err
		}
		if timedOut(err) {
			return requestTimeout()
		}
		if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
			return badRequest(e)
		}
		return err
	}
	rep, err := a.d.CMDB.Import(r.Context(), principal(r), cmdb.ImportRequest{
		Format: format, Filename: filename, Candidates: cands, Strict: strict,
	})
	if err != nil && len(rep.Rows) > 0 {
		// A refused strict import: the problem carries the full report.
		p := problemFor(err, r)
		p.Report = rep
		sendProblem(w, p)
		return nil
	}
	if err != nil {
		return err
	}
	created(w, "/api/v1/imports/"+rep.Key, rep)
	return nil
}

// uploadedFile returns the file in the request body: the "file" part of a
// multipart form, or the raw body.
func uploadedFile(r *http.Request) (io.Reader, string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.Body, "", nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", badField("file", "unreadable multipart body: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", badField("file", "the multipart form has no \"file\" field")
		}
		if err != nil {
			if tooLarge(err) {
				return nil, "", errs.E(errs.TooLarge, "upload is larger than the limit of %s", sizeOf(err))
			}
			if timedOut(err) {
				return nil, "", requestTimeout()
			}
			return nil, "", badField("file", "unreadable multipart body: %v", err)
		}
		if part.FormName() == "file" {
			// The name is stored with the import: one line of text.
			var fe errs.Fields
			if !textrule.Line(&fe, "filename", part.FileName()) {
				return nil, "", fe.Err()
			}
			return part, part.FileName(), nil
		}
	}
}

// limitWatch remembers whether reading hit the body size limit.
type limitWatch struct {
	r   io.Reader
	err error
}

func (l *limitWatch) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && tooLarge(err) && l.err == nil {
		l.err = errs.E(errs.TooLarge, "upload is larger than the limit of %s", sizeOf(err))
	}
	return n, err
}

// listImports: GET /api/v1/imports, newest first.
func (a *api) listImports(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.d.CMDB.FindImports(r.Context(), principal(r), pg.Cursor, pg.Limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []cmdb.ImportReport{}
	}
	writeJSON(w, http.StatusOK, importPage{Items: items, NextCursor: next})
	return nil
}

// importPage is a page of imports; imports have no total count.
type importPage struct {
	Items      []cmdb.ImportReport `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

// getImport: GET /api/v1/imports/{key}.
func (a *api) getImport(w http.ResponseWriter, r *http.Request) error {
	rep, err := a.d.CMDB.FindImport(r.Context(), principal(r), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
