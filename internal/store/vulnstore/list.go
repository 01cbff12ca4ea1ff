package vulnstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// findingVisibility: findings are all or nothing by role.
var findingVisibility = store.Columns{Kind: auth.KindFinding}

// findingFrom joins a finding to its target, the target's CI and the last
// scan of the target by the finding's scanner (which is when an active
// finding was last seen).
const findingFrom = `findings f JOIN finding_targets t ON t.id = f.target_id LEFT JOIN cis c ON c.id = t.ci_id
	LEFT JOIN finding_scans s ON s.target_id = f.target_id AND s.scanner = f.scanner`

const findingSelect = `SELECT f.id, f.key, COALESCE(c.key, ''), t.key, t.name, f.kind, f.identifier, f.package,
	f.installed_version, f.fixed_version, f.path, f.line, f.endpoint, f.scanner, f.severity, f.title, f.cvss_version,
	f.cvss_vector, f.cvss_score, f.epss, f.kev, f.kev_due_at, f.risk_score, f.priority, f.priority_reasons, f.state,
	f.due_at, f.due_source, f.first_seen_at, f.last_seen_at, s.scanned_at, f.fixed_at, f.updated_at, f.priority_rank, f.decision`

func scanFinding(sc store.Scanner, extra ...any) (vuln.Record, int, error) {
	var r vuln.Record
	var kind, severity, priority, ranking, state string
	var score, epss sql.NullFloat64
	var kevDue, scanned *time.Time
	var kev bool
	var rank int
	var decision string
	dst := []any{&r.ID, &r.Key, &r.CI, &r.Target, &r.TargetName, &kind, &r.Identifier, &r.Package,
		&r.InstalledVersion, &r.FixedVersion, &r.Path, &r.Line, &r.Endpoint, &r.Scanner, &severity, &r.Title, new(string),
		new(string), &score, &epss, &kev, store.ScanTimePtr(&kevDue), &r.RiskScore, &priority, &ranking, &state,
		store.ScanTimePtr(&r.DueAt), &r.DueSource, store.ScanTime(&r.FirstSeen), store.ScanTime(&r.LastSeen),
		store.ScanTimePtr(&scanned), store.ScanTimePtr(&r.FixedAt), store.ScanTime(&r.UpdatedAt), &rank, &decision}
	// cvss version and vector go to their own strings, read back below.
	version, vector := dst[16].(*string), dst[17].(*string)
	if err := sc.Scan(append(dst, extra...)...); err != nil {
		return r, 0, store.MapError(err)
	}
	r.Kind, r.Severity, r.Priority, r.State = vuln.Kind(kind), vuln.Severity(severity), vuln.Priority(priority), vuln.State(state)
	if *vector != "" {
		r.CVSS = &vuln.CVSSRef{Version: *version, Vector: *vector}
		if score.Valid {
			v := score.Float64
			r.CVSS.Score = &v
		}
	}
	if epss.Valid {
		v := epss.Float64
		r.EPSS = &v
	}
	if kev {
		r.KEV = &vuln.KEVRef{}
		if kevDue != nil {
			r.KEV.DueDate = *kevDue
		}
	}
	var rk vuln.Ranking
	if err := json.Unmarshal([]byte(ranking), &rk); err != nil {
		return r, 0, fmt.Errorf("finding %s ranking: %w", r.Key, err)
	}
	r.PriorityReasons = rk.Reasons
	if decision != "" && decision != "{}" {
		r.Decision = &vuln.Decision{}
		if err := json.Unmarshal([]byte(decision), r.Decision); err != nil {
			return r, 0, fmt.Errorf("finding %s decision: %w", r.Key, err)
		}
	}
	if r.State.Active() && scanned != nil && scanned.After(r.LastSeen) {
		r.LastSeen = *scanned
	}
	r.CVEs = []string{}
	if vuln.IsCVE(r.Identifier) {
		r.CVEs = append(r.CVEs, r.Identifier)
	}
	return r, rank, nil
}

