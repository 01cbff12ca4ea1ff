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
	return importFeed(ctx, s, p, "kev", req, read, func(ctx context.Context, st Store, items []KEV) (int, []string, error) {
		return st.UpsertKEV(ctx, items)
	})
}

// ImportEPSS stores FIRST's EPSS scores, read by read
// (vuln/feed.EPSSSource), like ImportKEV.
func (s *Service) ImportEPSS(ctx context.Context, p auth.Principal, req FeedRequest, read func(fn func(EPSS) error) (FeedInfo, error)) (ImportReport, error) {
	return importFeed(ctx, s, p, "epss", req, read, func(ctx context.Context, st Store, items []EPSS) (int, []string, error) {
		return st.UpsertEPSS(ctx, items)
	})
}

func importFeed[T any](ctx context.Context, s *Service, p auth.Principal, format string, req FeedRequest,
	read func(fn func(T) error) (FeedInfo, error), upsert func(context.Context, Store, []T) (int, []string, error)) (ImportReport, error) {
	if err := p.Require(auth.ImportRun); err != nil {
		return ImportReport{}, err
	}
	im := &importRun{s: s, p: p, rep: ImportReport{Format: format, Filename: strings.TrimSpace(req.Filename),
		Actor: p.Actor(), Status: ImportRunning, Detail: ImportDetail{SHA256: req.SHA256}}}
	batch := make([]T, 0, feedChunk)
	var changed, chunkChanged []string
	flush := func() error {
		next := im.rep
		err := s.t.InTxAlone(ctx, func(tx Tx) error {
			next = im.rep
			if err := im.begin(ctx, tx, &next); err != nil {
				return err
			}
			c, ch, err := upsert(ctx, tx.Vuln(), batch)
			if err != nil {
				return err
			}
			chunkChanged = ch
			next.Created += c
			next.Updated += len(ch) - c
			next.Unchanged += len(batch) - len(ch)
			next.AppliedThrough += len(batch)
			next.UpdatedAt = tx.Now()
			return tx.Vuln().UpdateImport(ctx, &next, nil)
		})
		if err == nil {
			im.rep = next
			changed = append(changed, chunkChanged...)
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
	if err == nil {
		err = im.rerank(ctx, changed)
	}
	return im.finish(ctx, err)
}

// rerankChunk is how many changed CVEs one re-ranking transaction takes.
const rerankChunk = 500

// rerank ranks again, and gives a new due date to, every finding (other
// than fixed ones) about a CVE whose feed entry is new or changed: a CVE
// entering KEV, an EPSS score that moved. A finding is written only when
// its ranking or due date changed; the import's report counts them
// (reranked), and those whose priority changed (reprioritised), which
// its audit entry records.
func (im *importRun) rerank(ctx context.Context, cves []string) error {
	for start := 0; start < len(cves); start += rerankChunk {
		part := cves[start:min(start+rerankChunk, len(cves))]
		next := im.rep
		err := im.s.t.InTxAlone(ctx, func(tx Tx) error {
			next = im.rep
			st := tx.Vuln()
			found, err := st.FindByCVEsUnscoped(ctx, part)
			if err != nil || len(found) == 0 {
				return err
			}
			var all []string
			var cis []int64
			for i := range found {
				all = append(all, found[i].Finding.CVEs...)
				if found[i].CIID != 0 {
					cis = append(cis, found[i].CIID)
				}
			}
			kevs, scores, err := st.Threats(ctx, all)
			if err != nil {
				return err
			}
			assets, err := im.s.assets.ByCI(ctx, tx, cis)
			if err != nil {
				return err
			}
			threats := newThreatIndex(kevs, scores)
			var upd []*Write
			for i := range found {
				r := &found[i]
				w := &Write{ID: r.ID, Key: r.Key, Identity: r.Identity, TargetID: r.TargetID, Finding: &r.Finding,
					State: r.State, FirstSeen: r.FirstSeen, UpdatedAt: tx.Now()}
				a, known := assets[r.CIID]
				a.Known = known
				if err := im.s.rank(w, threats.of(&r.Finding), a); err != nil {
					return err
				}
				if w.Content == r.Content {
					continue
				}
				upd = append(upd, w)
				if w.Ranking.Priority != r.Priority {
					next.Detail.Reprioritised++
				}
			}
			if len(upd) == 0 {
				return nil
			}
			next.Detail.Reranked += len(upd)
			next.UpdatedAt = tx.Now()
			if err := st.UpdateRankings(ctx, upd); err != nil {
				return err
			}
			return st.UpdateImport(ctx, &next, nil)
		})
		if err != nil {
			return err
		}
		im.rep = next
	}
	return nil
}
