package vuln

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Import statuses, as every import report has them.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ReportInfo describes a scanner report as a whole.
type ReportInfo struct {
	FormatVersion  string
	Scanner        string
	ScannerVersion string
	Skipped        map[string]int
	Notes          []string
}

// ImportRequest is one scanner report to import.
type ImportRequest struct {
	Format   string // trivy, grype, sarif, openvas, nessus, nuclei
	Filename string
	// SHA256 is the hex digest of the report as uploaded, kept with the
	// import and its audit entry.
	SHA256 string
	// Read hands each finding of the report to fn, in report order, once,
	// and describes the report: vuln/scanner.Source. It returns fn's error
	// unchanged, or an errs.Invalid naming where the report is bad.
	Read func(fn func(Finding) error) (ReportInfo, error)
}

// pending is a finding of the report with its identity key.
type pending struct {
	f   Finding
	key string
}

// targetState is a target met in the import.
type targetState struct {
	row      TargetRow
	asset    Asset
	scanners []string
}

// importRun is one import under way.
type importRun struct {
	s       *Service
	p       auth.Principal
	rep     ImportReport
	seen    IdentitySet
	targets map[string]*targetState
	order   []*targetState
}

// Import reads a scanner report and brings the findings in line with it.
// Each finding of the report is matched to the stored finding of the same
// identity (see Identity): a new identity creates a finding (VUL-n), a
// known one is updated only when something the import would write
// differs (what the scanner said, the ranking, the due date), so
// importing the same report twice writes no finding the second time; a
// fixed finding seen again is reopened. A report listing an identity
// twice counts it once. Targets are matched to CIs by their identifiers
// (Target.Identifiers) once per import; those matching none are listed
// with the report. Each finding is ranked with the risk formula, from its
// CVSS, the stored KEV and EPSS entries of its CVEs and the CI's
// criticality, exposure and data classification, and given a due date by
// the SLAs (a KEV due date that is earlier wins).
//
// When the whole report has been read, every active finding of a target
// the report scanned, reported before by the same scanner and not in the
// report, is fixed.
//
// The report is read once, streaming, in chunks of Store.ChunkRows
// findings, each its own transaction, so memory does not grow with the
// report (beyond 16 bytes per distinct identity) and no transaction holds
// the writer for long. The import is one report (IMP-n, created with the
// first chunk) that every chunk brings up to date; it ends with one audit
// entry carrying its counts and the report's SHA-256, never one per
// finding. A report that cannot be read stops the import at the last
// chunk boundary: what was applied stays, the report says how far it got,
// and nothing is fixed. A report that fails before its first chunk
// writes nothing at all. Requires auth.ImportRun.
//
// Errors: Unauthenticated, Forbidden, Invalid (the report, naming where),
// TooLarge, Unavailable, or the error that stopped a failed import (with
// the stored report).
func (s *Service) Import(ctx context.Context, p auth.Principal, req ImportRequest) (ImportReport, error) {
	if err := p.Require(auth.ImportRun); err != nil {
		return ImportReport{}, err
	}
	if req.Read == nil {
		return ImportReport{}, errs.Field("format", "no reader for the report")
	}
	im := &importRun{s: s, p: p, targets: map[string]*targetState{},
		rep: ImportReport{Format: strings.ToLower(strings.TrimSpace(req.Format)), Filename: strings.TrimSpace(req.Filename),
			Actor: p.Actor(), Status: ImportRunning, Detail: ImportDetail{SHA256: req.SHA256}}}
	size, err := s.chunkRows(ctx)
	if err != nil {
		return ImportReport{}, err
	}
	batch := make([]pending, 0, size)
	info, err := req.Read(func(f Finding) error {
		im.rep.Detail.Findings++
		key, added := im.seen.AddKey(f.Identity())
		if !added {
			im.rep.Detail.Duplicates++
			return nil
		}
		batch = append(batch, pending{f: f, key: key})
		if len(batch) < size {
			return nil
		}
		err := im.apply(ctx, batch)
		clear(batch)
		batch = batch[:0]
		return err
	})
	if err == nil && len(batch) > 0 {
		err = im.apply(ctx, batch)
	}
	d := &im.rep.Detail
	d.Scanner, d.ScannerVersion, d.FormatVersion, d.Skipped, d.Notes = info.Scanner, info.ScannerVersion, info.FormatVersion, info.Skipped, info.Notes
	if err != nil && im.rep.ID == 0 {
		return ImportReport{}, err // nothing was written
	}
	if err == nil {
		err = im.closeFixed(ctx)
	}
	return im.finish(ctx, err)
}

