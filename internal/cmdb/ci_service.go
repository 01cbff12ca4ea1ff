package cmdb

import (
	"context"
	"fmt"

	"github.com/rampart-itsm/rampart/internal/audit"
	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// FindCIByKey returns one CI. Anyone with auth.CIRead may call it;
// requesters only see CIs they own.
// Errors: Unauthenticated, Forbidden, NotFound (also when not visible).
func (s *Service) FindCIByKey(ctx context.Context, p auth.Principal, key string) (CI, error) {
	if err := p.Require(auth.CIRead); err != nil {
		return CI{}, err
	}
	var ci CI
	err := s.t.View(ctx, func(tx Tx) error {
		var err error
		ci, err = findCI(ctx, tx.CMDB(), key, auth.VisibilityFor(p, auth.KindCI))
		return err
	})
	return ci, err
}

func findCI(ctx context.Context, st Store, key string, v auth.Visibility) (CI, error) {
	ci, err := st.FindCIByKey(ctx, normalizeKey(key), v)
	if errs.Is(err, errs.NotFound) {
		return CI{}, errs.E(errs.NotFound, "no CI %s", normalizeKey(key))
	}
	return ci, err
}

// FindCIs returns one page of the CIs matching f that p may see, and how
// many match in all. Anyone with auth.CIRead may call it.
// Errors: Unauthenticated, Forbidden, Invalid (bad filter or cursor).
func (s *Service) FindCIs(ctx context.Context, p auth.Principal, f Filter) (Page, error) {
	if err := p.Require(auth.CIRead); err != nil {
		return Page{}, err
	}
	f, err := normalizeFilter(f)
	if err != nil {
		return Page{}, err
	}
	var page Page
	err = s.t.View(ctx, func(tx Tx) error {
		if f.IncludeDeleted && !f.UpdatedSince.IsZero() && f.UpdatedSince.Before(tx.Now().Add(-TombstoneRetention)) {
			return errs.Field("updated_since", "deletes are remembered for %d days: synchronise again from the full list (without updated_since)",
				int(TombstoneRetention.Hours()/24))
		}
		var err error
		page, err = tx.CMDB().FindCIs(ctx, f, auth.VisibilityFor(p, auth.KindCI))
		return err
	})
	if page.Items == nil {
		page.Items = []CI{}
	}
	return page, err
}

// exportPage is how many CIs an export reads per query: big enough that
// the per-query cost vanishes, small enough that memory stays flat.
const exportPage = 500

// ExportCIs calls fn for every CI matching f that p may see, in f's order,
// from one snapshot, a page at a time, so an export of the whole CMDB
// holds one page in memory. f.Cursor and f.Limit are ignored; an error
// from fn stops the export and is returned as is. Anyone with auth.CIRead
// may call it. Errors: Unauthenticated, Forbidden, Invalid (bad filter).
func (s *Service) ExportCIs(ctx context.Context, p auth.Principal, f Filter, fn func(*CI) error) error {
	if err := p.Require(auth.CIRead); err != nil {
		return err
	}
	f.Cursor, f.Limit, f.IncludeDeleted, f.SkipTotal = "", exportPage, false, true
	f, err := normalizeFilter(f)
	if err != nil {
		return err
	}
	return s.t.View(ctx, func(tx Tx) error {
		for {
			page, err := tx.CMDB().FindCIs(ctx, f, auth.VisibilityFor(p, auth.KindCI))
			if err != nil {
				return err
			}
			for i := range page.Items {
				if err := fn(&page.Items[i]); err != nil {
					return err
				}
			}
			if page.NextCursor == "" {
				return nil
			}
			f.Cursor = page.NextCursor
		}
	})
}

// PurgeTombstones forgets CIs deleted longer than TombstoneRetention ago,
// for the daily housekeeping job; it is system work with no principal.
func (s *Service) PurgeTombstones(ctx context.Context) (int64, error) {
	var n int64
	err := s.t.InTx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.CMDB().PurgeTombstones(ctx, tx.Now().Add(-TombstoneRetention))
		return err
	})
	return n, err
}

