package slastore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
	"github.com/rampart-itsm/rampart/internal/sla"
	"github.com/rampart-itsm/rampart/internal/store"
)

const scheduleColumns = `id, name, description, time_zone, hours, version, created_at, updated_at`

// FindSchedules lists schedules by name with their holidays.
func (s *slaStore) FindSchedules(ctx context.Context, v auth.Visibility) ([]sla.Schedule, error) {
	return s.findSchedules(ctx, v, 0)
}

// FindSchedule returns one schedule; NotFound when v does not cover it.
func (s *slaStore) FindSchedule(ctx context.Context, v auth.Visibility, id int64) (sla.Schedule, error) {
	out, err := s.findSchedules(ctx, v, id)
	if err != nil {
		return sla.Schedule{}, err
	}
	if len(out) == 0 {
		return sla.Schedule{}, errs.E(errs.NotFound, "no schedule %d", id)
	}
	return out[0], nil
}

// findSchedules reads all schedules, or the one with id.
func (s *slaStore) findSchedules(ctx context.Context, v auth.Visibility, id int64) ([]sla.Schedule, error) {
	var q store.Query
	q.And(store.Visible(&q, v, configVisibility))
	if id != 0 {
		q.And("id = " + q.Arg(id))
	}
	rows, err := s.tx.Query(ctx, `SELECT `+scheduleColumns+` FROM sla_schedules`+q.Where()+` ORDER BY name`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find schedules: %w", err)
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (sla.Schedule, error) {
		var x sla.Schedule
		var hours string
		if err := sc.Scan(&x.ID, &x.Name, &x.Description, &x.TimeZone, &hours, &x.Version,
			store.ScanTime(&x.CreatedAt), store.ScanTime(&x.UpdatedAt)); err != nil {
			return x, err
		}
		return x, json.Unmarshal([]byte(hours), &x.Hours)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := map[int64]*sla.Schedule{}
	for i := range out {
		out[i].Holidays = []sla.Holiday{}
		byID[out[i].ID] = &out[i]
	}
	var hq store.Query
	cond := "1 = 1"
	if id != 0 {
		cond = "schedule_id = " + hq.Arg(id)
	}
	rows, err = s.tx.Query(ctx, `SELECT schedule_id, day, name FROM sla_holidays WHERE `+cond+` ORDER BY schedule_id, day`, hq.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find holidays: %w", err)
	}
	err = store.EachRow(rows, func(sc store.Scanner) error {
		var sid int64
		var h sla.Holiday
		if err := sc.Scan(&sid, &h.Date, &h.Name); err != nil {
			return err
		}
		if x := byID[sid]; x != nil {
			x.Holidays = append(x.Holidays, h)
		}
		return nil
	})
	return out, store.MapError(err)
}

// InsertSchedule stores a schedule and its holidays.
func (s *slaStore) InsertSchedule(ctx context.Context, x *sla.Schedule) error {
	hours, err := json.Marshal(x.Hours)
	if err != nil {
		return err
	}
	err = s.tx.QueryRow(ctx, `INSERT INTO sla_schedules (name, description, time_zone, hours, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		x.Name, x.Description, x.TimeZone, string(hours), x.Version, store.At(x.CreatedAt), store.At(x.UpdatedAt)).Scan(&x.ID)
	if err != nil {
		return store.MapError(fmt.Errorf("insert schedule %q: %w", x.Name, err))
	}
	return s.insertHolidays(ctx, x)
}

func (s *slaStore) insertHolidays(ctx context.Context, x *sla.Schedule) error {
	for _, h := range x.Holidays {
		if _, err := s.tx.Exec(ctx, `INSERT INTO sla_holidays (schedule_id, day, name) VALUES ($1, $2, $3)`, x.ID, h.Date, h.Name); err != nil {
			return fmt.Errorf("insert holiday %s of %q: %w", h.Date, x.Name, err)
		}
	}
	return nil
}

// UpdateSchedule writes x over the row at x.Version and replaces its
// holidays.
func (s *slaStore) UpdateSchedule(ctx context.Context, x *sla.Schedule) error {
	hours, err := json.Marshal(x.Hours)
	if err != nil {
		return err
	}
	res, err := s.tx.Exec(ctx, `UPDATE sla_schedules SET name = $1, description = $2, time_zone = $3, hours = $4,
			version = version + 1, updated_at = $5
		WHERE id = $6 AND version = $7`,
		x.Name, x.Description, x.TimeZone, string(hours), store.At(x.UpdatedAt), x.ID, x.Version)
	if err := oneRow(res, err, "schedule", x.Name); err != nil {
		return err
	}
	x.Version++
	if _, err := s.tx.Exec(ctx, `DELETE FROM sla_holidays WHERE schedule_id = $1`, x.ID); err != nil {
		return fmt.Errorf("replace holidays of %q: %w", x.Name, err)
	}
	return s.insertHolidays(ctx, x)
}

// oneRow checks that a conditional update changed its row.
func oneRow(res sql.Result, err error, what, name string) error {
	if err != nil {
		return store.MapError(fmt.Errorf("update %s %q: %w", what, name, err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Conflict, "%s %q changed meanwhile: read it again", what, name)
	}
	return nil
}

const definitionColumns = `d.id, d.name, d.description, d.record_kind, d.kind, d.target, d.duration_seconds, d.schedule_id, s.name,
	d.conditions, d.pause_on, d.warnings, d.on_priority_change, d.active, d.version, d.created_at, d.updated_at`

// FindDefinitions lists definitions by name with their schedule's name.
func (s *slaStore) FindDefinitions(ctx context.Context, v auth.Visibility, recordKind string) ([]sla.Definition, error) {
	var q store.Query
	q.And(store.Visible(&q, v, configVisibility))
	if recordKind != "" {
		q.And("d.record_kind = " + q.Arg(recordKind))
	}
	return s.findDefinitions(ctx, &q)
}

// FindDefinition returns one definition; NotFound when v does not cover
// it.
func (s *slaStore) FindDefinition(ctx context.Context, v auth.Visibility, id int64) (sla.Definition, error) {
	var q store.Query
	q.And(store.Visible(&q, v, configVisibility))
	q.And("d.id = " + q.Arg(id))
	out, err := s.findDefinitions(ctx, &q)
	if err != nil {
		return sla.Definition{}, err
	}
	if len(out) == 0 {
		return sla.Definition{}, errs.E(errs.NotFound, "no SLA definition %d", id)
	}
	return out[0], nil
}

func (s *slaStore) findDefinitions(ctx context.Context, q *store.Query) ([]sla.Definition, error) {
	rows, err := s.tx.Query(ctx, `SELECT `+definitionColumns+` FROM sla_definitions d JOIN sla_schedules s ON s.id = d.schedule_id`+
		q.Where()+` ORDER BY d.name`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("find SLA definitions: %w", err)
	}
	out, err := store.Collect(rows, func(sc store.Scanner) (sla.Definition, error) {
		var d sla.Definition
		var secs int64
		var cond, pause, warn string
		err := sc.Scan(&d.ID, &d.Name, &d.Description, &d.RecordKind, &d.Kind, &d.Target, &secs, &d.ScheduleID, &d.Schedule,
			&cond, &pause, &warn, &d.OnPriorityChange, &d.Active, &d.Version, store.ScanTime(&d.CreatedAt), store.ScanTime(&d.UpdatedAt))
		if err != nil {
			return d, err
		}
		d.Duration = time.Duration(secs) * time.Second
		return d, errors.Join(json.Unmarshal([]byte(cond), &d.Conditions), json.Unmarshal([]byte(pause), &d.PauseOn),
			json.Unmarshal([]byte(warn), &d.Warnings))
	})
	if out == nil {
		out = []sla.Definition{}
	}
	return out, store.MapError(err)
}

// definitionJSON encodes a definition's list and condition columns.
func definitionJSON(d *sla.Definition) (cond, pause, warn string, err error) {
	pauseOn, warnings := d.PauseOn, d.Warnings
	if pauseOn == nil {
		pauseOn = []string{}
	}
	if warnings == nil {
		warnings = []int{}
	}
	c, err1 := json.Marshal(d.Conditions)
	p, err2 := json.Marshal(pauseOn)
	w, err3 := json.Marshal(warnings)
	return string(c), string(p), string(w), errors.Join(err1, err2, err3)
}

// InsertDefinition stores a definition.
func (s *slaStore) InsertDefinition(ctx context.Context, d *sla.Definition) error {
	cond, pause, warn, err := definitionJSON(d)
	if err != nil {
		return err
	}
	err = s.tx.QueryRow(ctx, `INSERT INTO sla_definitions (name, description, record_kind, kind, target, duration_seconds,
			schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		d.Name, d.Description, d.RecordKind, string(d.Kind), string(d.Target), int64(d.Duration/time.Second), d.ScheduleID,
		cond, pause, warn, string(d.OnPriorityChange), d.Active, d.Version, store.At(d.CreatedAt), store.At(d.UpdatedAt)).Scan(&d.ID)
	return store.MapError(err)
}

// UpdateDefinition writes d over the row at d.Version.
func (s *slaStore) UpdateDefinition(ctx context.Context, d *sla.Definition) error {
	cond, pause, warn, err := definitionJSON(d)
	if err != nil {
		return err
	}
	res, err := s.tx.Exec(ctx, `UPDATE sla_definitions SET name = $1, description = $2, kind = $3, target = $4,
			duration_seconds = $5, schedule_id = $6, conditions = $7, pause_on = $8, warnings = $9,
			on_priority_change = $10, active = $11, version = version + 1, updated_at = $12
		WHERE id = $13 AND version = $14`,
		d.Name, d.Description, string(d.Kind), string(d.Target), int64(d.Duration/time.Second), d.ScheduleID,
		cond, pause, warn, string(d.OnPriorityChange), d.Active, store.At(d.UpdatedAt), d.ID, d.Version)
	if err := oneRow(res, err, "SLA definition", d.Name); err != nil {
		return err
	}
	d.Version++
	return nil
}
