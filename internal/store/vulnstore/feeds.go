package vulnstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// Threats returns the stored KEV entries and EPSS scores of the CVEs.
func (s *vulnStore) Threats(ctx context.Context, cves []string) ([]vuln.KEV, []vuln.EPSS, error) {
	if len(cves) == 0 {
		return nil, nil, nil
	}
	var kevs []vuln.KEV
	err := eachIn(ctx, s.tx, `SELECT data FROM vuln_kev WHERE cve IN %s`, nil, cves, func(sc store.Scanner) error {
		var data string
		if err := sc.Scan(&data); err != nil {
			return err
		}
		var k vuln.KEV
		if err := json.Unmarshal([]byte(data), &k); err != nil {
			return fmt.Errorf("KEV entry: %w", err)
		}
		kevs = append(kevs, k)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var scores []vuln.EPSS
	err = eachIn(ctx, s.tx, `SELECT cve, epss, percentile, model_version, score_date FROM vuln_epss WHERE cve IN %s`, nil, cves,
		func(sc store.Scanner) error {
			var e vuln.EPSS
			var date string
			if err := sc.Scan(&e.CVE, &e.Probability, &e.Percentile, &e.ModelVersion, &date); err != nil {
				return err
			}
			e.ScoreDate, _ = time.Parse(time.DateOnly, date)
			scores = append(scores, e)
			return nil
		})
	return kevs, scores, err
}

// UpsertKEV stores catalogue entries whose stored form differs.
func (s *vulnStore) UpsertKEV(ctx context.Context, entries []vuln.KEV) (int, []string, error) {
	encoded := make([]string, len(entries))
	cves := make([]string, len(entries))
	for i, e := range entries {
		b, err := json.Marshal(e)
		if err != nil {
			return 0, nil, fmt.Errorf("KEV entry %s: %w", e.CVE, err)
		}
		encoded[i], cves[i] = string(b), e.CVE
	}
	stored := map[string]string{}
	err := eachIn(ctx, s.tx, `SELECT cve, data FROM vuln_kev WHERE cve IN %s`, nil, cves, func(sc store.Scanner) error {
		var cve, data string
		err := sc.Scan(&cve, &data)
		stored[cve] = data
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	return s.upsert(ctx, len(entries), func(i int) (string, bool, bool) {
		old, ok := stored[cves[i]]
		return cves[i], !ok, ok && old != encoded[i]
	}, "vuln_kev", []string{"cve", "data", "updated_at"}, func(i int, dst []any) []any {
		return append(dst, cves[i], encoded[i], store.At(s.tx.Now()))
	})
}

// UpsertEPSS stores scores that differ from the stored ones.
func (s *vulnStore) UpsertEPSS(ctx context.Context, scores []vuln.EPSS) (int, []string, error) {
	type row struct {
		p, pct float64
		model  string
		date   string
	}
	cves := make([]string, len(scores))
	rows := make([]row, len(scores))
	for i, e := range scores {
		cves[i] = e.CVE
		rows[i] = row{e.Probability, e.Percentile, e.ModelVersion, ""}
		if !e.ScoreDate.IsZero() {
			rows[i].date = e.ScoreDate.Format(time.DateOnly)
		}
	}
	stored := map[string]row{}
	err := eachIn(ctx, s.tx, `SELECT cve, epss, percentile, model_version, score_date FROM vuln_epss WHERE cve IN %s`, nil, cves,
		func(sc store.Scanner) error {
			var cve string
			var r row
			err := sc.Scan(&cve, &r.p, &r.pct, &r.model, &r.date)
			stored[cve] = r
			return err
		})
	if err != nil {
		return 0, nil, err
	}
	return s.upsert(ctx, len(scores), func(i int) (string, bool, bool) {
		old, ok := stored[cves[i]]
		return cves[i], !ok, ok && old != rows[i]
	}, "vuln_epss", []string{"cve", "epss", "percentile", "model_version", "score_date", "updated_at"}, func(i int, dst []any) []any {
		r := rows[i]
		return append(dst, cves[i], r.p, r.pct, r.model, r.date, store.At(s.tx.Now()))
	})
}

// upsert inserts the rows decide calls new and replaces those it calls
// changed (by deleting and inserting them), leaving the rest alone.
func (s *vulnStore) upsert(ctx context.Context, n int, decide func(i int) (cve string, isNew, changed bool),
	table string, cols []string, values func(i int, dst []any) []any) (int, []string, error) {
	var write []int
	var changed, all []string
	created := 0
	for i := 0; i < n; i++ {
		cve, isNew, ch := decide(i)
		switch {
		case isNew:
			created++
			write = append(write, i)
			all = append(all, cve)
		case ch:
			changed = append(changed, cve)
			write = append(write, i)
			all = append(all, cve)
		}
	}
	err := store.Batches(changed, s.tx.InBatch(), func(part []string) error {
		q := s.tx.ListQuery()
		_, err := s.tx.Exec(ctx, `DELETE FROM `+table+` WHERE cve IN `+store.InList(&q, part), q.Args()...)
		return err
	})
	if err != nil || len(write) == 0 {
		return created, all, err
	}
	in := s.tx.NewInserter(table, cols, nil)
	defer in.Close()
	err = in.Run(ctx, len(write), func(i int, dst []any) []any { return values(write[i], dst) })
	return created, all, err
}
