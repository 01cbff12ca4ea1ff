package sla

import (
	"context"
	"fmt"
	"time"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/jobs"
)

// JobEvents is the kind of job that carries the warnings and breaches one
// poller batch raised to whoever acts on them (notifications,
// escalation). Its payload is an EventsJob: ids only, never a record's
// text, because admins read job payloads and a record may be restricted.
// One job per batch rather than per event: a batch of 1,000 events is
// then one row, not 1,000 (measured in BenchmarkPoll); a consumer that
// wants per-event retries fans them out into jobs of its own, each with
// a dedup key such as EventKey.
const JobEvents = "sla.events"

// JobPoll is the recurring job that runs the poller: one instance across
// all replicas (see jobs.Runner.Every).
const JobPoll = "sla.poll"

// EventsJob is the payload of a JobEvents job.
type EventsJob struct {
	Events []EventJob `json:"events"`
}

// EventKey identifies one event across retries and replicas: a clock
// raises each warning percentage and its breach at most once.
func (e EventJob) EventKey() string { return fmt.Sprintf("sla:%d:%s:%d", e.ClockID, e.Type, e.Percent) }

// EventJob is one warning or breach in an EventsJob.
type EventJob struct {
	ClockID      int64     `json:"clock_id"`
	RecordKind   string    `json:"record_kind"`
	RecordID     int64     `json:"record_id"`
	DefinitionID int64     `json:"definition_id"`
	Type         EventType `json:"type"`
	Percent      int       `json:"percent"`
	// At is when the threshold was crossed (inside business hours).
	At time.Time `json:"at"`
}

// PollResult counts what one pass did.
type PollResult struct {
	Clocks, Warnings, Breaches int
}

// Poll runs one pass of the poller: it takes due clocks in batches of
// PollBatch, each batch in its own transaction, raises their warnings and
// breaches as JobEvents jobs and stores the clocks' next times, until no
// clock is due by the pass's start. Time comes from the units of work
// (the injected clock); nothing is kept in memory between passes, so a
// pass on any replica after a restart finds the same work. Errors: those
// of the store; batches already committed stay committed.
func (s *Service) Poll(ctx context.Context) (PollResult, error) {
	var total PollResult
	var start time.Time
	for {
		var res PollResult
		err := s.t.InTx(ctx, func(tx Tx) error {
			if start.IsZero() {
				start = tx.Now()
			}
			var err error
			res, err = s.pollBatch(ctx, tx, start)
			return err
		})
		total.Clocks += res.Clocks
		total.Warnings += res.Warnings
		total.Breaches += res.Breaches
		if err != nil {
			return total, err
		}
		if res.Clocks < s.PollBatch {
			return total, nil
		}
	}
}

// pollBatch handles one batch of clocks due by now.
func (s *Service) pollBatch(ctx context.Context, tx Tx, now time.Time) (PollResult, error) {
	var res PollResult
	clocks, err := tx.SLA().ClaimDueClocksUnscoped(ctx, now, s.PollBatch)
	if err != nil || len(clocks) == 0 {
		return res, err
	}
	res.Clocks = len(clocks)
	rules := map[string]map[int64]Rule{}
	changed := make([]*Clock, 0, len(clocks))
	var raised []EventJob
	for i := range clocks {
		c := &clocks[i]
		if rules[c.RecordKind] == nil {
			if rules[c.RecordKind], err = s.rules(ctx, tx, c.RecordKind); err != nil {
				return res, err
			}
		}
		events := c.Fire(ruleOf(rules[c.RecordKind], c), now)
		if !c.NextAt.IsZero() && !c.NextAt.After(now) {
			// Fire always moves NextAt past now; should it not, the pass
			// must still end rather than take this clock again.
			c.NextAt = now.Add(time.Minute)
		}
		changed = append(changed, c)
		for _, e := range events {
			if e.Type == EventBreach {
				res.Breaches++
			} else {
				res.Warnings++
			}
			raised = append(raised, EventJob{ClockID: c.ID, RecordKind: c.RecordKind, RecordID: c.RecordID,
				DefinitionID: c.DefinitionID, Type: e.Type, Percent: e.Percent, At: e.At})
		}
	}
	if len(raised) > 0 {
		err := s.jobs.Join(tx, func(jt jobs.Tx) error {
			_, err := jt.Jobs().Enqueue(ctx, jobs.NewJob{Kind: JobEvents, Payload: EventsJob{Events: raised}})
			return err
		})
		if err != nil {
			return res, err
		}
	}
	if err := tx.SLA().SaveFired(ctx, changed); err != nil {
		return res, err
	}
	if res.Warnings+res.Breaches == 0 {
		return res, nil
	}
	// One entry per batch, with counts only: which records breached is in
	// the jobs, and naming them here could name a restricted record.
	return res, tx.Audit().Append(audit.Record{Actor: "system", Action: "poll", Kind: "sla_clock", Key: "poller",
		After: map[string]int{"warnings": res.Warnings, "breaches": res.Breaches}})
}