// filter adds f's conditions (not the cursor) to q.
func filter(q *store.Query, f vuln.Filter, v auth.Visibility) {
	q.And(store.Visible(q, v, findingVisibility))
	if f.CI != "" {
		q.And("t.ci_id = (SELECT id FROM cis WHERE key = " + q.Arg(f.CI) + ")")
	}
	if len(f.Priority) > 0 {
		ranks := make([]int, len(f.Priority))
		for i, p := range f.Priority {
			ranks[i] = vuln.PriorityRank(p)
		}
		q.And("f.priority_rank IN " + store.InList(q, ranks))
	}
	if len(f.State) > 0 {
		q.And("f.state IN " + store.InList(q, strs(f.State)))
	}
	if f.KEV != nil {
		q.And("f.kev = " + q.Arg(*f.KEV))
	}
	if f.CVE != "" {
		q.And("(f.identifier = " + q.Arg(f.CVE) + " OR f.id IN (SELECT finding_id FROM finding_cves WHERE cve = " + q.Arg(f.CVE) + "))")
	}
	if f.UpdatedSince != nil {
		q.And("f.updated_at >= " + q.Arg(store.At(*f.UpdatedSince)))
	}
}

// FindFindings returns one page of findings, highest priority first.
func (s *vulnStore) FindFindings(ctx context.Context, f vuln.Filter, v auth.Visibility) (vuln.Page, error) {
	var page vuln.Page
	var q store.Query
	filter(&q, f, v)
	if f.Cursor != "" {
		var rank int
		var id int64
		if err := store.DecodeCursor(f.Cursor, &rank, &id); err != nil {
			return page, err
		}
		r, i := q.Arg(rank), q.Arg(id)
		q.And("(f.priority_rank > " + r + " OR (f.priority_rank = " + q.Arg(rank) + " AND f.id > " + i + "))")
	}
	rows, err := s.tx.Query(ctx, findingSelect+` FROM `+findingFrom+q.Where()+
		` ORDER BY f.priority_rank, f.id LIMIT `+strconv.Itoa(f.Limit+1), q.Args()...)
	if err != nil {
		return page, err
	}
	var ranks []int
	err = store.EachRow(rows, func(sc store.Scanner) error {
		r, rank, err := scanFinding(sc)
		page.Items = append(page.Items, r)
		ranks = append(ranks, rank)
		return err
	})
	if err != nil {
		return page, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = store.EncodeCursor(ranks[f.Limit-1], last.ID)
	}
	if err := s.addCVEs(ctx, page.Items); err != nil {
		return page, err
	}
	var cq store.Query
	filter(&cq, f, v)
	from := "findings f"
	if f.CI != "" {
		from = "findings f JOIN finding_targets t ON t.id = f.target_id"
	}
	page.Total, page.TotalCapped, err = s.tx.CountCapped(ctx, from, &cq)
	return page, err
}

// addCVEs adds the CVEs kept beside the identifier.
func (s *vulnStore) addCVEs(ctx context.Context, rs []vuln.Record) error {
	if len(rs) == 0 {
		return nil
	}
	at := make(map[int64]int, len(rs))
	ids := make([]int64, len(rs))
	for i, r := range rs {
		at[r.ID], ids[i] = i, r.ID
	}
	return eachIn(ctx, s.tx, `SELECT finding_id, cve FROM finding_cves WHERE finding_id IN %s ORDER BY cve`, nil, ids,
		func(sc store.Scanner) error {
			var id int64
			var cve string
			if err := sc.Scan(&id, &cve); err != nil {
				return err
			}
			rs[at[id]].CVEs = append(rs[at[id]].CVEs, cve)
			return nil
		})
}

