package cmdb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/store/cmdbstore"
)

// chunkRows is the engine's import chunk size (250 rows on SQLite, 1,000
// on PostgreSQL). The tests use files of two and a half chunks.
func (e *env) chunkRows(t *testing.T) int {
	t.Helper()
	var n int
	if err := bind(e.db).View(e.ctx, func(tx cmdb.Tx) error { n = tx.CMDB().ChunkRows(); return nil }); err != nil || n < 8 {
		t.Fatalf("chunk size %d, %v", n, err)
	}
	return n
}

// hosts returns n candidates for new hosts h-1... with one IP each.
func hosts(n int) []cmdb.Candidate {
	out := make([]cmdb.Candidate, n)
	for i := range out {
		out[i] = host(i+1, fmt.Sprintf("h-%d", i+1), fmt.Sprintf("10.%d.%d.%d", 100+(i+1)>>16, ((i+1)>>8)&255, (i+1)&255))
	}
	return out
}

// chunkCounter counts the bulk transactions an import opens and fails the
// one numbered failAt (1-based; 0: none) after its work, as a database
// that breaks mid-import would.
type chunkCounter struct {
	cmdb.Transactor
	chunks atomic.Int32
	failAt int32
	err    error
}

func (c *chunkCounter) InTxAlone(ctx context.Context, fn func(cmdb.Tx) error) error {
	n := c.chunks.Add(1)
	return c.Transactor.InTxAlone(ctx, func(tx cmdb.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if n == c.failAt {
			return c.err
		}
		return nil
	})
}

func TestImportRunsInChunksAsOneImport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		tc := &chunkCounter{Transactor: bind(e.db)}
		svc := cmdb.NewService(tc)
		c := e.chunkRows(t)
		total := 2*c + c/2
		cands := hosts(total)
		// Rows in later chunks meet what earlier chunks committed: a row
		// of the second chunk adds a tag to the host row 1 created, and a
		// row of the third names hosts that rows 2 and c+2 created: a
		// conflict.
		tagger, conflicting := c+c/2, 2*c+c/4
		cands[tagger-1] = cmdb.Candidate{Row: tagger, Identifiers: cmdb.Identifiers{Hostnames: []string{"h-1"}}, Fields: cmdb.Update{Tags: &[]string{"seen-twice"}}}
		cands[conflicting-1] = cmdb.Candidate{Row: conflicting, Identifiers: cmdb.Identifiers{Hostnames: []string{"h-2", fmt.Sprintf("h-%d", c+2)}}}
		rep, err := svc.Import(e.ctx, e.agent, cmdb.ImportRequest{Format: "csv", Filename: "big.csv", Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		if got := tc.chunks.Load(); got != 3 {
			t.Errorf("%d bulk transactions, want 3 chunks", got)
		}
		if rep.Key != "IMP-1" || rep.Status != cmdb.ImportDone || rep.AppliedThrough != total ||
			rep.Created != total-2 || rep.Updated != 1 || rep.Rejected != 1 {
			t.Fatalf("report %+v", rep)
		}
		if row := rowOf(rep, conflicting); len(row.Conflict) != 2 || fmt.Sprint(keptRows(rep)) != fmt.Sprint([]int{conflicting}) {
			t.Errorf("kept rows %v, conflict row %+v", keptRows(rep), row)
		}
		if h1 := e.ciHolding(t, "h-1"); fmt.Sprint(h1.Tags) != "[seen-twice]" || h1.Version != 2 {
			t.Errorf("h-1 after a later chunk updated it: %+v", h1)
		}
		if n := e.count("cis"); n != total-2 {
			t.Errorf("%d CIs", n)
		}
		if n := len(e.auditFor(cmdb.AuditKindImport, "IMP-1")); n != 1 {
			t.Errorf("%d audit entries for the import, want 1", n)
		}
		if n := e.count("imports"); n != 1 {
			t.Errorf("%d imports stored, want one", n)
		}
	})
}

