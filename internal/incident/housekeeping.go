package incident

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// closeBatch is how many resolved incidents one unit of work closes, so
// the housekeeping never holds the writer for long.
const closeBatch = 100

// CloseResolved closes the incidents resolved longer than
// Options.AutoCloseAfter ago, each audited as a change by the system, and
// says how many. It is system work for the hourly housekeeping job.
func (s *Service) CloseResolved(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.t.InTx(ctx, func(tx Tx) error {
			st := tx.Incidents()
			ids, err := st.ResolvedBeforeUnscoped(ctx, tx.Now().Add(-s.opts.AutoCloseAfter), closeBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			incs, err := st.FindIncidentsByIDUnscoped(ctx, ids)
			if err != nil {
				return err
			}
			for i := range incs {
				cur := incs[i]
				next := cur
				next.State = StateClosed
				if err := s.write(ctx, tx, auth.System, &cur, &next); err != nil {
					return err
				}
			}
			n = len(incs)
			return nil
		})
		total += n
		if err != nil || n < closeBatch {
			return total, err
		}
	}
}

// PurgeTombstones forgets incidents that left a reader's view longer than
// TombstoneRetention ago, for the daily housekeeping job.
func (s *Service) PurgeTombstones(ctx context.Context) (int64, error) {
	var n int64
	err := s.t.InTx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.Incidents().PurgeTombstones(ctx, tx.Now().Add(-TombstoneRetention))
		return err
	})
	return n, err
}
