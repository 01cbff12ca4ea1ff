package vulnstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// FindByIdentityUnscoped returns the stored findings with these identity
// keys.
func (s *vulnStore) FindByIdentityUnscoped(ctx context.Context, identities []string) (map[string]vuln.Stored, error) {
	out := make(map[string]vuln.Stored, len(identities))
	err := eachIn(ctx, s.tx, `SELECT id, key, identity, state, content, first_seen_at FROM findings WHERE identity IN %s`, nil, identities,
		func(sc store.Scanner) error {
			var f vuln.Stored
			var identity, state string
			if err := sc.Scan(&f.ID, &f.Key, &identity, &state, &f.Content, store.ScanTime(&f.FirstSeen)); err != nil {
				return err
			}
			f.State = vuln.State(state)
			out[identity] = f
			return nil
		})
	return out, err
}

// findingColumns are the columns an import writes, in findingValues'
// order.
var findingColumns = []string{"key", "identity", "target_id", "kind", "identifier", "package", "installed_version",
	"fixed_version", "path", "line", "endpoint", "scanner", "severity", "title", "cvss_version", "cvss_vector",
	"cvss_score", "epss", "kev", "kev_due_at", "risk_score", "priority", "priority_rank", "priority_reasons", "state",
	"due_at", "due_source", "first_seen_at", "last_seen_at", "fixed_at", "updated_at", "content", "data"}

func findingValues(dst []any, w *vuln.Write) []any {
	f := w.Finding
	var epss any
	if w.EPSS != nil {
		epss = w.EPSS.Probability
	}
	var kevDue store.At
	if w.KEV != nil {
		kevDue = store.At(w.KEV.DueDate)
	}
	var due store.At
	dueSource := ""
	if w.Due != nil {
		due, dueSource = store.At(w.Due.At), w.Due.Source
	}
	return append(dst, w.Key, w.Identity, w.TargetID, string(f.Kind), f.Identifier, f.Package, f.InstalledVersion,
		f.FixedVersion, f.Path, f.Line, f.Endpoint, f.Scanner, string(f.Severity), clip(f.Title, 500), w.Primary.Version, w.Primary.Vector,
		nullFloat(w.Primary.Score), epss, w.KEV != nil, kevDue, w.Ranking.Score, string(w.Ranking.Priority),
		vuln.PriorityRank(w.Ranking.Priority), string(w.RankingJSON), string(w.State),
		due, dueSource, store.At(w.FirstSeen), store.At(w.LastSeen), store.AtPtr(w.FixedAt), store.At(w.UpdatedAt), w.Content, string(w.Data))
}

// InsertFindings stores new findings with their CVEs and sets their ids.
func (s *vulnStore) InsertFindings(ctx context.Context, ws []*vuln.Write) error {
	byIdentity := make(map[string]*vuln.Write, len(ws))
	for _, w := range ws {
		byIdentity[w.Identity] = w
	}
	in := s.tx.NewInserter("findings", findingColumns, &store.IDSink{
		Returning: " RETURNING id, identity",
		Scan: func(sc store.Scanner) error {
			var id int64
			var identity string
			if err := sc.Scan(&id, &identity); err != nil {
				return err
			}
			if w := byIdentity[identity]; w != nil {
				w.ID = id
			}
			return nil
		},
		Set: func(i int, id int64) { ws[i].ID = id },
	})
	defer in.Close()
	if err := in.Run(ctx, len(ws), func(i int, dst []any) []any { return findingValues(dst, ws[i]) }); err != nil {
		return err
	}
	return s.insertCVEs(ctx, ws)
}

func (s *vulnStore) insertCVEs(ctx context.Context, ws []*vuln.Write) error {
	type row struct {
		cve string
		id  int64
	}
	var rows []row
	for _, w := range ws {
		for _, c := range w.CVEs {
			rows = append(rows, row{c, w.ID})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	in := s.tx.NewInserter("finding_cves", []string{"cve", "finding_id"}, nil)
	defer in.Close()
	return in.Run(ctx, len(rows), func(i int, dst []any) []any { return append(dst, rows[i].cve, rows[i].id) })
}

// UpdateFindings writes each finding over its row and replaces its CVEs.
func (s *vulnStore) UpdateFindings(ctx context.Context, ws []*vuln.Write) error {
	set := ""
	for i, c := range findingColumns[2:] {
		if i > 0 {
			set += ", "
		}
		set += c + " = $" + strconv.Itoa(i+1)
	}
	st, err := s.tx.Prepare(ctx, `UPDATE findings SET `+set+` WHERE id = $`+strconv.Itoa(len(findingColumns)-1))
	if err != nil {
		return err
	}
	defer st.Close()
	ids := make([]int64, len(ws))
	for i, w := range ws {
		args := findingValues(make([]any, 0, len(findingColumns)+1), w)[2:]
		if _, err := st.ExecContext(ctx, append(args, w.ID)...); err != nil {
			return store.MapError(err)
		}
		ids[i] = w.ID
	}
	err = store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		_, err := s.tx.Exec(ctx, `DELETE FROM finding_cves WHERE finding_id IN `+store.InList(&q, part), q.Args()...)
		return err
	})
	if err != nil {
		return err
	}
	return s.insertCVEs(ctx, ws)
}