func TestImportThatFailsPartWayKeepsWhatItApplied(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				boom := errors.New("disk on fire")
				svc := cmdb.NewService(&chunkCounter{Transactor: bind(e.db), failAt: 2, err: boom})
				c := e.chunkRows(t)
				total := 2*c + c/2
				req := cmdb.ImportRequest{Format: "csv", Candidates: hosts(total), Strict: strict}
				rep, err := svc.Import(e.ctx, e.admin, req)
				if !errors.Is(err, boom) {
					t.Fatalf("err = %v, want the failure that stopped it", err)
				}
				// Applied up to the last row of the first chunk, nothing of the second.
				if rep.Key != "IMP-1" || rep.Status != cmdb.ImportFailed || rep.AppliedThrough != c || rep.Created != c ||
					rep.Error == "" {
					t.Fatalf("report %+v", rep)
				}
				if n := e.count("cis"); n != c {
					t.Errorf("%d CIs, want the first chunk's %d", n, c)
				}
				stored, err := e.svc.FindImport(e.ctx, e.admin, "IMP-1", "", 0)
				if err != nil || stored.Status != cmdb.ImportFailed || stored.AppliedThrough != c || stored.Created != c ||
					stored.Error != "internal error; the server log has the details" {
					t.Errorf("stored report %+v, %v", stored, err)
				}
				if entries := e.auditFor(cmdb.AuditKindImport, "IMP-1"); len(entries) != 1 || jsonField(t, entries[0].After, "status") != "failed" {
					t.Errorf("import audit %+v", entries)
				}
				// Imports are idempotent: running the file again finishes it.
				again, err := e.svc.Import(e.ctx, e.admin, req)
				if err != nil || again.Unchanged != c || again.Created != total-c || again.Status != cmdb.ImportDone {
					t.Fatalf("second run %+v, %v", again, err)
				}
			})
		})
	}
}

func TestStrictImportChecksEveryRowBeforeWriting(t *testing.T) {
	scratches := []struct {
		name string
		with func(*cmdb.Service) *cmdb.Service
	}{
		{"in memory", func(s *cmdb.Service) *cmdb.Service { return s }},
		{"on disk", func(s *cmdb.Service) *cmdb.Service { return s.WithScratch(cmdbstore.OpenScratch) }},
	}
	for _, sc := range scratches {
		t.Run(sc.name, func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				existing := e.mustCreate(cmdb.CI{Name: "old", Kind: cmdb.KindServer, Identifiers: cmdb.Identifiers{Hostnames: []string{"old"}, Serial: "SN-OLD"}})
				c := e.chunkRows(t)
				total := 2*c + c/2
				cands := hosts(total)
				// Rejections that only the rows of earlier chunks explain:
				// row 1 gives h-1 a serial, a row of the second chunk
				// another one; rows 3 and 5 create two CIs that a row of
				// the third chunk names both of.
				reserial, conflicting := c+c/2, 2*c+c/8
				cands[0].Identifiers.Serial = "SN-1"
				cands[reserial-1] = cmdb.Candidate{Row: reserial, Identifiers: cmdb.Identifiers{Hostnames: []string{"h-1"}, Serial: "SN-2"}}
				cands[conflicting-1] = cmdb.Candidate{Row: conflicting, Identifiers: cmdb.Identifiers{Hostnames: []string{"h-3", "h-5"}}}
				// A row of the second chunk adds a host name to the CMDB's
				// "old" CI, and a row of the third finds it there by that
				// name, with the same serial: not a rejection.
				alias, aliased := c+c/4, 2*c+c/4
				cands[alias-1] = cmdb.Candidate{Row: alias, Identifiers: cmdb.Identifiers{Hostnames: []string{"old", "old-alias"}}}
				cands[aliased-1] = cmdb.Candidate{Row: aliased, Identifiers: cmdb.Identifiers{Hostnames: []string{"old-alias"}, Serial: "SN-OLD"}}
				svc := sc.with(cmdb.NewService(bind(e.db)))
				strict := cmdb.ImportRequest{Format: "csv", Candidates: cands, Strict: true}
				rep, err := svc.Import(e.ctx, e.admin, strict)
				wantKind(t, err, errs.Invalid)
				want := fmt.Sprint([]int{reserial, conflicting})
				if rep.Key != "" || rep.Rejected != 2 || fmt.Sprint(keptRows(rep)) != want || rep.Total() != total {
					t.Fatalf("refusal %+v", rep)
				}
				if !hasField(err, fmt.Sprintf("row %d: identifiers.serial", reserial)) || !hasField(err, fmt.Sprintf("row %d: identifiers", conflicting)) {
					t.Errorf("err = %v", err)
				}
				// Only what was there before: one CI and its audit entry.
				for table, want := range map[string]int{"imports": 0, "cis": 1, "audit_log": 1} {
					if n := e.count(table); n != want {
						t.Errorf("%s has %d rows after a refused strict import, want %d", table, n, want)
					}
				}
				// Without strict the same rows are rejected while applying:
				// the check decides as the apply does.
				strict.Strict = false
				rep, err = svc.Import(e.ctx, e.admin, strict)
				if err != nil || fmt.Sprint(keptRows(rep)) != want || rep.Updated != 1 || rep.Unchanged != 1 {
					t.Fatalf("non-strict %+v, %v", rep, err)
				}
				if got := e.ciHolding(t, "old-alias"); got.Key != existing.Key {
					t.Errorf("old-alias is on %s, want %s", got.Key, existing.Key)
				}
			})
		})
	}
}

