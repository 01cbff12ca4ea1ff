package web

import (
	"cmp"
	"slices"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// lnode is one slot of a row while the picture is laid out: a CI's box, a
// "+N more" box (hidden > 0) or the lane of a long edge through a row it
// passes (dummy).
type lnode struct {
	ci         *cmdb.CISummary
	root       bool
	hidden     int
	expandable bool
	dummy      bool
	rank       int
	w          int
	idx        int     // place in its row
	x          float64 // left side
	y          int     // top
	up, down   []*lnode
}

func (n *lnode) cx() float64 { return n.x + float64(n.w)/2 }

// ledge is one drawn edge: a relation between two drawn CIs (several
// relations between the same two are one edge), or the relations between
// a drawn CI and the CIs of a "+N more" box.
type ledge struct {
	src, dst *lnode // src needs dst: the arrow points at dst
	types    []cmdb.RelationType
	tree     bool     // on a shortest path from the root: labelled first
	chain    []*lnode // ends and lanes in increasing rank; nil for a same-row edge
	unrouted bool     // spans rows with no room for a lane: drawn direct, unlabelled
}

// drawing is the state of one drawing.
type drawing struct {
	imp   cmdb.Impact
	ranks [][]*lnode
	edges []*ledge
	// wide: an expanded row may exceed the page width.
	wide   bool
	hidden int
}

// newDrawing puts every CI in the row of its distance from the root,
// chooses which CIs a crowded row shows, and turns the relations into
// edges, with a lane in each row a long edge passes.
func newDrawing(imp cmdb.Impact, opt drawOptions) *drawing {
	l := &drawing{imp: imp}
	root := &lnode{ci: &l.imp.Root, root: true, w: nodeW}
	l.ranks = [][]*lnode{{root}}
	at := map[string]*lnode{imp.Root.Key: root} // CI key -> its box, or its row's "+N more"
	drawn := map[string]bool{imp.Root.Key: true}
	var rows [][]int // indexes into imp.Nodes per rank
	for i, n := range imp.Nodes {
		for len(rows) <= n.Depth {
			rows = append(rows, nil)
		}
		rows[n.Depth] = append(rows[n.Depth], i)
	}
	for r := 1; r < len(rows); r++ {
		limit := maxPerRank
		if opt.Expanded[r] {
			limit = maxExpanded
			l.wide = true
		}
		show := rows[r]
		if len(show) > limit {
			show = l.choose(show, limit-1, drawn)
		}
		var row []*lnode
		for _, i := range show {
			n := &l.imp.Nodes[i]
			ln := &lnode{ci: &n.CI, rank: r, w: nodeW}
			row = append(row, ln)
			at[n.CI.Key], drawn[n.CI.Key] = ln, true
		}
		if extra := len(rows[r]) - len(show); extra > 0 {
			more := &lnode{hidden: extra, rank: r, w: nodeW, expandable: !opt.Expanded[r]}
			row = append(row, more)
			for _, i := range rows[r] {
				if k := l.imp.Nodes[i].CI.Key; !drawn[k] {
					at[k] = more
				}
			}
			l.hidden += extra
		}
		l.ranks = append(l.ranks, row)
	}
	l.connect(at)
	return l
}

// choose picks n of a crowded row's CIs, preferring those whose way from
// the root is drawn, then business services, then the most critical; the
// chosen keep their breadth-first order.
func (l *drawing) choose(row []int, n int, drawn map[string]bool) []int {
	score := func(i int) (int, int, int) {
		nd := l.imp.Nodes[i]
		linked, svc := 0, 0
		if len(nd.Path) >= 2 && drawn[nd.Path[len(nd.Path)-2]] {
			linked = 1
		}
		if nd.CI.Kind == cmdb.KindBusinessService {
			svc = 1
		}
		return linked, svc, nd.CI.Criticality
	}
	byScore := slices.Clone(row)
	slices.SortStableFunc(byScore, func(a, b int) int {
		la, sa, ca := score(a)
		lb, sb, cb := score(b)
		return cmp.Or(cmp.Compare(lb, la), cmp.Compare(sb, sa), cmp.Compare(cb, ca))
	})
	chosen := byScore[:n]
	slices.Sort(chosen)
	return chosen
}

// connect turns the relations into edges between slots.
func (l *drawing) connect(at map[string]*lnode) {
	parent := map[string]string{}
	for _, n := range l.imp.Nodes {
		if len(n.Path) >= 2 {
			parent[n.CI.Key] = n.Path[len(n.Path)-2]
		}
	}
	type pair struct{ s, d *lnode }
	seen := map[pair]*ledge{}
	for _, e := range l.imp.Edges {
		s, d := at[e.Source], at[e.Target]
		if s == nil || d == nil || s == d || (s.hidden > 0 && d.hidden > 0) {
			continue // between two "+N more" boxes an edge says nothing
		}
		if s.hidden > 0 || d.hidden > 0 {
			e.Type = "" // the CIs behind a "+N more" box: one unlabelled edge
		}
		if le := seen[pair{s, d}]; le != nil {
			if e.Type != "" && !slices.Contains(le.types, e.Type) {
				le.types = append(le.types, e.Type)
			}
			continue
		}
		le := &ledge{src: s, dst: d, tree: parent[e.Source] == e.Target || parent[e.Target] == e.Source}
		if e.Type != "" {
			le.types = []cmdb.RelationType{e.Type}
		}
		seen[pair{s, d}] = le
		l.edges = append(l.edges, le)
	}
	// Short edges first, so lanes for long ones are laid where room is
	// left; then the long ones, shortest first.
	slices.SortStableFunc(l.edges, func(a, b *ledge) int { return cmp.Compare(span(a), span(b)) })
	for _, e := range l.edges {
		l.route(e)
	}
}

func span(e *ledge) int { return max(e.src.rank-e.dst.rank, e.dst.rank-e.src.rank) }

// route sets the chain of an edge: its two ends for neighbouring rows, a
// lane in each row between for a long edge when every such row has room
// for one, else the edge stays unrouted.
func (l *drawing) route(e *ledge) {
	lo, hi := e.src, e.dst
	if lo.rank > hi.rank {
		lo, hi = hi, lo
	}
	if lo.rank == hi.rank {
		return
	}
	if !l.wide {
		for r := lo.rank + 1; r < hi.rank; r++ {
			if rowWidth(l.ranks[r])+dummyGap+dummyW > maxGraphWidth-2*margin {
				e.unrouted = true
				return
			}
		}
	}
	e.chain = []*lnode{lo}
	for r := lo.rank + 1; r < hi.rank; r++ {
		d := &lnode{dummy: true, rank: r, w: dummyW}
		l.ranks[r] = append(l.ranks[r], d)
		e.chain = append(e.chain, d)
	}
	e.chain = append(e.chain, hi)
	for i := 1; i < len(e.chain); i++ {
		a, b := e.chain[i-1], e.chain[i]
		a.down = append(a.down, b)
		b.up = append(b.up, a)
	}
}

// sep is the space between two neighbouring slots.
func sep(a, b *lnode) int {
	if a.dummy || b.dummy {
		return dummyGap
	}
	return gapX
}

func rowWidth(row []*lnode) int {
	w := 0
	for i, n := range row {
		w += n.w
		if i > 0 {
			w += sep(row[i-1], n)
		}
	}
	return w
}

// orderSweeps bounds the barycentre sweeps; orderings stop improving
// after a few on impact graphs, whose rows are short.
const orderSweeps = 12

// order arranges each row to reduce edge crossings: alternately down and
// up the rows, each slot moves to the mean place of its neighbours in the
// row before (barycentre heuristic); the ordering with the fewest
// crossings seen is kept. A "+N more" box stays at the end of its row.
func (l *drawing) order() {
	l.moveMoreLast()
	l.index()
	best, fewest := l.snapshot(), l.crossings()
	for s := 0; s < orderSweeps && fewest > 0; s++ {
		if s%2 == 0 {
			for r := 1; r < len(l.ranks); r++ {
				sortByBarycentre(l.ranks[r], func(n *lnode) []*lnode { return n.up })
			}
		} else {
			for r := len(l.ranks) - 2; r >= 0; r-- {
				sortByBarycentre(l.ranks[r], func(n *lnode) []*lnode { return n.down })
			}
		}
		if c := l.crossings(); c < fewest {
			best, fewest = l.snapshot(), c
		}
	}
	l.ranks = best
	l.index()
}

func (l *drawing) moveMoreLast() {
	for _, row := range l.ranks {
		slices.SortStableFunc(row, func(a, b *lnode) int { return cmp.Compare(a.hidden, b.hidden) })
	}
}

func (l *drawing) index() {
	for _, row := range l.ranks {
		for i, n := range row {
			n.idx = i
		}
	}
}

func (l *drawing) snapshot() [][]*lnode {
	out := make([][]*lnode, len(l.ranks))
	for r, row := range l.ranks {
		out[r] = slices.Clone(row)
	}
	return out
}

func sortByBarycentre(row []*lnode, nb func(*lnode) []*lnode) {
	bary := make(map[*lnode]float64, len(row))
	for _, n := range row {
		b := float64(n.idx) // no neighbours there: keep its place
		if ns := nb(n); len(ns) > 0 {
			s := 0
			for _, m := range ns {
				s += m.idx
			}
			b = float64(s) / float64(len(ns))
		}
		if n.hidden > 0 {
			b = float64(len(row) + 1<<20)
		}
		bary[n] = b
	}
	slices.SortStableFunc(row, func(a, b *lnode) int { return cmp.Compare(bary[a], bary[b]) })
	for i, n := range row {
		n.idx = i
	}
}

// crossings counts pairs of edge segments that cross between neighbouring
// rows, for the current order.
func (l *drawing) crossings() int {
	n := 0
	for r := 0; r+1 < len(l.ranks); r++ {
		type seg struct{ a, b int }
		var segs []seg
		for _, u := range l.ranks[r] {
			for _, v := range u.down {
				segs = append(segs, seg{u.idx, v.idx})
			}
		}
		for i := range segs {
			for j := i + 1; j < len(segs); j++ {
				s, t := segs[i], segs[j]
				if (s.a < t.a && s.b > t.b) || (s.a > t.a && s.b < t.b) {
					n++
				}
			}
		}
	}
	return n
}