func (s *Service) chunkRows(ctx context.Context) (int, error) {
	if s.chunk > 0 {
		return s.chunk, nil
	}
	var size int
	err := s.t.View(ctx, func(tx Tx) error { size = tx.Vuln().ChunkRows(); return nil })
	return size, err
}

// begin stores the import's report the first time a unit of work writes.
func (im *importRun) begin(ctx context.Context, tx Tx, rep *ImportReport) error {
	if rep.ID != 0 {
		return nil
	}
	n, err := tx.NextKeys(ctx, "IMP", 1)
	if err != nil {
		return err
	}
	rep.Key = "IMP-" + strconv.FormatInt(n, 10)
	rep.CreatedAt, rep.UpdatedAt = tx.Now(), tx.Now()
	return tx.Vuln().InsertImport(ctx, rep)
}

// apply writes one chunk in a transaction of its own; the run's state
// moves on only once it commits.
func (im *importRun) apply(ctx context.Context, batch []pending) error {
	next := im.rep
	var fresh []*targetState
	err := im.s.t.InTxAlone(ctx, func(tx Tx) error {
		next, fresh = im.rep, nil
		if err := im.begin(ctx, tx, &next); err != nil {
			return err
		}
		st, now := tx.Vuln(), tx.Now()
		local := map[string]*targetState{}
		var unseen []Target
		for i := range batch {
			k := batch[i].f.Target.Key()
			if im.targets[k] == nil && local[k] == nil {
				local[k] = &targetState{}
				unseen = append(unseen, batch[i].f.Target)
			}
		}
		var unmatched []Unmatched
		if len(unseen) > 0 {
			var err error
			fresh, unmatched, err = im.resolveTargets(ctx, tx, unseen, len(im.order))
			if err != nil {
				return err
			}
			for _, ts := range fresh {
				local[ts.row.Key] = ts
			}
			next.Detail.Targets += len(fresh)
			next.Detail.Unmatched += len(unmatched)
		}
		target := func(k string) *targetState {
			if ts := im.targets[k]; ts != nil {
				return ts
			}
			return local[k]
		}

		kevs, scores, err := st.Threats(ctx, chunkCVEs(batch))
		if err != nil {
			return err
		}
		threats := newThreatIndex(kevs, scores)
		keys := make([]string, len(batch))
		for i := range batch {
			keys[i] = batch[i].key
		}
		stored, err := st.FindByIdentityUnscoped(ctx, keys)
		if err != nil {
			return err
		}
		var ins, upd []*Write
		for i := range batch {
			pf := &batch[i]
			ts := target(pf.f.Target.Key())
			if !slices.Contains(ts.scanners, pf.f.Scanner) {
				ts.scanners = append(ts.scanners, pf.f.Scanner)
			}
			w := &Write{Identity: pf.key, TargetID: ts.row.ID, Finding: &pf.f, State: StateOpen,
				FirstSeen: now, LastSeen: now, UpdatedAt: now}
			old, known := stored[pf.key]
			if known {
				w.ID, w.Key, w.FirstSeen, w.State = old.ID, old.Key, old.FirstSeen, old.State
			}
			if err := im.s.rank(w, threats.of(&pf.f), ts.asset); err != nil {
				return err
			}
			switch {
			case !known:
				ins = append(ins, w)
				next.Created++
			case old.State == StateFixed:
				w.State = StateReopened
				upd = append(upd, w)
				next.Updated++
				next.Detail.Reopened++
			case old.Content == w.Content:
				next.Unchanged++
			default:
				upd = append(upd, w)
				next.Updated++
			}
		}
		if len(ins) > 0 {
			first, err := tx.NextKeys(ctx, "VUL", len(ins))
			if err != nil {
				return err
			}
			for i, w := range ins {
				w.Key = "VUL-" + strconv.FormatInt(first+int64(i), 10)
			}
			if err := st.InsertFindings(ctx, ins); err != nil {
				return err
			}
		}
		if len(upd) > 0 {
			if err := st.UpdateFindings(ctx, upd); err != nil {
				return err
			}
		}
		next.AppliedThrough = im.rep.Detail.Findings
		next.UpdatedAt = now
		return st.UpdateImport(ctx, &next, unmatched)
	})
	if err != nil {
		return err
	}
	im.rep = next
	for _, ts := range fresh {
		im.targets[ts.row.Key] = ts
		im.order = append(im.order, ts)
	}
	return nil
}

