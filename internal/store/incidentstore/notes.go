package incidentstore

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/incident"
	"github.com/rampart-itsm/rampart/internal/store"
)

// InsertNote stores a note.
func (s *incidentStore) InsertNote(ctx context.Context, n *incident.Note) error {
	err := s.tx.QueryRow(ctx, `INSERT INTO incident_notes (incident_id, kind, body, author_id, author, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		n.IncidentID, n.Kind, n.Body, store.Null(n.AuthorID), n.Author, store.At(n.CreatedAt)).Scan(&n.ID)
	return store.MapError(err)
}

// FindNotes returns an incident's notes oldest first, work notes only
// when asked for.
func (s *incidentStore) FindNotes(ctx context.Context, incidentID int64, workNotes bool) ([]incident.Note, error) {
	var q store.Query
	q.And("incident_id = " + q.Arg(incidentID))
	if !workNotes {
		q.And("kind = " + q.Arg(incident.NoteComment))
	}
	rows, err := s.tx.Query(ctx, `SELECT id, incident_id, kind, body, author, created_at FROM incident_notes`+q.Where()+` ORDER BY id`, q.Args()...)
	if err != nil {
		return nil, err
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (incident.Note, error) {
		var n incident.Note
		err := sc.Scan(&n.ID, &n.IncidentID, &n.Kind, &n.Body, &n.Author, store.ScanTime(&n.CreatedAt))
		return n, err
	})
	if out == nil {
		out = []incident.Note{}
	}
	return out, err
}

// Shares lists an incident's shares, users then teams, by name.
func (s *incidentStore) Shares(ctx context.Context, incidentID int64) ([]incident.Share, error) {
	rows, err := s.tx.Query(ctx, `SELECT sh.incident_id, COALESCE(u.username, ''), COALESCE(t.name, ''),
		COALESCE(sh.user_id, 0), COALESCE(sh.team_id, 0), sh.created_at
		FROM incident_shares sh LEFT JOIN users u ON u.id = sh.user_id LEFT JOIN teams t ON t.id = sh.team_id
		WHERE sh.incident_id = $1 ORDER BY sh.team_id IS NOT NULL, u.username, t.name`, incidentID)
	if err != nil {
		return nil, err
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (incident.Share, error) {
		var sh incident.Share
		err := sc.Scan(&sh.IncidentID, &sh.User, &sh.Team, &sh.UserID, &sh.TeamID, store.ScanTime(&sh.CreatedAt))
		return sh, err
	})
	if out == nil {
		out = []incident.Share{}
	}
	return out, err
}

// InsertShare shares an incident with one user or one team.
func (s *incidentStore) InsertShare(ctx context.Context, sh *incident.Share) error {
	_, err := s.tx.Exec(ctx, `INSERT INTO incident_shares (incident_id, user_id, team_id, created_at) VALUES ($1, $2, $3, $4)`,
		sh.IncidentID, store.Null(sh.UserID), store.Null(sh.TeamID), store.At(sh.CreatedAt))
	if errs.Is(err, errs.Conflict) {
		return errs.E(errs.Conflict, "the incident is already shared with %s%s", sh.User, sh.Team)
	}
	return err
}

// DeleteShare removes one share.
func (s *incidentStore) DeleteShare(ctx context.Context, sh incident.Share) error {
	res, err := s.tx.Exec(ctx, `DELETE FROM incident_shares WHERE incident_id = $1 AND (user_id = $2 OR team_id = $3)`,
		sh.IncidentID, store.Null(sh.UserID), store.Null(sh.TeamID))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.MapError(err)
	} else if n == 0 {
		return errs.E(errs.NotFound, "the incident is not shared with %s%s", sh.User, sh.Team)
	}
	return nil
}

// InsertEvents stores timeline events.
func (s *incidentStore) InsertEvents(ctx context.Context, evs []incident.Event) error {
	in := s.tx.NewInserter("incident_events", []string{"incident_id", "kind", "from_value", "to_value", "actor", "created_at"}, nil)
	defer in.Close()
	return in.Run(ctx, len(evs), func(i int, dst []any) []any {
		ev := evs[i]
		return append(dst, ev.IncidentID, ev.Kind, ev.From, ev.To, ev.Actor, store.At(ev.At))
	})
}

// FindEvents returns an incident's events oldest first.
func (s *incidentStore) FindEvents(ctx context.Context, incidentID int64) ([]incident.Event, error) {
	rows, err := s.tx.Query(ctx, `SELECT incident_id, kind, from_value, to_value, actor, created_at FROM incident_events
		WHERE incident_id = $1 ORDER BY id`, incidentID)
	if err != nil {
		return nil, err
	}
	return store.Collect(rows, func(sc store.Scanner) (incident.Event, error) {
		var ev incident.Event
		err := sc.Scan(&ev.IncidentID, &ev.Kind, &ev.From, &ev.To, &ev.Actor, store.ScanTime(&ev.At))
		return ev, err
	})
}
