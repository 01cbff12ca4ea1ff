package vuln

import (
	"context"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// FeedRequest is one threat feed file to import.
type FeedRequest struct {
	Filename string
	SHA256   string
}

// FeedInfo describes a feed file as a whole: the problems of rows that
// were skipped, each naming its line.
type FeedInfo struct {
	Rows     int
	Problems []string
	Skipped  int
}

// feedChunk is how many feed entries one transaction takes: an entry is
// one short row, a few times smaller than a finding.
const feedChunk = 2000

// ImportKEV stores CISA's KEV catalogue, read by read (vuln/feed.KEVSource):
// new entries are created, changed ones updated, the same ones left alone.
// One import report (format kev) with one audit entry. Requires
// auth.ImportRun. Errors: Unauthenticated, Forbidden, Invalid (a file
// that is not the catalogue).
func (s *Service) ImportKEV(ctx context.Context, p auth.Principal, req FeedRequest, read func(fn func(KEV) error) (FeedInfo, error)) (ImportReport, error) {
	return importFeed(ctx, s, p, "kev", req, read, func(ctx context.Context, st Store, items []KEV) (int, int, error) {
		return st.UpsertKEV(ctx, items)
	})
}

// ImportEPSS stores FIRST's EPSS scores, read by read
// (vuln/feed.EPSSSource), like ImportKEV.
func (s *Service) ImportEPSS(ctx context.Context, p auth.Principal, req FeedRequest, read func(fn func(EPSS) error) (FeedInfo, error)) (ImportReport, error) {
	return importFeed(ctx, s, p, "epss", req, read, func(ctx context.Context, st Store, items []EPSS) (int, int, error) {
		return st.UpsertEPSS(ctx, items)
	})
}

func importFeed[T any](ctx context.Context, s *Service, p auth.Principal, format string, req FeedRequest,
	read func(fn func(T) error) (FeedInfo, error), upsert func(context.Context, Store, []T) (int, int, error)) (ImportReport, error) {
	if err := p.Require(auth.ImportRun); err != nil {
		return ImportReport{}, err
	}
	im := &importRun{s: s, p: p, rep: ImportReport{Format: format, Filename: strings.TrimSpace(req.Filename),
		Actor: p.Actor(), Status: ImportRunning, Detail: ImportDetail{SHA256: req.SHA256}}}
	batch := make([]T, 0, feedChunk)
	flush := func() error {
		next := im.rep
		err := s.t.InTxAlone(ctx, func(tx Tx) error {
			next = im.rep
			if err := im.begin(ctx, tx, &next); err != nil {
				return err
			}
			c, u, err := upsert(ctx, tx.Vuln(), batch)
			if err != nil {
				return err
			}
			next.Created += c
			next.Updated += u
			next.Unchanged += len(batch) - c - u
			next.AppliedThrough += len(batch)
			next.UpdatedAt = tx.Now()
			return tx.Vuln().UpdateImport(ctx, &next, nil)
		})
		if err == nil {
			im.rep = next
		}
		clear(batch)
		batch = batch[:0]
		return err
	}
	info, err := read(func(v T) error {
		if batch = append(batch, v); len(batch) < feedChunk {
			return nil
		}
		return flush()
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	im.rep.Rejected = info.Skipped
	im.rep.Detail.Findings = info.Rows
	im.rep.Detail.Problems = info.Problems
	if err != nil && im.rep.ID == 0 {
		return ImportReport{}, err
	}
	if err == nil && im.rep.ID == 0 && info.Rows == 0 {
		return ImportReport{}, errs.Field("file", "the file has no valid entries")
	}
	return im.finish(ctx, err)
}
