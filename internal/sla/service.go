package sla

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Audit record kinds of SLA configuration.
const (
	auditSchedule   = "sla_schedule"
	auditDefinition = "sla_definition"
)

// Service is the SLA practice: configuration for admins, clocks for the
// practices whose records are timed, and the poller.
type Service struct {
	t    Transactor
	jobs JobQueue
	// PollBatch is how many due clocks one poller transaction takes.
	PollBatch int
	cache     ruleCache
}

// DefaultPollBatch is PollBatch's default. Each due clock costs one
// UPDATE; a batch's events are one job row. On this project's 2-core
// machine (BenchmarkPoll, heavily loaded) a batch of 1,000 due clocks took
// 82-136 ms on SQLite (about 30 ms of CPU) and 270 ms on PostgreSQL,
// which bounds how long one batch holds SQLite's single writer.
const DefaultPollBatch = 1000

// NewService returns the SLA service on t; the poller's events go to the
// job queue q in the same units of work.
func NewService(t Transactor, q JobQueue) *Service {
	return &Service{t: t, jobs: q, PollBatch: DefaultPollBatch}
}

// FindSchedules lists every schedule by name. Callers: auth.SLARead
// (staff). Errors: Unauthenticated, Forbidden.
func (s *Service) FindSchedules(ctx context.Context, p auth.Principal) ([]Schedule, error) {
	if err := p.Require(auth.SLARead); err != nil {
		return nil, err
	}
	var out []Schedule
	err := s.t.View(ctx, func(tx Tx) (err error) {
		out, err = tx.SLA().FindSchedules(ctx, auth.VisibilityFor(p, auth.KindSLA))
		return err
	})
	return out, err
}

// CreateSchedule stores a new schedule and audits it. Callers:
// auth.SLAManage (admin). Errors: Unauthenticated, Forbidden, Invalid
// naming the field, Conflict (name taken).
func (s *Service) CreateSchedule(ctx context.Context, p auth.Principal, in Schedule) (Schedule, error) {
	if err := p.Require(auth.SLAManage); err != nil {
		return Schedule{}, err
	}
	if err := in.Validate(); err != nil {
		return Schedule{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		in.ID, in.Version, in.CreatedAt, in.UpdatedAt = 0, 1, tx.Now(), tx.Now()
		if err := tx.SLA().InsertSchedule(ctx, &in); err != nil {
			return err
		}
		s.forgetRules(tx)
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: auditSchedule, Key: in.Name, After: in})
	})
	return in, err
}

// ScheduleUpdate changes the fields that are set. Version, when set, must
// match the stored one (a conditional update).
type ScheduleUpdate struct {
	Name        *string    `json:"name"`
	Description *string    `json:"description"`
	TimeZone    *string    `json:"time_zone"`
	Hours       *WeekInput `json:"hours"`
	Holidays    *[]Holiday `json:"holidays"`
	Version     *int       `json:"version"`
}

// UpdateSchedule changes a schedule and audits it. Running clocks keep
// their due times until they next change (pause, resume, priority); new
// clocks use the new hours at once. Callers: auth.SLAManage. Errors:
// Unauthenticated, Forbidden, NotFound, Invalid, Conflict (name taken,
// or the version is not the stored one).
func (s *Service) UpdateSchedule(ctx context.Context, p auth.Principal, id int64, u ScheduleUpdate) (Schedule, error) {
	if err := p.Require(auth.SLAManage); err != nil {
		return Schedule{}, err
	}
	var after Schedule
	err := s.t.InTx(ctx, func(tx Tx) error {
		before, err := tx.SLA().FindSchedule(ctx, auth.VisibilityFor(p, auth.KindSLA), id)
		if err != nil {
			return err
		}
		if u.Version != nil && *u.Version != before.Version {
			return errs.E(errs.Conflict, "schedule %q is at version %d, not %d", before.Name, before.Version, *u.Version)
		}
		after = before
		set(&after.Name, u.Name)
		set(&after.Description, u.Description)
		set(&after.TimeZone, u.TimeZone)
		if u.Hours != nil {
			if after.Hours, err = u.Hours.Week(); err != nil {
				return err
			}
		}
		set(&after.Holidays, u.Holidays)
		if err := after.Validate(); err != nil {
			return err
		}
		after.UpdatedAt = tx.Now()
		if err := tx.SLA().UpdateSchedule(ctx, &after); err != nil {
			return err
		}
		s.forgetRules(tx)
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: auditSchedule, Key: after.Name, Before: before, After: after})
	})
	return after, err
}

// FindDefinitions lists definitions by name, of one record kind or ("")
// all. Callers: auth.SLARead. Errors: Unauthenticated, Forbidden, Invalid
// (unknown record kind).
func (s *Service) FindDefinitions(ctx context.Context, p auth.Principal, recordKind string) ([]Definition, error) {
	if err := p.Require(auth.SLARead); err != nil {
		return nil, err
	}
	if err := checkRecordKind(recordKind, true); err != nil {
		return nil, err
	}
	var out []Definition
	err := s.t.View(ctx, func(tx Tx) (err error) {
		out, err = tx.SLA().FindDefinitions(ctx, auth.VisibilityFor(p, auth.KindSLA), recordKind)
		return err
	})
	return out, err
}

