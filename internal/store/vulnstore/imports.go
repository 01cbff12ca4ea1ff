package vulnstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/store"
	"github.com/rampart-itsm/rampart/internal/vuln"
)

// InsertImport stores a new import report in the imports table every
// import shares; what only scanner and feed imports count goes into its
// detail column.
func (s *vulnStore) InsertImport(ctx context.Context, r *vuln.ImportReport) error {
	detail, err := json.Marshal(r.Detail)
	if err != nil {
		return fmt.Errorf("import detail: %w", err)
	}
	return store.MapError(s.tx.QueryRow(ctx, `INSERT INTO imports (key, format, filename, actor, status, applied_through, error,
			created, updated, unchanged, rejected, created_at, updated_at, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		r.Key, r.Format, r.Filename, r.Actor, r.Status, r.AppliedThrough, r.Error,
		r.Created, r.Updated, r.Unchanged, r.Rejected, store.At(r.CreatedAt), store.At(r.UpdatedAt), string(detail)).Scan(&r.ID))
}

// UpdateImport writes the report's progress and keeps the unmatched
// targets with it as rows of action "unmatched".
func (s *vulnStore) UpdateImport(ctx context.Context, r *vuln.ImportReport, unmatched []vuln.Unmatched) error {
	detail, err := json.Marshal(r.Detail)
	if err != nil {
		return fmt.Errorf("import detail: %w", err)
	}
	_, err = s.tx.Exec(ctx, `UPDATE imports SET status = $1, applied_through = $2, error = $3,
			created = $4, updated = $5, unchanged = $6, rejected = $7, updated_at = $8, detail = $9
		WHERE id = $10`,
		r.Status, r.AppliedThrough, r.Error, r.Created, r.Updated, r.Unchanged, r.Rejected, store.At(r.UpdatedAt), string(detail), r.ID)
	if err != nil || len(unmatched) == 0 {
		return err
	}
	in := s.tx.NewInserter("import_rows", []string{"import_id", "row", "label", "action"}, nil)
	defer in.Close()
	return in.Run(ctx, len(unmatched), func(i int, dst []any) []any {
		u := unmatched[i]
		label := u.Target
		if u.Name != "" && u.Name != u.Target {
			label = u.Name + " (" + u.Target + ")"
		}
		return append(dst, r.ID, u.Seq, label, "unmatched")
	})
}