// FindFindingByKey returns one finding with its detail.
func (s *vulnStore) FindFindingByKey(ctx context.Context, key string, v auth.Visibility) (vuln.Record, error) {
	var q store.Query
	q.And("f.key = " + q.Arg(key))
	q.And(store.Visible(&q, v, findingVisibility))
	var data string
	r, _, err := scanFinding(s.tx.QueryRow(ctx, findingSelect+`, f.data FROM `+findingFrom+q.Where(), q.Args()...), &data)
	if err != nil {
		return r, err
	}
	var d vuln.Finding
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return r, fmt.Errorf("finding %s data: %w", r.Key, err)
	}
	r.Detail = &d
	rs := []vuln.Record{r}
	err = s.addCVEs(ctx, rs)
	return rs[0], err
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// FindRemediations groups active findings per CI (or target) and fix.
func (s *vulnStore) FindRemediations(ctx context.Context, ci string, limit int, v auth.Visibility) ([]vuln.Remediation, error) {
	var q store.Query
	q.And(store.Visible(&q, v, findingVisibility))
	q.And("f.state IN ('open', 'in_remediation', 'reopened')")
	if ci != "" {
		q.And("t.ci_id = (SELECT id FROM cis WHERE key = " + q.Arg(ci) + ")")
	}
	const ident = "CASE WHEN f.package = '' THEN f.identifier ELSE '' END"
	const asset = "COALESCE(c.key, '')"
	const target = "CASE WHEN c.key IS NULL THEN t.key ELSE '' END"
	rows, err := s.tx.Query(ctx, `SELECT `+asset+`, `+target+`, COALESCE(g.name, ''), f.package, f.fixed_version, `+ident+`,
			COUNT(*), MIN(f.priority_rank), MIN(f.due_at)
		FROM findings f JOIN finding_targets t ON t.id = f.target_id LEFT JOIN cis c ON c.id = t.ci_id
			LEFT JOIN teams g ON g.id = c.support_group_id`+q.Where()+`
		GROUP BY `+asset+`, `+target+`, COALESCE(g.name, ''), f.package, f.fixed_version, `+ident+`
		ORDER BY MIN(f.priority_rank), MIN(f.due_at), 1, 2, 4, 6 LIMIT `+strconv.Itoa(limit), q.Args()...)
	if err != nil {
		return nil, err
	}
	return store.Collect(rows, func(sc store.Scanner) (vuln.Remediation, error) {
		var r vuln.Remediation
		var rank int
		err := sc.Scan(&r.CI, &r.Target, &r.SupportGroup, &r.Package, &r.FixedVersion, &r.Identifier, &r.Findings, &rank, store.ScanTimePtr(&r.DueAt))
		r.Priority = vuln.Priorities[min(max(rank, 1), 5)-1]
		return r, err
	})
}

// CountActive counts active findings per priority.
func (s *vulnStore) CountActive(ctx context.Context, now time.Time, v auth.Visibility) (map[vuln.Priority]vuln.PriorityCount, error) {
	var q store.Query
	due := q.Arg(store.At(now))
	q.And(store.Visible(&q, v, findingVisibility))
	q.And("f.state IN ('open', 'in_remediation', 'reopened')")
	rows, err := s.tx.Query(ctx, `SELECT f.priority_rank, COUNT(*),
			SUM(CASE WHEN f.due_at <= `+due+` THEN 1 ELSE 0 END), SUM(CASE WHEN f.kev THEN 1 ELSE 0 END)
		FROM findings f`+q.Where()+` GROUP BY f.priority_rank`, q.Args()...)
	if err != nil {
		return nil, err
	}
	out := map[vuln.Priority]vuln.PriorityCount{}
	err = store.EachRow(rows, func(sc store.Scanner) error {
		var rank int
		var c vuln.PriorityCount
		if err := sc.Scan(&rank, &c.Active, &c.Overdue, &c.KEV); err != nil {
			return err
		}
		c.Priority = vuln.Priorities[min(max(rank, 1), 5)-1]
		out[c.Priority] = c
		return nil
	})
	return out, err
}

// EachSince streams first-seen and fixed times of recent findings.
func (s *vulnStore) EachSince(ctx context.Context, since time.Time, v auth.Visibility, fn func(first time.Time, fixed *time.Time)) error {
	var q store.Query
	at := q.Arg(store.At(since))
	q.And(store.Visible(&q, v, findingVisibility))
	q.And("(f.first_seen_at >= " + at + " OR f.fixed_at >= " + at + ")")
	rows, err := s.tx.Query(ctx, `SELECT f.first_seen_at, f.fixed_at FROM findings f`+q.Where(), q.Args()...)
	if err != nil {
		return err
	}
	return store.EachRow(rows, func(sc store.Scanner) error {
		var first time.Time
		var fixed *time.Time
		if err := sc.Scan(store.ScanTime(&first), store.ScanTimePtr(&fixed)); err != nil {
			return err
		}
		fn(first, fixed)
		return nil
	})
}
