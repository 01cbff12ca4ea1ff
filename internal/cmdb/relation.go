package cmdb

import (
	"context"
	"strings"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// FindRelations returns the relations of one CI in both directions, those
// whose other end p may also see. Requires auth.CIRead.
// Errors: Unauthenticated, Forbidden, NotFound (CI absent or not visible).
func (s *Service) FindRelations(ctx context.Context, p auth.Principal, key string) ([]Relation, error) {
	if err := p.Require(auth.CIRead); err != nil {
		return nil, err
	}
	var rels []Relation
	err := s.t.View(ctx, func(tx Tx) error {
		st := tx.CMDB()
		v := auth.VisibilityFor(p, auth.KindCI)
		ci, err := findCI(ctx, st, key, v)
		if err != nil {
			return err
		}
		rels, err = st.FindRelations(ctx, ci.ID, v)
		return err
	})
	if rels == nil {
		rels = []Relation{}
	}
	return rels, err
}

// AddRelation creates "r.Source r.Type r.Target" between two existing CIs
// named by key and returns it with its id. Requires auth.CIWrite.
// Errors: Unauthenticated, Forbidden, Invalid (unknown type, missing or
// unknown CI, a CI related to itself), Conflict (the same typed relation
// exists).
func (s *Service) AddRelation(ctx context.Context, p auth.Principal, r Relation) (Relation, error) {
	if err := p.Require(auth.CIWrite); err != nil {
		return Relation{}, err
	}
	var fe errs.Fields
	r.Source, r.Target = normalizeKey(r.Source), normalizeKey(r.Target)
	r.Type = RelationType(strings.ToLower(strings.TrimSpace(string(r.Type))))
	if r.Source == "" {
		fe.Add("source", "is required")
	}
	if r.Target == "" {
		fe.Add("target", "is required")
	}
	if !r.Type.Valid() {
		fe.Add("type", "must be one of depends_on, runs_on, hosted_on, connects_to, member_of")
	}
	if r.Source != "" && r.Source == r.Target {
		fe.Add("target", "a CI cannot be related to itself")
	}
	if err := fe.Err(); err != nil {
		return Relation{}, err
	}
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		v := auth.VisibilityFor(p, auth.KindCI)
		for _, end := range []struct {
			field string
			key   string
			id    *int64
		}{{"source", r.Source, &r.SourceID}, {"target", r.Target, &r.TargetID}} {
			ci, err := st.FindCIByKey(ctx, end.key, v)
			if errs.Is(err, errs.NotFound) {
				fe.Add(end.field, "no CI %s", end.key)
				continue
			}
			if err != nil {
				return err
			}
			*end.id = ci.ID
		}
		if err := fe.Err(); err != nil {
			return err
		}
		r.ID, r.CreatedAt = 0, tx.Now()
		if err := st.InsertRelations(ctx, []*Relation{&r}); err != nil {
			if errs.Is(err, errs.Conflict) {
				return errs.E(errs.Conflict, "%s already %s %s", r.Source, r.Type, r.Target)
			}
			return err
		}
		return auditRelation(tx, p, audit.ActionCreate, nil, &r)
	})
	if err != nil {
		return Relation{}, err
	}
	return r, nil
}

// DeleteRelation deletes one relation by id. Requires auth.CIWrite.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) DeleteRelation(ctx context.Context, p auth.Principal, id int64) error {
	if err := p.Require(auth.CIWrite); err != nil {
		return err
	}
	return s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		r, err := st.FindRelationByID(ctx, id, auth.VisibilityFor(p, auth.KindCI))
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.NotFound, "no relation %d", id)
		}
		if err != nil {
			return err
		}
		if err := st.DeleteRelation(ctx, id); err != nil {
			return err
		}
		return auditRelation(tx, p, audit.ActionDelete, &r, nil)
	})
}

// relationKey names a relation in the audit log the way people read it.
func relationKey(r *Relation) string { return r.Source + " " + string(r.Type) + " " + r.Target }

func auditRelation(tx Tx, p auth.Principal, action string, before, after *Relation) error {
	rec := audit.Record{Actor: p.Actor(), Action: action, Kind: AuditKindRelation}
	if before != nil {
		rec.Before, rec.Key = before, relationKey(before)
	}
	if after != nil {
		rec.After, rec.Key = after, relationKey(after)
	}
	return tx.Audit().Append(rec)
}