// resolveTargets stores the targets the import meets for the first time
// (or brings their CI up to date) and matches them to CIs.
func (im *importRun) resolveTargets(ctx context.Context, tx Tx, targets []Target, seq int) ([]*targetState, []Unmatched, error) {
	st, now := tx.Vuln(), tx.Now()
	keys := make([]string, len(targets))
	for i := range targets {
		keys[i] = targets[i].Key()
	}
	rows, err := st.FindTargetsUnscoped(ctx, keys)
	if err != nil {
		return nil, nil, err
	}
	refs, err := im.s.assets.Match(ctx, tx, targets)
	if err != nil {
		return nil, nil, err
	}
	var out []*targetState
	var ins, upd []*TargetRow
	var unmatched []Unmatched
	for i, t := range targets {
		ts := &targetState{asset: refs[i].Asset}
		ts.asset.Known = refs[i].CIID != 0
		row, ok := rows[keys[i]]
		switch {
		case !ok:
			ts.row = TargetRow{Key: keys[i], Target: t, CIID: refs[i].CIID, At: now}
			ins = append(ins, &ts.row)
		case row.CIID != refs[i].CIID:
			ts.row = row
			ts.row.CIID, ts.row.At = refs[i].CIID, now
			upd = append(upd, &ts.row)
		default:
			ts.row = row
		}
		if refs[i].CIID == 0 {
			unmatched = append(unmatched, Unmatched{Seq: seq + i + 1, Target: keys[i], Name: t.Name})
		}
		out = append(out, ts)
	}
	if err := st.InsertTargets(ctx, ins); err != nil {
		return nil, nil, err
	}
	if err := st.UpdateTargetCIs(ctx, upd); err != nil {
		return nil, nil, err
	}
	return out, unmatched, nil
}

// rank fills w's ranking, due date, primary vector, threat and content
// digest from its finding, the threat and the asset.
func (s *Service) rank(w *Write, t Threat, a Asset) error {
	f := w.Finding
	w.Ranking = s.risk.Rank(f, t, a)
	w.KEV, w.EPSS = t.KEV, t.EPSS
	w.Primary, _ = f.PrimaryCVSS("")
	w.CVEs = w.CVEs[:0]
	for _, c := range f.CVEs {
		if c != f.Identifier {
			w.CVEs = append(w.CVEs, c)
		}
	}
	w.Due = nil
	if d, ok := s.sla.DueDate(w.Ranking.Priority, w.FirstSeen, t.KEV); ok {
		w.Due = &d
	}
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("finding %s: %w", w.Identity, err)
	}
	reasons, err := json.Marshal(w.Ranking)
	if err != nil {
		return fmt.Errorf("finding %s: %w", w.Identity, err)
	}
	w.Data, w.RankingJSON = data, reasons
	h := sha256.New()
	h.Write(data)
	h.Write([]byte{0})
	h.Write(reasons)
	h.Write([]byte{0})
	fmt.Fprint(h, w.TargetID)
	if w.Due != nil {
		h.Write([]byte(w.Due.At.UTC().Format(time.RFC3339) + w.Due.Source))
	}
	w.Content = hex.EncodeToString(h.Sum(nil)[:16])
	return nil
}