func checkRecordKind(k string, emptyOK bool) error {
	for _, rk := range RecordKinds {
		if k == rk {
			return nil
		}
	}
	if k == "" && emptyOK {
		return nil
	}
	return errs.Field("record_kind", "must be one of incident, vulnerability, change")
}

// CreateDefinition stores a new definition and audits it; it applies to
// records whose clocks start or change from then on. Callers:
// auth.SLAManage. Errors: Unauthenticated, Forbidden, Invalid naming the
// field (also an unknown schedule), Conflict (name taken).
func (s *Service) CreateDefinition(ctx context.Context, p auth.Principal, in Definition) (Definition, error) {
	if err := p.Require(auth.SLAManage); err != nil {
		return Definition{}, err
	}
	if err := in.Validate(); err != nil {
		return Definition{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		if err := resolveSchedule(ctx, tx, p, &in); err != nil {
			return err
		}
		in.ID, in.Version, in.CreatedAt, in.UpdatedAt = 0, 1, tx.Now(), tx.Now()
		if err := tx.SLA().InsertDefinition(ctx, &in); err != nil {
			return err
		}
		s.forgetRules(tx)
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionCreate, Kind: auditDefinition, Key: in.Name, After: in})
	})
	return in, err
}

// resolveSchedule sets d.ScheduleID from d.Schedule, the name the API
// gives.
func resolveSchedule(ctx context.Context, tx Tx, p auth.Principal, d *Definition) error {
	all, err := tx.SLA().FindSchedules(ctx, auth.VisibilityFor(p, auth.KindSLA))
	if err != nil {
		return err
	}
	for _, sc := range all {
		if sc.Name == d.Schedule {
			d.ScheduleID = sc.ID
			return nil
		}
	}
	return errs.Field("schedule", "no schedule named %q", d.Schedule)
}

// DefinitionUpdate changes the fields that are set. Version, when set,
// must match the stored one.
type DefinitionUpdate struct {
	Name             *string     `json:"name"`
	Description      *string     `json:"description"`
	Kind             *Kind       `json:"kind"`
	Target           *Target     `json:"target"`
	Duration         *string     `json:"duration"`
	Schedule         *string     `json:"schedule"`
	Conditions       *Conditions `json:"conditions"`
	PauseOn          *[]string   `json:"pause_on"`
	Warnings         *[]int      `json:"warnings"`
	OnPriorityChange *OnChange   `json:"on_priority_change"`
	Active           *bool       `json:"active"`
	Version          *int        `json:"version"`
}

// UpdateDefinition changes a definition and audits it. Running clocks
// keep their targets until the record's attributes next change; a
// deactivated definition starts no new clocks. Callers: auth.SLAManage.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid, Conflict.
func (s *Service) UpdateDefinition(ctx context.Context, p auth.Principal, id int64, u DefinitionUpdate) (Definition, error) {
	if err := p.Require(auth.SLAManage); err != nil {
		return Definition{}, err
	}
	var after Definition
	err := s.t.InTx(ctx, func(tx Tx) error {
		before, err := tx.SLA().FindDefinition(ctx, auth.VisibilityFor(p, auth.KindSLA), id)
		if err != nil {
			return err
		}
		if u.Version != nil && *u.Version != before.Version {
			return errs.E(errs.Conflict, "definition %q is at version %d, not %d", before.Name, before.Version, *u.Version)
		}
		after = before
		set(&after.Name, u.Name)
		set(&after.Description, u.Description)
		set(&after.Kind, u.Kind)
		set(&after.Target, u.Target)
		if u.Duration != nil {
			if after.Duration, err = parseDurationField(*u.Duration); err != nil {
				return err
			}
		}
		set(&after.Schedule, u.Schedule)
		set(&after.Conditions, u.Conditions)
		set(&after.PauseOn, u.PauseOn)
		set(&after.Warnings, u.Warnings)
		set(&after.OnPriorityChange, u.OnPriorityChange)
		set(&after.Active, u.Active)
		if err := after.Validate(); err != nil {
			return err
		}
		if err := resolveSchedule(ctx, tx, p, &after); err != nil {
			return err
		}
		after.UpdatedAt = tx.Now()
		if err := tx.SLA().UpdateDefinition(ctx, &after); err != nil {
			return err
		}
		s.forgetRules(tx)
		return tx.Audit().Append(audit.Record{Actor: p.Actor(), Action: audit.ActionUpdate, Kind: auditDefinition, Key: after.Name, Before: before, After: after})
	})
	return after, err
}

// set copies *from into *to when from is set.
func set[T any](to *T, from *T) {
	if from != nil {
		*to = *from
	}
}
