package cmdb

import (
	"context"
	"slices"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Scratch is where a strict import's check keeps what the rows it has
// decided would do to the CMDB, so the next chunk is decided as the apply
// will decide it, against the CMDB plus the file's earlier rows, without
// writing to the CMDB and without holding the whole file in memory. New
// CIs are kept under negative ids; a CMDB CI an earlier row would change
// is kept, changed, under its own id, with every identifier it would hold.
type Scratch interface {
	// Holders returns, for each given identifier a kept CI holds, that
	// CI's id.
	Holders(ctx context.Context, ids []IdentifierValue) (map[IdentifierValue]int64, error)
	// CIs returns the kept CIs with the given ids.
	CIs(ctx context.Context, ids []int64) (map[int64]*CI, error)
	// Put keeps each CI under its ID, replacing what was kept there, with
	// its identifiers.
	Put(ctx context.Context, cis []*CI) error
	// Close discards everything kept.
	Close() error
}

// WithScratch makes strict imports keep their check's state in scratch
// areas that open returns (the server's keeps them on disk, so memory
// stays flat whatever the size of the file), instead of in memory.
func (s *Service) WithScratch(open func() (Scratch, error)) *Service {
	s.scratch = open
	return s
}

// checkImport decides every row of a strict import in file order, chunk by
// chunk as the apply will, each chunk in a read-only transaction of its
// own, and writes nothing to the CMDB. It returns the report the import
// would have, with Rows listing rejected rows (at most maxRefusedRows;
// the counts cover all). An error means the file or the database could
// not be read.
func (s *Service) checkImport(ctx context.Context, p auth.Principal, src func(func(Candidate) error) error, size int, rep ImportReport) (ImportReport, error) {
	open := s.scratch
	if open == nil {
		open = newMemScratch
	}
	sc, err := open()
	if err != nil {
		return ImportReport{}, err
	}
	defer sc.Close()
	var next int64 // the last id given to a CI the file would create
	err = eachChunk(src, size, func(chunk []Candidate) error {
		return s.t.View(ctx, func(tx Tx) error {
			rc := newReconciler(tx.CMDB(), p, rep.fieldSource(), len(chunk))
			rc.scratch = sc
			if err := rc.prepare(ctx, chunk); err != nil {
				return err
			}
			rc.reconcile()
			for _, row := range rc.rows {
				rep.count(row)
				if row.Action == ActionRejected && len(rep.Rows) < maxRefusedRows {
					rep.Rows = append(rep.Rows, row)
				}
			}
			var keep []*CI
			for _, w := range rc.works {
				switch {
				case w.before == nil:
					next--
					w.ci.ID = next
				case sameContent(w.before, w.ci):
					continue
				}
				keep = append(keep, w.ci)
			}
			return sc.Put(ctx, keep)
		})
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// memScratch is a Scratch in memory, for services built without one (tests,
// tools): it grows with the file.
type memScratch struct {
	holder map[IdentifierValue]int64
	cis    map[int64]*CI
}

func newMemScratch() (Scratch, error) {
	return &memScratch{holder: map[IdentifierValue]int64{}, cis: map[int64]*CI{}}, nil
}

func (m *memScratch) Holders(_ context.Context, ids []IdentifierValue) (map[IdentifierValue]int64, error) {
	out := map[IdentifierValue]int64{}
	for _, v := range ids {
		if id, ok := m.holder[v]; ok {
			out[v] = id
		}
	}
	return out, nil
}

func (m *memScratch) CIs(_ context.Context, ids []int64) (map[int64]*CI, error) {
	out := map[int64]*CI{}
	for _, id := range ids {
		if ci, ok := m.cis[id]; ok {
			cp := *ci
			cp.Identifiers = ci.Identifiers.clone()
			cp.Tags = slices.Clone(ci.Tags)
			out[id] = &cp
		}
	}
	return out, nil
}

func (m *memScratch) Put(_ context.Context, cis []*CI) error {
	for _, ci := range cis {
		cp := *ci
		cp.Identifiers = ci.Identifiers.clone()
		cp.Tags = slices.Clone(ci.Tags)
		m.cis[ci.ID] = &cp
		for _, v := range ci.Identifiers.Values() {
			m.holder[v] = ci.ID
		}
	}
	return nil
}

func (m *memScratch) Close() error { return nil }
