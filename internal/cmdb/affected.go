package cmdb

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/uow"
)

// AffectedService is a business service that depends on a CI, with one
// shortest path (CI keys) from that CI to it.
type AffectedService struct {
	ID   int64
	Key  string
	Path []string
}

// AffectedServices returns the business services that depend on any of
// the given CIs (a business service among them counts itself), each once
// with the shortest path found, in the order the CIs are given. It runs on
// the unit of work u another practice holds (an incident linking CIs), so
// what it reads is what that unit writes against. The walk covers the
// whole graph (auth.Unrestricted): what an incident affects is a fact,
// whoever links the CI; readers see the services their own visibility
// allows. Missing ids are skipped.
func (s *Service) AffectedServices(ctx context.Context, u uow.Unit, ciIDs []int64) ([]AffectedService, error) {
	var out []AffectedService
	err := s.t.Join(u, func(tx Tx) error {
		st := tx.CMDB()
		v := auth.Unrestricted("business services an incident's CIs affect")
		cis, err := st.FindCIsByIDUnscoped(ctx, ciIDs)
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, id := range ciIDs {
			root, ok := cis[id]
			if !ok {
				continue
			}
			if root.Kind == KindBusinessService && !seen[id] {
				seen[id] = true
				out = append(out, AffectedService{ID: id, Key: root.Key, Path: []string{root.Key}})
			}
			w := walk{st: st, v: v, dir: Downstream, maxDepth: DefaultImpactDepth, maxNodes: MaxImpactNodes}
			if err := w.run(ctx, id); err != nil {
				return err
			}
			imp, err := w.result(ctx, *root)
			if err != nil {
				return err
			}
			// imp.Nodes[i] is w.nodes[i+1], which holds its id.
			for i, n := range imp.Nodes {
				sid := w.nodes[i+1].id
				if n.CI.Kind == KindBusinessService && !seen[sid] {
					seen[sid] = true
					out = append(out, AffectedService{ID: sid, Key: n.CI.Key, Path: n.Path})
				}
			}
		}
		return nil
	})
	return out, err
}
