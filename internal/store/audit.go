package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// auditBuffer collects a unit of work's audit records until commit.
type auditBuffer struct{ pending []audit.Record }

// Audit returns the appender services write audit entries through.
func (tx *Tx) Audit() audit.Appender { return &AuditStore{tx: tx} }

// AuditLog returns the audit log for reading and verification.
func (tx *Tx) AuditLog() *AuditStore { return &AuditStore{tx: tx} }

// AuditStore appends to and reads the audit log.
type AuditStore struct{ tx *Tx }

var _ audit.Appender = (*AuditStore)(nil)
var _ audit.Source = (*AuditStore)(nil)

// Append buffers r; it is chained and written when the unit of work commits.
func (s *AuditStore) Append(r audit.Record) error {
	if s.tx.readOnly {
		return fmt.Errorf("audit append in a read-only transaction")
	}
	s.tx.audit.pending = append(s.tx.audit.pending, r)
	return nil
}

// flushAudit chains and inserts the buffered records. It locks the chain
// head row: the one serialisation point every audited write passes. Taking
// it here, last, keeps the lock for the time of a few inserts and the
// commit, not the whole unit of work.
func (tx *Tx) flushAudit(ctx context.Context) error {
	recs := tx.audit.pending
	if len(recs) == 0 {
		return nil
	}
	tx.audit.pending = nil
	var seq int64
	var prev string
	if err := tx.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_head WHERE id = 1`+tx.d.ForUpdate).Scan(&seq, &prev); err != nil {
		return chainFailure("lock the chain head", err)
	}
	// Sealing is sequential (each entry hashes the one before), but the
	// database need not wait for all of it: a goroutine seals while this
	// one inserts what is sealed, a block at a time. On a bulk import the
	// two take about as long as each other.
	entries := make([]audit.Entry, len(recs))
	in := tx.NewInserter("audit_log", strings.Split(auditColumns, ", "), nil)
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
			return append(dst, e.Seq, At(e.At), e.Actor, e.Action, e.Kind, e.Key,
				Null(string(e.Before)), Null(string(e.After)), Null(string(e.Changes)), e.PrevHash, e.Hash)
		})
		if err != nil {
			return chainFailure("append entries", err)
		}
		start = end
	}
	seq += int64(len(entries))
	prev = entries[len(entries)-1].Hash
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1`, seq, prev); err != nil {
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

const auditColumns = `seq, at, actor, action, record_kind, record_key, before_state, after_state, changes, prev_hash, hash`

func scanAuditEntry(sc Scanner) (audit.Entry, error) {
	var e audit.Entry
	var before, after, changes sql.NullString
	err := sc.Scan(&e.Seq, ScanTime(&e.At), &e.Actor, &e.Action, &e.Kind, &e.Key, &before, &after, &changes, &e.PrevHash, &e.Hash)
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

// EachEntry streams every entry in sequence order.
func (s *AuditStore) EachEntry(ctx context.Context, fn func(audit.Entry) error) error {
	return s.stream(ctx, &Query{}, fn)
}

// stream reads the entries q selects oldest first, one row at a time, so
// walking millions of entries holds one in memory.
func (s *AuditStore) stream(ctx context.Context, q *Query, fn func(audit.Entry) error) error {
	rows, err := s.tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log`+q.Where()+` ORDER BY seq`, q.Args()...)
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

// Head returns the chain head: the last sequence number and hash written.
func (s *AuditStore) Head(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.tx.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	return seq, hash, MapError(err)
}
