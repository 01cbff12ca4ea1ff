package web

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// estate builds the impact answer of a layered estate: n CIs spread over
// depth rows of growing then shrinking width, each reached from a CI of
// the row before (its shortest path), plus extra relations of every kind
// a real CMDB has: a second parent, a neighbour in the same row, and a
// few that skip rows. The seed makes it the same every run.
func estate(n, depth int, dir cmdb.Direction, seed uint64) cmdb.Impact {
	rng := rand.New(rand.NewPCG(seed, 7))
	sum := func(i int) cmdb.CISummary {
		kind := cmdb.Kinds[i%len(cmdb.Kinds)]
		return cmdb.CISummary{Key: fmt.Sprintf("CI-%d", i), Name: fmt.Sprintf("%s-%03d with a long name", kind, i), Kind: kind, Criticality: 1 + i%5}
	}
	imp := cmdb.Impact{Root: sum(0), Direction: dir}
	rows := [][]int{{0}}
	paths := map[int][]string{0: {"CI-0"}}
	relate := func(near, far int, t cmdb.RelationType) {
		a, b := fmt.Sprintf("CI-%d", near), fmt.Sprintf("CI-%d", far)
		if dir == cmdb.Downstream {
			a, b = b, a // downstream walks from what is needed to what needs it
		}
		imp.Edges = append(imp.Edges, cmdb.Relation{Source: a, Type: t, Target: b})
	}
	for i := 1; i <= n; i++ {
		d := 1 + (i-1)*depth/n
		for len(rows) <= d {
			rows = append(rows, nil)
		}
		prev := rows[d-1]
		parent := prev[rng.IntN(len(prev))]
		t := cmdb.RelationTypes[rng.IntN(len(cmdb.RelationTypes))]
		paths[i] = append(append([]string{}, paths[parent]...), fmt.Sprintf("CI-%d", i))
		imp.Nodes = append(imp.Nodes, cmdb.ImpactNode{CI: sum(i), Depth: d, Path: paths[i], Via: t})
		relate(parent, i, t)
		switch x := rng.IntN(10); {
		case x < 3 && len(prev) > 1: // a second way in from the row before
			if other := prev[rng.IntN(len(prev))]; other != parent {
				relate(other, i, cmdb.RelDependsOn)
			}
		case x < 5 && len(rows[d]) > 0: // a neighbour in the same row
			relate(rows[d][rng.IntN(len(rows[d]))], i, cmdb.RelConnectsTo)
		case x < 6 && d >= 3: // skipping rows: from two rows up to here
			up := rows[d-3]
			relate(i, up[rng.IntN(len(up))], cmdb.RelHostedOn)
		}
		rows[d] = append(rows[d], i)
	}
	return imp
}

// checkGeometry asserts what makes a picture readable: every box and label
// inside it, no two boxes overlapping, no label over a box or another
// label, and every CI either drawn or counted in a "+N more" box.
func checkGeometry(t *testing.T, imp cmdb.Impact, g graph) (labelled, edges int) {
	t.Helper()
	var boxes []box
	named := map[string]string{}
	for _, n := range g.Nodes {
		boxes = append(boxes, n.box())
		named[n.box().String()] = n.Key
	}
	counted := len(g.Nodes)
	for _, m := range g.More {
		boxes = append(boxes, m.box())
		named[m.box().String()] = m.Name
		counted += m.Count
	}
	if counted != len(imp.Nodes)+1 || g.Hidden != counted-len(g.Nodes) {
		t.Errorf("%d drawn + %d hidden, want %d CIs", len(g.Nodes), g.Hidden, len(imp.Nodes)+1)
	}
	inside := func(b box) bool { return b.X >= 0 && b.Y >= 0 && b.X+b.W <= g.W && b.Y+b.H <= g.H }
	for i, a := range boxes {
		if !inside(a) {
			t.Errorf("box %s %v outside the %dx%d picture", named[a.String()], a, g.W, g.H)
		}
		for _, b := range boxes[i+1:] {
			if a.overlaps(b) {
				t.Errorf("boxes %s %v and %s %v overlap", named[a.String()], a, named[b.String()], b)
			}
		}
	}
	var labels []box
	for _, e := range g.Edges {
		if e.Class != "edge to-more" {
			edges++
		}
		if e.Label == "" {
			continue
		}
		labelled++
		if e.Box.W < labelWidth(e.Label) || !inside(e.Box) {
			t.Errorf("label %q has box %v in a %dx%d picture", e.Label, e.Box, g.W, g.H)
		}
		for _, b := range boxes {
			if e.Box.overlaps(b) {
				t.Errorf("label %q %v lies on box %s %v", e.Label, e.Box, named[b.String()], b)
			}
		}
		for _, o := range labels {
			if e.Box.overlaps(o) {
				t.Errorf("label %q %v lies on another label %v", e.Label, e.Box, o)
			}
		}
		labels = append(labels, e.Box)
	}
	return labelled, edges
}

func (b box) String() string { return fmt.Sprintf("%d,%d %dx%d", b.X, b.Y, b.W, b.H) }