// CreateCI validates and stores a new CI and returns it with its key.
// Requires auth.CIWrite.
// Errors: Unauthenticated, Forbidden, Invalid (with field errors),
// Conflict (an identifier already belongs to another CI).
func (s *Service) CreateCI(ctx context.Context, p auth.Principal, ci CI) (CI, error) {
	if err := p.Require(auth.CIWrite); err != nil {
		return CI{}, err
	}
	var fe errs.Fields
	// Every field the person gave is theirs: no import overwrites it.
	ci.Sources = Sources(nil).withSource(givenFields(&ci), manualSource(p.Actor()))
	normalize(&ci, "", &fe)
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		if err := resolveRefs(ctx, st, p, []*CI{&ci}, nil, &fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		ci.ID = 0
		if err := checkIdentifiersFree(ctx, st, p, &ci); err != nil {
			return err
		}
		n, err := tx.NextKeys(ctx, "CI", 1)
		if err != nil {
			return err
		}
		ci.Key, ci.Version, ci.CreatedAt, ci.UpdatedAt = ciKey(n), 1, tx.Now(), tx.Now()
		if err := st.InsertCIs(ctx, []*CI{&ci}); err != nil {
			return err
		}
		return auditCI(tx, p, audit.ActionCreate, ci.Key, nil, &ci)
	})
	if err != nil {
		return CI{}, err
	}
	return ci, nil
}

// UpdateCI changes the fields u sets and returns the CI as stored. An
// update that changes nothing writes nothing. Requires auth.CIWrite.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (field errors),
// Conflict (u.Version is stale, or an identifier belongs to another CI).
func (s *Service) UpdateCI(ctx context.Context, p auth.Principal, key string, u Update) (CI, error) {
	if err := p.Require(auth.CIWrite); err != nil {
		return CI{}, err
	}
	var out CI
	err := s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		cur, err := findCI(ctx, st, key, auth.VisibilityFor(p, auth.KindCI))
		if err != nil {
			return err
		}
		if u.Version != nil && *u.Version != cur.Version {
			// The field lets the API answer a stale If-Match with 412.
			e := errs.E(errs.Conflict, "%s was changed by someone else (version %d, you had %d): reload and try again", cur.Key, cur.Version, *u.Version)
			e.Fields = []errs.FieldError{{Field: "version", Message: fmt.Sprintf("is %d now, not %d", cur.Version, *u.Version)}}
			return e
		}
		next := u.apply(cur)
		var fe errs.Fields
		u.checkExplicit("", &fe)
		normalize(&next, "", &fe)
		if u.Owner != nil || u.SupportGroup != nil {
			if err := resolveRefs(ctx, st, p, []*CI{&next}, nil, &fe); err != nil {
				return err
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if sameContent(&cur, &next) {
			out = cur
			return nil
		}
		if err := checkIdentifiersFree(ctx, st, p, &next); err != nil {
			return err
		}
		// The fields this edit changed are the person's from now on.
		next.Sources = cur.Sources.withSource(changedFields(&cur, &next), manualSource(p.Actor()))
		next.Version, next.UpdatedAt = cur.Version+1, tx.Now()
		if err := st.UpdateCIs(ctx, []CIChange{{Before: &cur, After: &next}}); err != nil {
			return err
		}
		out = next
		return auditCI(tx, p, audit.ActionUpdate, cur.Key, &cur, &next)
	})
	return out, err
}

// DeleteCI deletes a CI with its identifiers, tags and relations (each
// relation gets its own audit entry). Requires auth.CIWrite.
// Errors: Unauthenticated, Forbidden, NotFound.
func (s *Service) DeleteCI(ctx context.Context, p auth.Principal, key string) error {
	if err := p.Require(auth.CIWrite); err != nil {
		return err
	}
	return s.t.InTx(ctx, func(tx Tx) error {
		st := tx.CMDB()
		cur, err := findCI(ctx, st, key, auth.VisibilityFor(p, auth.KindCI))
		if err != nil {
			return err
		}
		// Every relation goes with the CI, so every one is audited,
		// including those whose far end the caller may not see.
		rels, err := st.FindRelations(ctx, cur.ID, auth.Unrestricted("audit every relation a CI delete removes"))
		if err != nil {
			return err
		}
		if err := st.DeleteCI(ctx, cur.ID); err != nil {
			return err
		}
		for i := range rels {
			if err := auditRelation(tx, p, audit.ActionDelete, &rels[i], nil); err != nil {
				return err
			}
		}
		return auditCI(tx, p, audit.ActionDelete, cur.Key, &cur, nil)
	})
}