// ActiveFindingsUnscoped lists the active findings of a target by scanner.
func (s *vulnStore) ActiveFindingsUnscoped(ctx context.Context, targetID int64, scanner string) ([]vuln.ActiveFinding, error) {
	rows, err := s.tx.Query(ctx, `SELECT id, identity FROM findings WHERE target_id = $1 AND scanner = $2
		AND state IN ('open', 'in_remediation', 'reopened')`, targetID, scanner)
	if err != nil {
		return nil, err
	}
	return store.Collect(rows, func(sc store.Scanner) (vuln.ActiveFinding, error) {
		var a vuln.ActiveFinding
		err := sc.Scan(&a.ID, &a.Identity)
		return a, err
	})
}

// MarkFixed fixes the findings.
func (s *vulnStore) MarkFixed(ctx context.Context, ids []int64, at time.Time) error {
	return store.Batches(ids, s.tx.InBatch(), func(part []int64) error {
		q := s.tx.ListQuery()
		a, b := q.Arg(store.At(at)), q.Arg(store.At(at))
		_, err := s.tx.Exec(ctx, `UPDATE findings SET state = 'fixed', fixed_at = `+a+`, updated_at = `+b+` WHERE id IN `+store.InList(&q, part), q.Args()...)
		return err
	})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// SetState writes a finding's state and decision.
func (s *vulnStore) SetState(ctx context.Context, id int64, st vuln.State, d vuln.Decision, at time.Time) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("decision: %w", err)
	}
	_, err = s.tx.Exec(ctx, `UPDATE findings SET state = $1, decision = $2, exception_expires_at = $3, updated_at = $4 WHERE id = $5`,
		string(st), string(b), store.AtPtr(d.ExpiresAt), store.At(at), id)
	return err
}

// ExpiredExceptionsUnscoped lists risk-accepted findings whose acceptance
// has ended.
func (s *vulnStore) ExpiredExceptionsUnscoped(ctx context.Context, now time.Time, limit int) ([]vuln.Stored, error) {
	rows, err := s.tx.Query(ctx, `SELECT id, key FROM findings WHERE exception_expires_at <= $1 AND state = 'risk_accepted'
		ORDER BY exception_expires_at, id LIMIT `+strconv.Itoa(limit), store.At(now))
	if err != nil {
		return nil, err
	}
	return store.Collect(rows, func(sc store.Scanner) (vuln.Stored, error) {
		var f vuln.Stored
		err := sc.Scan(&f.ID, &f.Key)
		return f, err
	})
}

// FindByCVEsUnscoped returns the findings, fixed ones aside, about the
// CVEs: by identifier, or by the CVEs kept beside it.
func (s *vulnStore) FindByCVEsUnscoped(ctx context.Context, cves []string) ([]vuln.Ranked, error) {
	var out []vuln.Ranked
	seen := map[int64]bool{}
	scan := func(sc store.Scanner) error {
		var r vuln.Ranked
		var state, priority, data string
		if err := sc.Scan(&r.ID, &r.Key, &r.Identity, &r.TargetID, &r.CIID, &state, &priority, &r.Content,
			store.ScanTime(&r.FirstSeen), &data); err != nil {
			return err
		}
		if seen[r.ID] {
			return nil
		}
		seen[r.ID] = true
		r.State, r.Priority = vuln.State(state), vuln.Priority(priority)
		if err := json.Unmarshal([]byte(data), &r.Finding); err != nil {
			return fmt.Errorf("finding %s data: %w", r.Key, err)
		}
		out = append(out, r)
		return nil
	}
	const cols = `SELECT f.id, f.key, f.identity, f.target_id, COALESCE(t.ci_id, 0), f.state, f.priority, f.content, f.first_seen_at, f.data
		FROM findings f JOIN finding_targets t ON t.id = f.target_id`
	if err := eachIn(ctx, s.tx, cols+` WHERE f.state <> 'fixed' AND f.identifier IN %s`, nil, cves, scan); err != nil {
		return nil, err
	}
	err := eachIn(ctx, s.tx, cols+` WHERE f.state <> 'fixed' AND f.id IN (SELECT finding_id FROM finding_cves WHERE cve IN %s)`, nil, cves, scan)
	return out, err
}

// UpdateRankings writes each finding's ranking, threat and due date.
func (s *vulnStore) UpdateRankings(ctx context.Context, ws []*vuln.Write) error {
	st, err := s.tx.Prepare(ctx, `UPDATE findings SET epss = $1, kev = $2, kev_due_at = $3, risk_score = $4, priority = $5,
		priority_rank = $6, priority_reasons = $7, due_at = $8, due_source = $9, content = $10, updated_at = $11 WHERE id = $12`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, w := range ws {
		v := findingValues(make([]any, 0, len(findingColumns)), w)
		col := func(name string) any { return v[slices.Index(findingColumns, name)] }
		if _, err := st.ExecContext(ctx, col("epss"), col("kev"), col("kev_due_at"), col("risk_score"), col("priority"),
			col("priority_rank"), col("priority_reasons"), col("due_at"), col("due_source"), col("content"), col("updated_at"), w.ID); err != nil {
			return store.MapError(err)
		}
	}
	return nil
}