// chunkCVEs lists the CVEs of a chunk's findings, each once.
func chunkCVEs(batch []pending) []string {
	seen := map[string]bool{}
	var out []string
	for i := range batch {
		for _, c := range batch[i].f.CVEs {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// threatIndex finds the feed entries of a finding's CVEs.
type threatIndex struct {
	kev  map[string]*KEV
	epss map[string]*EPSS
}

func newThreatIndex(kevs []KEV, scores []EPSS) threatIndex {
	ix := threatIndex{kev: make(map[string]*KEV, len(kevs)), epss: make(map[string]*EPSS, len(scores))}
	for i := range kevs {
		ix.kev[kevs[i].CVE] = &kevs[i]
	}
	for i := range scores {
		ix.epss[scores[i].CVE] = &scores[i]
	}
	return ix
}

func (ix threatIndex) of(f *Finding) Threat {
	var kevs []KEV
	var scores []EPSS
	for _, c := range f.CVEs {
		if k := ix.kev[c]; k != nil {
			kevs = append(kevs, *k)
		}
		if e := ix.epss[c]; e != nil {
			scores = append(scores, *e)
		}
	}
	return SelectThreat(kevs, scores)
}

// closeFixed fixes the active findings of each scanned target that the
// same scanner reported before and this report no longer does, a chunk of
// targets per transaction.
func (im *importRun) closeFixed(ctx context.Context) error {
	type pair struct {
		target  int64
		scanner string
	}
	var pairs []pair
	for _, ts := range im.order {
		for _, sc := range ts.scanners {
			pairs = append(pairs, pair{ts.row.ID, sc})
		}
	}
	size := 100
	for start := 0; start < len(pairs); start += size {
		part := pairs[start:min(start+size, len(pairs))]
		next := im.rep
		err := im.s.t.InTxAlone(ctx, func(tx Tx) error {
			next = im.rep
			st := tx.Vuln()
			var fixed []int64
			for _, pr := range part {
				active, err := st.ActiveFindingsUnscoped(ctx, pr.target, pr.scanner)
				if err != nil {
					return err
				}
				for _, a := range active {
					if !im.seen.HasKey(a.Identity) {
						fixed = append(fixed, a.ID)
					}
				}
			}
			if len(fixed) == 0 {
				return nil
			}
			next.Detail.Fixed += len(fixed)
			next.UpdatedAt = tx.Now()
			if err := st.MarkFixed(ctx, fixed, tx.Now()); err != nil {
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

// finish closes the report, done or failed, records the scans, and
// writes the import's one audit entry. It runs even when ctx has ended.
func (im *importRun) finish(ctx context.Context, cause error) (ImportReport, error) {
	rep := im.rep
	rep.Status = ImportDone
	if cause != nil {
		rep.Status, rep.Error = ImportFailed, importErrorText(cause)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	err := im.s.t.InTx(ctx, func(tx Tx) error {
		if err := im.begin(ctx, tx, &rep); err != nil {
			return err
		}
		if cause == nil {
			scans := make([]Scan, 0, len(im.order))
			for _, ts := range im.order {
				for _, sc := range ts.scanners {
					scans = append(scans, Scan{TargetID: ts.row.ID, Scanner: sc, ImportID: rep.ID, At: tx.Now()})
				}
			}
			if err := tx.Vuln().RecordScans(ctx, scans); err != nil {
				return err
			}
		}
		rep.UpdatedAt = tx.Now()
		if err := tx.Vuln().UpdateImport(ctx, &rep, nil); err != nil {
			return err
		}
		return tx.Audit().Append(audit.Record{Actor: im.p.Actor(), Action: audit.ActionCreate, Kind: AuditKindImport, Key: rep.Key, After: rep})
	})
	if cause != nil {
		return rep, cause
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// finishTimeout bounds closing the report of an import whose request has
// ended.
const finishTimeout = 30 * time.Second

// importErrorText is what a failed import's report says stopped it: the
// message of an expected error, never the internals of an unexpected one.
func importErrorText(err error) string {
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
		return e.Error()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "the request ended before the import did"
	}
	return "internal error; the server log has the details"
}
