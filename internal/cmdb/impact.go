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

// DefaultDirection is the direction that answers the usual question about
// a CI of this kind: what fails with it (downstream), except for a
// business service, which nothing is built on; for a service the question
// is what it stands on (upstream).
func DefaultDirection(k Kind) Direction {
	if k == KindBusinessService {
		return Upstream
	}
	return Downstream
}

// Impact walks the relation graph from key in direction dir (empty: the
// root's DefaultDirection) up to maxDepth steps (0 = DefaultImpactDepth). Requires
// auth.CIRead; the walk only passes through CIs p may see.
// Errors: Unauthenticated, Forbidden, NotFound, Invalid (direction, depth).
func (s *Service) Impact(ctx context.Context, p auth.Principal, key string, dir Direction, maxDepth int) (Impact, error) {
	if err := p.Require(auth.CIRead); err != nil {
		return Impact{}, err
	}
	var fe errs.Fields
	switch dir {
	case "", Downstream, Upstream:
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
		v := auth.VisibilityFor(p, auth.KindCI)
		root, err := findCI(ctx, st, key, v)
		if err != nil {
			return err
		}
		if dir == "" {
			dir = DefaultDirection(root.Kind)
		}
		w := walk{st: st, v: v, dir: dir, maxDepth: maxDepth, maxNodes: MaxImpactNodes}
		if err := w.run(ctx, root.ID); err != nil {
			return err
		}
		out, err = w.result(ctx, root)
		return err
	})
	return out, err
}

// walk is one breadth-first traversal. It asks the store for the next
// layer's relations in batches (one IN list per chunk of the layer, never
// one query per CI and never a recursive query), keeps a visited set so
// cycles end, and records for each CI the first (so shortest) way it was
// reached. A wide walk touches tens of thousands of relations, so it keeps
// them in compact slices indexed by visit order rather than maps of
// structs.
type walk struct {
	st       Store
	v        auth.Visibility
	dir      Direction
	maxDepth int
	maxNodes int

	pos   map[int64]int32 // CI id -> index in nodes
	nodes []reach         // visit order, root first
	// edges are the relations traversed, as the store returned them one
	// chunk at a time (each chunk compacted in place): copying tens of
	// thousands of them into one growing slice cost more than reading
	// them.
	edges     [][]Edge
	truncated bool
}

type reach struct {
	id     int64
	depth  int32
	parent int32 // index in nodes; the root is its own parent
	via    RelationType
}

// layerChunk is how many frontier CIs one Neighbours call covers: the walk
// reads a wide layer in chunks so it can stop reading once the node cap is
// reached, instead of fetching every relation of the layer first.
const layerChunk = 1000

func (w *walk) run(ctx context.Context, root int64) error {
	w.pos = map[int64]int32{root: 0}
	w.nodes = []reach{{id: root}}
	frontier := []int64{root}
	for depth := int32(1); len(frontier) > 0; depth++ {
		var next []int64
		for start := 0; start < len(frontier); start += layerChunk {
			part := frontier[start:min(start+layerChunk, len(frontier))]
			edges, err := w.st.Neighbours(ctx, part, w.dir, w.v)
			if err != nil {
				return err
			}
			w.sortLayer(edges)
			if int(depth) > w.maxDepth {
				// Only asking whether the walk could go on.
				for _, e := range edges {
					if _, seen := w.pos[w.far(e)]; !seen {
						w.truncated = true
						return nil
					}
				}
				continue
			}
			kept := 0
			for _, e := range edges {
				to := w.far(e)
				if _, seen := w.pos[to]; !seen {
					if len(w.nodes)-1 >= w.maxNodes { // nodes holds the root too
						w.truncated = true
						break
					}
					w.pos[to] = int32(len(w.nodes))
					w.nodes = append(w.nodes, reach{id: to, depth: depth, parent: w.pos[w.near(e)], via: e.Type})
					next = append(next, to)
				}
				edges[kept] = e
				kept++
			}
			w.edges = append(w.edges, edges[:kept])
			if w.truncated {
				return nil
			}
		}
		frontier = next
	}
	return nil
}

// sortLayer sorts one chunk of a layer's relations by the near end's place
// in the frontier, then by relation id: breadth-first order, and the
// chosen shortest path does not depend on the order the database returned
// rows in. The frontier lists CIs in visit order, so a near end's index in
// nodes orders the chunk as its place in the frontier would.
func (w *walk) sortLayer(edges []Edge) {
	type key struct {
		at int32
		e  Edge
	}
	keys := make([]key, len(edges))
	for i, e := range edges {
		keys[i] = key{w.pos[w.near(e)], e}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return cmpInt(a.e.ID, b.e.ID)
	})
	for i, k := range keys {
		edges[i] = k.e
	}
}

// near is the end of e the walk came from, far the end it goes to.
func (w *walk) near(e Edge) int64 {
	if w.dir == Downstream {
		return e.TargetID
	}
	return e.SourceID
}

func (w *walk) far(e Edge) int64 {
	if w.dir == Downstream {
		return e.SourceID
	}
	return e.TargetID
}

func (w *walk) result(ctx context.Context, root CI) (Impact, error) {
	out := Impact{Root: root.Summary(), Direction: w.dir, Nodes: make([]ImpactNode, 0, len(w.nodes)-1),
		Edges: []Relation{}, Services: []ImpactNode{}, Truncated: w.truncated}
	ids := make([]int64, len(w.nodes)-1)
	for i := range ids {
		ids[i] = w.nodes[i+1].id
	}
	found, err := w.st.Summaries(ctx, ids, w.v)
	if err != nil {
		return Impact{}, err
	}
	// sum(i) is the summary of nodes[i].
	sum := func(i int32) *CISummary {
		if i == 0 {
			return &out.Root
		}
		return &found[i-1]
	}
	// One backing array for every path: thousands of small slices would
	// be thousands of allocations.
	total := 0
	for _, r := range w.nodes[1:] {
		total += int(r.depth) + 1
	}
	paths := make([]string, total)
	for i := 1; i < len(w.nodes); i++ {
		r := w.nodes[i]
		path := paths[: r.depth+1 : r.depth+1]
		paths = paths[r.depth+1:]
		n := ImpactNode{CI: found[i-1], Depth: int(r.depth), Via: r.via, Path: path}
		for at, d := int32(i), r.depth; d >= 0; d-- {
			n.Path[d] = sum(at).Key
			at = w.nodes[at].parent
		}
		out.Nodes = append(out.Nodes, n)
		if n.CI.Kind == KindBusinessService {
			out.Services = append(out.Services, n)
		}
	}
	n := 0
	for _, chunk := range w.edges {
		n += len(chunk)
	}
	out.Edges = make([]Relation, 0, n)
	for _, chunk := range w.edges {
		for _, e := range chunk {
			src, ok1 := w.pos[e.SourceID]
			dst, ok2 := w.pos[e.TargetID]
			if !ok1 || !ok2 {
				continue
			}
			out.Edges = append(out.Edges, Relation{ID: e.ID, Source: sum(src).Key, Type: e.Type, Target: sum(dst).Key,
				SourceID: e.SourceID, TargetID: e.TargetID})
		}
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
