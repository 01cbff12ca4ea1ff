package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/importer"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/textrule"
)

// runImport: POST /api/v1/imports/{format}. The body is the file itself, or
// a multipart form whose "file" field is. The upload is copied to a
// temporary file first (never held in memory), then read through once: a
// file that cannot be read (malformed or truncated XML, external entities,
// a broken CSV header) is a 400 and nothing is imported. Then its rows are
// reconciled chunk by chunk (cmdb.Service.Import); rows the service
// rejects are listed in the 201 report (or, with ?strict=true, nothing is
// applied and the answer is a 422 naming the rows). An import that stopped
// part-way answers with the error's status and the stored report, which
// says how far it got.
func (a *api) runImport(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	strict := q.boolean("strict")
	filename := q.str("filename")
	source := q.str("source")
	format := r.PathValue("format")
	vulnFormat := slices.Contains(vulnFormats, format)
	if !slices.Contains(cmdb.ImportFormats, format) && !vulnFormat {
		q.fe.Add("format", "must be one of %s", strings.Join(append(slices.Clone(cmdb.ImportFormats), vulnFormats...), ", "))
	}
	if vulnFormat && strict != nil {
		q.fe.Add("strict", "applies to discovery imports only; a scanner report or feed is applied in chunks")
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
	if vulnFormat {
		f, err := spool(body)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("rewind the uploaded file: %w", err)
		}
		return a.importVulnFile(w, r, format, filename, f)
	}
	// Discovery files keep their own, smaller limit.
	body = http.MaxBytesReader(nil, io.NopCloser(body), maxUploadBody)
	return a.importFile(w, r, importSpec{format, filename, source, strict != nil && *strict}, body)
}

// bulkCIs: POST /api/v1/cis/bulk. A JSON array of CIs, in the JSON import
// format, reconciled exactly like an import (matched by identifiers, so
// sending the same array twice changes nothing the second time).
func (a *api) bulkCIs(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	strict := q.boolean("strict")
	source := q.str("source")
	if err := q.err(); err != nil {
		return err
	}
	if err := principal(r).Require(auth.ImportRun); err != nil {
		return err
	}
	return a.importFile(w, r, importSpec{"json", "bulk", source, strict != nil && *strict}, r.Body)
}

// importSpec is what a request says about the import besides its file.
type importSpec struct {
	format, filename, source string
	strict                   bool
}

func (a *api) importFile(w http.ResponseWriter, r *http.Request, spec importSpec, body io.Reader) error {
	format := spec.format
	f, err := spool(body)
	if err != nil {
		return err
	}
	defer f.Close()
	var fileErr error // the file's own error, as opposed to the service's
	src := func(yield func(cmdb.Candidate) error) error {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("rewind the uploaded file: %w", err)
		}
		var yieldErr error
		err := importer.Each(format, f, func(c cmdb.Candidate) error {
			yieldErr = yield(c)
			return yieldErr
		})
		if err != nil && yieldErr == nil {
			fileErr = err
		}
		return err
	}
	rep, err := a.d.CMDB.Import(r.Context(), principal(r), cmdb.ImportRequest{
		Format: format, Filename: spec.filename, Source: src, Strict: spec.strict, SourceName: spec.source,
	})
	switch {
	case err != nil && fileErr != nil && errors.Is(err, fileErr):
		if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
			return badRequest(e)
		}
		return err
	case err != nil && (rep.Key != "" || rep.Total() > 0):
		// A refused strict import, or one that stopped part-way: the
		// problem carries the report.
		p := problemFor(err, r)
		p.Report = rep
		sendProblem(w, p)
		return nil
	case err != nil:
		return err
	}
	created(w, "/api/v1/imports/"+rep.Key, rep)
	return nil
}

// spool copies an upload into a temporary file, which is removed when
// closed: an import reads its file twice (check, then apply), and a file
// of tens of megabytes is not to be held in memory meanwhile. Reading the
// upload fails as the request does: too large (413), too slow (408).
func spool(body io.Reader) (*spooled, error) {
	f, err := os.CreateTemp("", "rampart-import-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	s := &spooled{File: f}
	lim := &limitWatch{r: body}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), lim); err != nil {
		s.Close()
		switch {
		case lim.err != nil:
			return nil, lim.err
		case timedOut(err):
			return nil, requestTimeout()
		case lim.read:
			return nil, badField("file", "the upload could not be read: %v", err)
		}
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	s.sum = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// spooled is a temporary file that is removed when closed, with the
// SHA-256 of what was spooled (hex).
type spooled struct {
	*os.File
	sum string
}

func (s *spooled) Close() error {
	err := s.File.Close()
	return errors.Join(err, os.Remove(s.Name()))
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

// limitWatch remembers whether reading hit the body size limit, and
// whether the error came from reading the upload at all.
type limitWatch struct {
	r    io.Reader
	err  error
	read bool // a read of the upload failed (not a write of the spool)
}

func (l *limitWatch) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		l.read = true
	}
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

// getImport: GET /api/v1/imports/{key}, with one page of the rows kept
// with the report (?cursor=, ?limit=).
func (a *api) getImport(w http.ResponseWriter, r *http.Request) error {
	q := params(r)
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	rep, err := a.d.CMDB.FindImport(r.Context(), principal(r), r.PathValue("key"), pg.Cursor, pg.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// getSourcePrecedence: GET /api/v1/cmdb/source-precedence.
func (a *api) getSourcePrecedence(w http.ResponseWriter, r *http.Request) error {
	p, err := a.d.CMDB.SourcePrecedence(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// putSourcePrecedence: PUT /api/v1/cmdb/source-precedence, the whole list.
func (a *api) putSourcePrecedence(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Sources []string `json:"sources"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Sources == nil {
		return errs.Field("sources", "is required: the import source names, highest first ([] for none)")
	}
	p, err := a.d.CMDB.SetSourcePrecedence(r.Context(), principal(r), cmdb.Precedence{Sources: in.Sources})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
