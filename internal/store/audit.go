package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// auditBuffer collects a unit of work's audit records, their content
// fixed, until commit.
type auditBuffer struct{ pending []audit.Fixed }

// Audit returns the appender services write audit entries through.
func (tx *Tx) Audit() audit.Appender { return &AuditStore{tx: tx} }

// AuditLog returns the audit log for reading and verification.
func (tx *Tx) AuditLog() *AuditStore { return &AuditStore{tx: tx} }

// AuditStore appends to and reads the audit log.
type AuditStore struct{ tx *Tx }

var _ audit.Appender = (*AuditStore)(nil)
var _ audit.Source = (*AuditStore)(nil)

// Append fixes r's content (its states are marshalled now, so a caller
// reusing the struct changes nothing recorded) and buffers it; it is
// chained and written when the unit of work commits.
func (s *AuditStore) Append(r audit.Record) error {
	if s.tx.readOnly {
		return fmt.Errorf("audit append in a read-only transaction")
	}
	f, err := audit.Fix(r)
	if err != nil {
		return err
	}
	s.tx.audit.pending = append(s.tx.audit.pending, f)
	return nil
}

// flushAudit chains and inserts the buffered records, stream by stream in
// a fixed order (so two units never wait for each other's heads).
func (tx *Tx) flushAudit(ctx context.Context) error {
	recs := tx.audit.pending
	if len(recs) == 0 {
		return nil
	}
	tx.audit.pending = nil
	for _, stream := range audit.Streams {
		var of []audit.Fixed
		if stream == audit.StreamGeneral && !slices.ContainsFunc(recs, func(f audit.Fixed) bool { return f.Stream != stream }) {
			of = recs // the common case: no copy
		} else {
			for _, f := range recs {
				if f.Stream == stream {
					of = append(of, f)
				}
			}
		}
		if len(of) > 0 {
			if err := tx.chainStream(ctx, stream, of); err != nil {
				return err
			}
		}
	}
	return nil
}