func TestImportReportRowsArePaged(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var cands []cmdb.Candidate
		for i := 1; i <= 7; i++ {
			cands = append(cands, host(2*i-1, fmt.Sprintf("ok-%d", i), ""), cmdb.Candidate{Row: 2 * i, Fields: cmdb.Update{Name: ptr("nameless")}})
		}
		rep, err := e.svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "json", Candidates: cands})
		if err != nil || rep.Rejected != 7 || len(rep.Rows) != 7 || rep.NextCursor != "" {
			t.Fatalf("report %+v, %v", rep, err)
		}
		var rows []int
		cursor := ""
		for pages := 0; ; pages++ {
			page, err := e.svc.FindImport(e.ctx, e.agent, rep.Key, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, keptRows(page)...)
			if cursor = page.NextCursor; cursor == "" {
				if pages != 2 {
					t.Errorf("%d pages of 3 for 7 rows", pages+1)
				}
				break
			}
		}
		if !slices.Equal(rows, []int{2, 4, 6, 8, 10, 12, 14}) {
			t.Errorf("paged rows %v", rows)
		}
		_, err = e.svc.FindImport(e.ctx, e.agent, rep.Key, "not-a-cursor", 3)
		wantKind(t, err, errs.Invalid)
	})
}

// failFinish fails the import's last write transaction, as a server that
// stopped before it could close the report would leave it.
type failFinish struct {
	cmdb.Transactor
	calls atomic.Int32
}

func (f *failFinish) InTx(ctx context.Context, fn func(cmdb.Tx) error) error {
	if f.calls.Add(1) == 2 { // the first opens the report, the second closes it
		return errors.New("server stopped")
	}
	return f.Transactor.InTx(ctx, fn)
}

func TestImportWhoseServerStoppedIsReportedInterrupted(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		svc := cmdb.NewService(&failFinish{Transactor: bind(e.db)})
		if _, err := svc.Import(e.ctx, e.admin, cmdb.ImportRequest{Format: "csv", Candidates: hosts(3)}); err == nil {
			t.Fatal("the import could not be closed, yet it succeeded")
		}
		rep, err := e.svc.FindImport(e.ctx, e.admin, "IMP-1", "", 0)
		if err != nil || rep.Status != cmdb.ImportRunning || rep.AppliedThrough != 3 {
			t.Fatalf("fresh report %+v, %v", rep, err)
		}
		e.clk.Advance(11 * time.Minute)
		rep, _ = e.svc.FindImport(e.ctx, e.admin, "IMP-1", "", 0)
		list, _, _ := e.svc.FindImports(e.ctx, e.admin, "", 0)
		if rep.Status != cmdb.ImportInterrupted || len(list) != 1 || list[0].Status != cmdb.ImportInterrupted {
			t.Errorf("after 11 idle minutes: report %s, list %+v", rep.Status, list)
		}
	})
}
