package cmdb

import (
	"context"
	"slices"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Direction is which way impact analysis walks the graph.
type Direction string

const (
	// Downstream: what is affected if this CI fails, i.e. every CI that
	// needs it, transitively (walks relations from target to source).
	Downstream Direction = "downstream"
	// Upstream: what this CI is built on (walks from source to target).
	Upstream Direction = "upstream"
)

// Impact analysis limits. The node cap bounds the work and the answer for
// a core switch that everything hangs off; the result says Truncated.
const (
	DefaultImpactDepth = 10
	MaxImpactDepth     = 50
	MaxImpactNodes     = 10000
)

// CISummary is the part of a CI that impact views show.
type CISummary struct {
	Key             string `json:"key"`
	Name            string `json:"name"`
	Kind            Kind   `json:"kind"`
	Criticality     int    `json:"business_criticality"`
	Owner           string `json:"owner"`
	SupportGroup    string `json:"support_group"`
	InternetExposed bool   `json:"internet_exposed"`
}

// Summary returns the CI's summary.
func (ci CI) Summary() CISummary {
	return CISummary{Key: ci.Key, Name: ci.Name, Kind: ci.Kind, Criticality: ci.Criticality, Owner: ci.Owner,
		SupportGroup: ci.SupportGroup, InternetExposed: ci.InternetExposed}
}

// Impact is the result of impact analysis from one CI.
type Impact struct {
	Root      CISummary `json:"root"`
	Direction Direction `json:"direction"`
	// Nodes is every reached CI except the root, breadth-first, each with
	// one shortest path from the root.
	Nodes []ImpactNode `json:"nodes"`
	// Edges are the relations among root and nodes that were traversed.
	Edges []Relation `json:"edges"`
	// Services are the business services among Nodes.
	Services []ImpactNode `json:"services"`
	// Truncated says the depth or node cap stopped the walk while more CIs
	// were reachable.
	Truncated bool `json:"truncated"`
}

// ImpactNode is one reached CI.
type ImpactNode struct {
	CI    CISummary    `json:"ci"`
	Depth int          `json:"depth"`
	Path  []string     `json:"path"` // keys from the root to this CI
	Via   RelationType `json:"via"`  // type of the last relation on the path
}

// Impact walks the relation graph from key in direction dir (default
// downstream) up to maxDepth steps (0 = DefaultImpactDepth). Requires
// auth.CIRead; the walk only passes through CIs p may see.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (direction, depth).
func (s *Service) Impact(ctx context.Context, p auth.Principal, key string, dir Direction, maxDepth int) (Impact, error) {
	if err := p.Require(auth.CIRead); err != nil {
		return Impact{}, err
	}
	var fe errs.Fields
	switch dir {
	case "":
		dir = Downstream
	case Downstream, Upstream:
	default:
		fe.Add("direction", "must be downstream or upstream")
	}
	switch {
	case maxDepth == 0:
		maxDepth = DefaultImpactDepth
	case maxDepth < 0 || maxDepth > MaxImpactDepth:
		fe.Add("depth", "must be between 1 and %d", MaxImpactDepth)
	}
	if err := fe.Err(); err != nil {
		return Impact{}, err
	}
	var out Impact
	err := s.t.View(ctx, func(tx Tx) error {
		st := tx.CMDB()
		scope := auth.CIScope(p)
		root, err := findCI(ctx, st, key, scope)
		if err != nil {
			return err
		}
		w := walk{st: st, scope: scope, dir: dir, maxDepth: maxDepth, maxNodes: MaxImpactNodes}
		if err := w.run(ctx, root.ID); err != nil {
			return err
		}
		out, err = w.result(ctx, root)
		return err
	})
	return out, err
}

// walk is one breadth-first traversal. It asks the store for the next
// layer's relations in batches (one IN list per layer chunk, never one
// query per CI and never a recursive query), keeps a visited set so
// cycles end, and records for each CI the first (so shortest) way it was
// reached.
type walk struct {
	st       Store
	scope    auth.Scope
	dir      Direction
	maxDepth int
	maxNodes int

	reached   map[int64]*reach // every visited CI, root included
	order     []int64          // visit order, root first
	edges     []Relation       // every relation examined
	truncated bool
}

type reach struct {
	depth  int
	parent int64
	via    RelationType
}

// layerChunk is how many frontier CIs one Neighbours call covers: the walk
// reads a wide layer in chunks so it can stop reading once the node cap is
// reached, instead of fetching every relation of the layer first.
const layerChunk = 1000

func (w *walk) run(ctx context.Context, root int64) error {
	w.reached = map[int64]*reach{root: {}}
	w.order = []int64{root}
	frontier := []int64{root}
	for depth := 1; len(frontier) > 0; depth++ {
		var next []int64
		for start := 0; start < len(frontier); start += layerChunk {
			part := frontier[start:min(start+layerChunk, len(frontier))]
			rels, err := w.st.Neighbours(ctx, part, w.dir, w.scope)
			if err != nil {
				return err
			}
			rels = w.sortLayer(rels, part)
			if depth > w.maxDepth {
				// Only asking whether the walk could go on.
				for _, r := range rels {
					if w.reached[w.far(r)] == nil {
						w.truncated = true
						return nil
					}
				}
				continue
			}
			for _, r := range rels {
				to := w.far(r)
				if w.reached[to] != nil {
					w.edges = append(w.edges, r)
					continue
				}
				if len(w.order)-1 >= w.maxNodes { // order holds the root too
					w.truncated = true
					return nil
				}
				w.edges = append(w.edges, r)
				w.reached[to] = &reach{depth: depth, parent: w.near(r), via: r.Type}
				w.order = append(w.order, to)
				next = append(next, to)
			}
		}
		frontier = next
	}
	return nil
}

// sortLayer sorts one layer's relations by the near end's place in the
// frontier, then by relation id: breadth-first order, and the chosen
// shortest path does not depend on the order the database returned rows
// in. It sorts indexes with precomputed keys, since a wide layer has tens
// of thousands of relations.
func (w *walk) sortLayer(rels []Relation, frontier []int64) []Relation {
	pos := make(map[int64]int, len(frontier))
	for i, id := range frontier {
		pos[id] = i
	}
	type key struct {
		pos int
		id  int64
		i   int
	}
	keys := make([]key, len(rels))
	for i, r := range rels {
		keys[i] = key{pos[w.near(r)], r.ID, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return cmpInt(a.id, b.id)
	})
	out := make([]Relation, len(rels))
	for i, k := range keys {
		out[i] = rels[k.i]
	}
	return out
}

// near is the end of r the walk came from, far the end it goes to.
func (w *walk) near(r Relation) int64 {
	if w.dir == Downstream {
		return r.TargetID
	}
	return r.SourceID
}

func (w *walk) far(r Relation) int64 {
	if w.dir == Downstream {
		return r.SourceID
	}
	return r.TargetID
}

func (w *walk) result(ctx context.Context, root CI) (Impact, error) {
	out := Impact{Root: root.Summary(), Direction: w.dir, Nodes: []ImpactNode{}, Edges: []Relation{},
		Services: []ImpactNode{}, Truncated: w.truncated}
	sums, err := w.st.Summaries(ctx, w.order[1:])
	if err != nil {
		return Impact{}, err
	}
	sums[root.ID] = out.Root
	keyOf := func(id int64) string { return sums[id].Key }
	for _, id := range w.order[1:] {
		r := w.reached[id]
		n := ImpactNode{CI: sums[id], Depth: r.depth, Via: r.via, Path: make([]string, r.depth+1)}
		for at, i := id, r.depth; i >= 0; i-- {
			n.Path[i] = keyOf(at)
			at = w.reached[at].parent
		}
		out.Nodes = append(out.Nodes, n)
		if n.CI.Kind == KindBusinessService {
			out.Services = append(out.Services, n)
		}
	}
	for _, e := range w.edges {
		if w.reached[e.SourceID] == nil || w.reached[e.TargetID] == nil {
			continue
		}
		e.Source, e.Target = keyOf(e.SourceID), keyOf(e.TargetID)
		out.Edges = append(out.Edges, e)
	}
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
