package sla

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// The methods below time the records of other practices. Each runs in the
// unit of work u the caller holds (an incident's create or update), so a
// clock never disagrees with the record it times; the caller has already
// checked who may change the record, so they take no principal.

// rulesFor loads the definitions of one record kind, each with its
// schedule compiled, by definition id. Inactive definitions are included:
// clocks already running under one keep counting by it.
func rulesFor(ctx context.Context, tx Tx, recordKind string) (map[int64]Rule, error) {
	v := auth.Unrestricted("SLA definitions that time a record")
	defs, err := tx.SLA().FindDefinitions(ctx, v, recordKind)
	if err != nil {
		return nil, err
	}
	scheds, err := tx.SLA().FindSchedules(ctx, v)
	if err != nil {
		return nil, err
	}
	cals := map[int64]*Calendar{}
	for _, sc := range scheds {
		if cals[sc.ID], err = Compile(sc); err != nil {
			return nil, err
		}
	}
	rules := make(map[int64]Rule, len(defs))
	for _, d := range defs {
		c := cals[d.ScheduleID]
		if c == nil {
			return nil, fmt.Errorf("SLA definition %q: schedule %d missing", d.Name, d.ScheduleID)
		}
		rules[d.ID] = Rule{Def: d, Cal: c}
	}
	return rules, nil
}

// RulesMaxAge is how long a process reuses the definitions and schedules it
// read: every incident write starts or reads clocks, and reading the
// configuration each time would double the statements it costs. This
// process's own configuration changes take effect at once; another
// replica's within RulesMaxAge.
const RulesMaxAge = 5 * time.Second

// ruleCache keeps the rules of each record kind for RulesMaxAge.
type ruleCache struct {
	mu    sync.Mutex
	kinds map[string]cachedRules
}

type cachedRules struct {
	read  time.Time
	rules map[int64]Rule
}

// rules returns the rules of a record kind, from the cache while they are
// younger than RulesMaxAge by the unit's clock. The map is shared: callers
// must not change it.
func (s *Service) rules(ctx context.Context, tx Tx, kind string) (map[int64]Rule, error) {
	now := tx.Now()
	s.cache.mu.Lock()
	c, ok := s.cache.kinds[kind]
	s.cache.mu.Unlock()
	if ok && !now.Before(c.read) && now.Sub(c.read) < RulesMaxAge {
		return c.rules, nil
	}
	rules, err := rulesFor(ctx, tx, kind)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if s.cache.kinds == nil {
		s.cache.kinds = map[string]cachedRules{}
	}
	s.cache.kinds[kind] = cachedRules{read: now, rules: rules}
	s.cache.mu.Unlock()
	return rules, nil
}

// forgetRules drops the cached rules once a configuration change commits.
func (s *Service) forgetRules(tx Tx) {
	tx.AfterCommit(func() {
		s.cache.mu.Lock()
		s.cache.kinds = nil
		s.cache.mu.Unlock()
	})
}

// ruleOf is the rule a clock counts by; a 24×7 stand-in when its
// definition is gone (it cannot be deleted, but a clock must never stop
// the caller's write).
func ruleOf(rules map[int64]Rule, c *Clock) Rule {
	if r, ok := rules[c.DefinitionID]; ok {
		return r
	}
	return Rule{Def: Definition{ID: c.DefinitionID}, Cal: alwaysOn}
}

// withClocks loads rec's clocks and rules in u, lets change alter them,
// and saves those change reports as changed.
func (s *Service) withClocks(ctx context.Context, u uow.Unit, kind string, id int64,
	change func(rules map[int64]Rule, clocks []Clock, tx Tx) []*Clock) error {
	return s.t.Join(u, func(tx Tx) error {
		rules, err := s.rules(ctx, tx, kind)
		if err != nil {
			return err
		}
		clocks, err := tx.SLA().FindClocksUnscoped(ctx, kind, []int64{id})
		if err != nil {
			return err
		}
		changed := change(rules, clocks, tx)
		if len(changed) == 0 {
			return nil
		}
		return tx.SLA().SaveClocks(ctx, changed)
	})
}

