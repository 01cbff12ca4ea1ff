package cmdb_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/cmdb/cmdbtest"
	"github.com/rampart-itsm/rampart/internal/storetest"
)

type timedStore struct {
	cmdb.Store
	d map[string]time.Duration
}

func (s *timedStore) since(n string, t time.Time) { s.d[n] += time.Since(t) }
func (s *timedStore) MatchIdentifiers(ctx context.Context, v []cmdb.IdentifierValue) ([]cmdb.IdentifierMatch, error) {
	defer s.since("match", time.Now())
	return s.Store.MatchIdentifiers(ctx, v)
}
func (s *timedStore) FindCIsByID(ctx context.Context, ids []int64) (map[int64]*cmdb.CI, error) {
	defer s.since("find", time.Now())
	return s.Store.FindCIsByID(ctx, ids)
}
func (s *timedStore) InsertCIs(ctx context.Context, cis []*cmdb.CI) error {
	defer s.since("insert", time.Now())
	return s.Store.InsertCIs(ctx, cis)
}
func (s *timedStore) UpdateCIs(ctx context.Context, c []cmdb.CIChange) error {
	defer s.since("update", time.Now())
	return s.Store.UpdateCIs(ctx, c)
}

type timedTx struct {
	cmdb.Tx
	s *timedStore
}

func (t timedTx) CMDB() cmdb.Store { t.s.Store = t.Tx.CMDB(); return t.s }

type timedT struct {
	inner cmdb.Transactor
	s     *timedStore
}

func (t timedT) InTx(ctx context.Context, fn func(cmdb.Tx) error) error {
	return t.inner.InTx(ctx, func(tx cmdb.Tx) error { return fn(timedTx{tx, t.s}) })
}
func (t timedT) View(ctx context.Context, fn func(cmdb.Tx) error) error {
	return t.inner.View(ctx, func(tx cmdb.Tx) error { return fn(timedTx{tx, t.s}) })
}

func TestZZTiming(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	ctx := context.Background()
	db := storetest.Open(t, os.Getenv("ZZ"))
	ts := &timedStore{d: map[string]time.Duration{}}
	svc := cmdb.NewService(timedT{bind(db), ts})
	for i, env := range []string{"production", "production", "staging"} {
		ts.d = map[string]time.Duration{}
		st := time.Now()
		rep, err := svc.Import(ctx, auth.System, cmdb.ImportRequest{Format: "csv", Candidates: cmdbtest.CSVCandidates(0, 10000, env)})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("run %d: total %v %v created %d updated %d", i, time.Since(st), ts.d, rep.Created, rep.Updated)
	}
}