func TestImpactPictureFitsThePage(t *testing.T) {
	cases := []struct {
		name     string
		imp      cmdb.Impact
		minLabel float64 // share of edges that must carry their label
	}{
		// The demo-sized estate that drew 1,730 px wide with labels on
		// top of each other.
		{"25 CIs downstream", estate(25, 5, cmdb.Downstream, 1), 0.8},
		{"25 CIs upstream", estate(25, 5, cmdb.Upstream, 2), 0.8},
		{"25 CIs in 10 rows", estate(25, 10, cmdb.Upstream, 3), 0.8},
		{"150 CIs", estate(150, 5, cmdb.Downstream, 4), 0.5},
		{"150 CIs in 10 rows", estate(150, 10, cmdb.Upstream, 5), 0.5},
		{"150 CIs in one row", estate(150, 1, cmdb.Downstream, 6), 0.9},
		{"1,000 CIs", estate(1000, 6, cmdb.Downstream, 7), 0.3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := layoutGraph(tc.imp, drawOptions{})
			if g.W > maxGraphWidth || g.Wide {
				t.Errorf("picture %d px wide, the page has %d", g.W, maxGraphWidth)
			}
			labelled, edges := checkGeometry(t, tc.imp, g)
			if edges == 0 || float64(labelled) < tc.minLabel*float64(edges) {
				t.Errorf("%d of %d edges labelled, want at least %.0f %%", labelled, edges, 100*tc.minLabel)
			}
			rows := map[int]int{}
			for _, n := range append(g.Nodes, g.More...) {
				rows[n.Y]++
			}
			for y, n := range rows {
				if n > maxPerRank {
					t.Errorf("row at y=%d has %d boxes", y, n)
				}
			}
		})
	}
}

// An expanded row is drawn with up to maxExpanded boxes, wider than the
// page and still without overlaps; what remains links to the table.
func TestImpactExpandedRow(t *testing.T) {
	imp := estate(150, 2, cmdb.Downstream, 8) // two rows of 75
	collapsed := layoutGraph(imp, drawOptions{})
	if len(collapsed.More) != 2 || !collapsed.More[0].Expandable {
		t.Fatalf("want two expandable \"+N more\" boxes: %+v", collapsed.More)
	}
	g := layoutGraph(imp, drawOptions{Expanded: map[int]bool{1: true}})
	checkGeometry(t, imp, g)
	if !g.Wide || g.W <= maxGraphWidth {
		t.Errorf("expanded picture %d px wide, wide=%v", g.W, g.Wide)
	}
	for _, m := range g.More {
		want := m.Rank == 2 // the other row is still cut and expandable
		if m.Expandable != want || (m.Rank == 1 && m.Count != 75-(maxExpanded-1)) {
			t.Errorf("row %d: %d more, expandable %v", m.Rank, m.Count, m.Expandable)
		}
	}
}

// The rows are ordered to avoid crossings: a tree drawn from shuffled rows
// ends with none, and a graph with cross links ends with fewer.
func TestImpactRowOrderReducesCrossings(t *testing.T) {
	for _, tc := range []struct {
		name string
		imp  cmdb.Impact
		tree bool
	}{
		{"tree", treeOnly(estate(24, 4, cmdb.Upstream, 9)), true}, // rows of 6: no "+N more" box pinned at a row's end
		{"estate", estate(40, 4, cmdb.Upstream, 10), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newDrawing(tc.imp, drawOptions{})
			rng := rand.New(rand.NewPCG(11, 12))
			for _, row := range l.ranks {
				rng.Shuffle(len(row), func(i, j int) { row[i], row[j] = row[j], row[i] })
			}
			l.index()
			before := l.crossings()
			l.order()
			after := l.crossings()
			if tc.tree && after != 0 {
				t.Errorf("tree drawn with %d crossings (%d shuffled)", after, before)
			}
			if before == 0 || after >= before {
				t.Errorf("crossings %d after ordering, %d before", after, before)
			}
		})
	}
}

// treeOnly keeps only the relations on shortest paths.
func treeOnly(imp cmdb.Impact) cmdb.Impact {
	parent := map[string]string{}
	for _, n := range imp.Nodes {
		parent[n.CI.Key] = n.Path[len(n.Path)-2]
	}
	var kept []cmdb.Relation
	for _, e := range imp.Edges {
		if parent[e.Source] == e.Target || parent[e.Target] == e.Source {
			kept = append(kept, e)
		}
	}
	imp.Edges = kept
	return imp
}

// What is needed is drawn below what needs it, whichever way the walk went.
func TestImpactArrowsPointDown(t *testing.T) {
	for _, dir := range []cmdb.Direction{cmdb.Downstream, cmdb.Upstream} {
		imp := treeOnly(estate(12, 3, dir, 13))
		g := layoutGraph(imp, drawOptions{})
		y := map[string]int{}
		for _, n := range g.Nodes {
			y[n.Key] = n.Y
		}
		for _, e := range imp.Edges {
			if y[e.Source] >= y[e.Target] {
				t.Errorf("%s: %s (y %d) needs %s (y %d) but is not above it", dir, e.Source, y[e.Source], e.Target, y[e.Target])
			}
		}
	}
}