// chainStream chains recs onto stream's head and inserts them. It locks
// the stream's head row: the one serialisation point every audited write
// to the stream passes. Taking it here, last, keeps the lock for the time
// of a few inserts and the commit, not the whole unit of work.
func (tx *Tx) chainStream(ctx context.Context, stream audit.Stream, recs []audit.Fixed) error {
	var seq int64
	var prev string
	if err := tx.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_heads WHERE stream = $1`+tx.d.ForUpdate, string(stream)).Scan(&seq, &prev); err != nil {
		return chainFailure("lock the chain head", err)
	}
	// Sealing is sequential (each entry hashes the one before), but the
	// database need not wait for all of it: a goroutine seals while this
	// one inserts what is sealed, a block at a time. On a bulk import the
	// two take about as long as each other.
	entries := make([]audit.Entry, len(recs))
	in := tx.NewInserter("audit_log", strings.Split(auditInsertColumns, ", "), nil)
	defer in.Close()
	block := in.perStmt * 64 // whole statements only
	sealed := make(chan int, len(recs)/block+1)
	var sealErr error
	first, at, now := seq+1, prev, tx.now
	go func() {
		defer close(sealed)
		for i, r := range recs {
			e, err := audit.Seal(r, first+int64(i), now, at)
			if err != nil {
				sealErr = err
				return
			}
			entries[i], at = e, e.Hash
			if (i+1)%block == 0 || i == len(recs)-1 {
				sealed <- i + 1
			}
		}
	}()
	// Many entries per statement: on PostgreSQL one round trip per entry
	// would cap a bulk import at a few thousand records per second.
	for start := 0; start < len(entries); {
		end, ok := <-sealed
		if !ok {
			return sealErr
		}
		err := in.Run(ctx, end-start, func(i int, dst []any) []any {
			e := entries[start+i]
			return append(dst, string(e.Stream), e.Seq, At(e.At), e.Actor, e.Action, e.Kind, e.Key, e.Restricted, e.Via,
				Null(string(e.Before)), Null(string(e.After)), Null(string(e.Changes)), e.Format, e.PrevHash, e.Hash)
		})
		if err != nil {
			return chainFailure("append entries", err)
		}
		start = end
	}
	seq += int64(len(entries))
	prev = entries[len(entries)-1].Hash
	if _, err := tx.Exec(ctx, `UPDATE audit_heads SET last_seq = $1, last_hash = $2 WHERE stream = $3`, seq, prev, string(stream)); err != nil {
		return chainFailure("move the chain head", err)
	}
	return nil
}

// chainFailure reports a failed write of the chain's own rows. A busy
// database stays Unavailable (try again); anything else, a duplicate seq
// or a trigger's refusal included, means the log or its head was changed
// outside Rampart: an internal error whose cause is logged, never a
// conflict naming a column the client never sent.
func chainFailure(op string, err error) error {
	err = MapError(err)
	if errs.Is(err, errs.Unavailable) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &errs.Error{Kind: errs.Internal, Message: "audit chain: " + op, Err: err}
}

const (
	auditInsertColumns = `stream, seq, at, actor, action, record_kind, record_key, restricted, via, before_state, after_state, changes, format, prev_hash, hash`
	auditColumns       = `id, ` + auditInsertColumns
)

func scanAuditEntry(sc Scanner) (audit.Entry, error) {
	var e audit.Entry
	var before, after, changes sql.NullString
	var stream string
	err := sc.Scan(&e.ID, &stream, &e.Seq, ScanTime(&e.At), &e.Actor, &e.Action, &e.Kind, &e.Key, &e.Restricted, &e.Via,
		&before, &after, &changes, &e.Format, &e.PrevHash, &e.Hash)
	e.Stream = audit.Stream(stream)
	if before.Valid {
		e.Before = []byte(before.String)
	}
	if after.Valid {
		e.After = []byte(after.String)
	}
	if changes.Valid {
		e.Changes = []byte(changes.String)
	}
	return e, err
}

// EachEntry streams every entry of every stream in the order written (for
// tests and tools; verification reads pages with Entries).
func (s *AuditStore) EachEntry(ctx context.Context, fn func(audit.Entry) error) error {
	rows, err := s.tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return fmt.Errorf("read audit entry: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return MapError(rows.Err())
}

// Entries returns up to limit entries of stream after seq, in seq order.
func (s *AuditStore) Entries(ctx context.Context, stream audit.Stream, after int64, limit int) ([]audit.Entry, error) {
	rows, err := s.tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
		string(stream), after, limit)
	if err != nil {
		return nil, err
	}
	return Collect(rows, scanAuditEntry)
}

// Head returns a stream's head: the last sequence number and hash written.
func (s *AuditStore) Head(ctx context.Context, stream audit.Stream) (int64, string, error) {
	var seq int64
	var hash string
	err := s.tx.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_heads WHERE stream = $1`, string(stream)).Scan(&seq, &hash)
	return seq, hash, MapError(err)
}

// Checkpoint returns where the last verification of stream got to; the
// zero Anchor (of the stream) when none is recorded.
func (s *AuditStore) Checkpoint(ctx context.Context, stream audit.Stream) (audit.Anchor, error) {
	a := audit.Anchor{Stream: stream}
	err := s.tx.QueryRow(ctx, `SELECT seq, hash FROM audit_checkpoints WHERE stream = $1`, string(stream)).Scan(&a.Seq, &a.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return audit.Anchor{Stream: stream}, nil
	}
	return a, MapError(err)
}

// SaveCheckpoint records that verification reached a; a checkpoint never
// moves back (two verifications may finish in either order).
func (s *AuditStore) SaveCheckpoint(ctx context.Context, a audit.Anchor) error {
	_, err := s.tx.Exec(ctx, `INSERT INTO audit_checkpoints (stream, seq, hash, verified_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, verified_at = excluded.verified_at
		WHERE excluded.seq >= audit_checkpoints.seq`, string(a.Stream), a.Seq, a.Hash, At(s.tx.now))
	return err
}