// Apply starts the clocks a record needs and brings them in line with its
// attributes: call it when the record is created and whenever what
// chooses its SLAs changes (priority, category, services, security). See
// the package function Apply for the rules. Errors: those of the store.
func (s *Service) Apply(ctx context.Context, u uow.Unit, rec Record) error {
	return s.withClocks(ctx, u, rec.Kind, rec.ID, func(rules map[int64]Rule, clocks []Clock, tx Tx) []*Clock {
		out := Apply(rec, rules, clocks, tx.Now())
		ptrs := make([]*Clock, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return ptrs
	})
}

// each applies f to every clock of a record and collects those it
// changed.
func (s *Service) each(ctx context.Context, u uow.Unit, kind string, id int64, f func(r Rule, c *Clock, tx Tx) bool) error {
	return s.withClocks(ctx, u, kind, id, func(rules map[int64]Rule, clocks []Clock, tx Tx) []*Clock {
		var changed []*Clock
		for i := range clocks {
			if f(ruleOf(rules, &clocks[i]), &clocks[i], tx) {
				changed = append(changed, &clocks[i])
			}
		}
		return changed
	})
}

// Hold tells a record's clocks its on-hold reason (rec.Hold, "" when it
// left hold): clocks whose definition pauses on that reason pause, the
// others run.
func (s *Service) Hold(ctx context.Context, u uow.Unit, rec Record) error {
	return s.each(ctx, u, rec.Kind, rec.ID, func(r Rule, c *Clock, tx Tx) bool { return c.Hold(r, rec.Hold, tx.Now()) })
}

// Stop stops a record's active clocks of the given targets (all when none
// are given): the first response stops response clocks, resolving a
// record stops them all. Stopped clocks stay as they are.
func (s *Service) Stop(ctx context.Context, u uow.Unit, kind string, id int64, targets ...Target) error {
	return s.each(ctx, u, kind, id, func(r Rule, c *Clock, tx Tx) bool {
		return (len(targets) == 0 || slices.Contains(targets, c.Target)) && c.Stop(r, tx.Now())
	})
}

// Cancel ends a record's active clocks without an outcome (the record was
// cancelled).
func (s *Service) Cancel(ctx context.Context, u uow.Unit, kind string, id int64) error {
	return s.each(ctx, u, kind, id, func(r Rule, c *Clock, tx Tx) bool { return c.Cancel(r, tx.Now()) })
}

// Resume tells a record's clocks it is being worked again: after a
// pause (its on-hold reason, rec.Hold, is applied as Hold does) or after
// it was resolved and reopened, when its stopped resolution clocks run
// again from where they stopped (response clocks stay stopped: the first
// response was given).
func (s *Service) Resume(ctx context.Context, u uow.Unit, rec Record) error {
	return s.each(ctx, u, rec.Kind, rec.ID, func(r Rule, c *Clock, tx Tx) bool {
		reopened := false
		if c.Target == TargetResolution && c.State != StateCancelled && !c.StoppedAt.IsZero() {
			c.reopen(r, tx.Now())
			reopened = true
		}
		return c.Hold(r, rec.Hold, tx.Now()) || reopened
	})
}

// Reports returns the clocks of the given records of one kind as the API
// shows them, by record id, in the order they started. Cancelled clocks
// (replaced by another definition) are left out.
func (s *Service) Reports(ctx context.Context, u uow.Unit, kind string, ids []int64) (map[int64][]Report, error) {
	out := map[int64][]Report{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.t.Join(u, func(tx Tx) error {
		rules, err := s.rules(ctx, tx, kind)
		if err != nil {
			return err
		}
		clocks, err := tx.SLA().FindClocksUnscoped(ctx, kind, ids)
		if err != nil {
			return err
		}
		for i := range clocks {
			c := &clocks[i]
			if c.State != StateCancelled {
				out[c.RecordID] = append(out[c.RecordID], c.ReportAt(ruleOf(rules, c).Cal, tx.Now()))
			}
		}
		return nil
	})
	return out, err
}
