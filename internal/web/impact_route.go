package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// alignPasses is how often boxes are pulled towards their neighbours, down
// and up the rows; more passes barely move anything.
const alignPasses = 4

// arcDepth is how far below its row an edge between two boxes of the same
// row dips.
const arcDepth = rankGap / 2

// place gives every slot its position: rows centred, then each slot pulled
// towards the middle of what it connects to, keeping the order and the
// spacing of its row and staying inside the margins.
func (l *drawing) place() {
	width := nodeW
	for _, row := range l.ranks {
		width = max(width, rowWidth(row))
	}
	w := float64(width + 2*margin)
	for _, row := range l.ranks {
		x := (w - float64(rowWidth(row))) / 2
		for i, n := range row {
			if i > 0 {
				x += float64(sep(row[i-1], n))
			}
			n.x = x
			x += float64(n.w)
		}
	}
	for range alignPasses {
		for r := 1; r < len(l.ranks); r++ {
			align(l.ranks[r], w, func(n *lnode) []*lnode { return n.up })
		}
		for r := len(l.ranks) - 2; r >= 0; r-- {
			align(l.ranks[r], w, func(n *lnode) []*lnode { return n.down })
		}
	}
	for _, row := range l.ranks {
		for _, n := range row {
			n.x = math.Round(n.x)
			n.y = margin + l.row(n.rank)*(nodeH+rankGap)
		}
	}
}

// row is the visual row of a rank, top first: what is needed is drawn
// below what needs it, so downstream pictures grow upwards from the root.
func (l *drawing) row(rank int) int {
	if l.imp.Direction == cmdb.Upstream {
		return rank
	}
	return len(l.ranks) - 1 - rank
}

// align moves each slot of row towards the mean centre of its neighbours
// (those without stay), then restores the row's order and spacing within
// [margin, w-margin].
func align(row []*lnode, w float64, nb func(*lnode) []*lnode) {
	want := make([]float64, len(row))
	for i, n := range row {
		want[i] = n.x
		if ns := nb(n); len(ns) > 0 {
			s := 0.0
			for _, m := range ns {
				s += m.cx()
			}
			want[i] = s/float64(len(ns)) - float64(n.w)/2
		}
	}
	for i, n := range row {
		lo := float64(margin)
		if i > 0 {
			lo = row[i-1].x + float64(row[i-1].w+sep(row[i-1], n))
		}
		n.x = max(want[i], lo)
	}
	for i := len(row) - 1; i >= 0; i-- {
		n := row[i]
		hi := w - margin - float64(n.w)
		if i+1 < len(row) {
			hi = row[i+1].x - float64(sep(n, row[i+1])+n.w)
		}
		n.x = min(n.x, hi)
	}
	for i, n := range row {
		lo := float64(margin)
		if i > 0 {
			lo = row[i-1].x + float64(row[i-1].w+sep(row[i-1], n))
		}
		n.x = max(n.x, lo)
	}
}

// pt is a point of the drawing.
type pt struct{ x, y float64 }

// bez is one cubic Bézier piece of an edge.
type bez struct {
	p   [4]pt
	gap bool // runs through the space between two rows: a label may go here
}

func (b bez) at(t float64) pt {
	u := 1 - t
	c := [4]float64{u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t}
	var q pt
	for i, p := range b.p {
		q.x += c[i] * p.x
		q.y += c[i] * p.y
	}
	return q
}

// vertical joins a and b with a curve that leaves and arrives vertically.
func vertical(a, b pt, gap bool) bez {
	m := (a.y + b.y) / 2
	return bez{p: [4]pt{a, {a.x, m}, {b.x, m}, b}, gap: gap}
}

// port is where an edge meets a box; a box's ports on one side are spread
// along it in the order of what they lead to, so arrows do not pile up.
type port struct {
	n      *lnode
	bottom bool
	toward *lnode
	x      float64
}

// draw routes the edges, places their labels and returns the picture.
func (l *drawing) draw() graph {
	g := graph{Hidden: l.hidden}
	width := 0
	var boxes []box
	for _, row := range l.ranks {
		for _, n := range row {
			width = max(width, int(n.x)+n.w+margin)
			switch {
			case n.ci != nil:
				gn := ciBox(n.ci, int(n.x), n.y, n.root)
				g.Nodes = append(g.Nodes, gn)
				boxes = append(boxes, gn.box())
			case n.hidden > 0:
				gn := moreBox(n, int(n.x), n.y)
				g.More = append(g.More, gn)
				boxes = append(boxes, gn.box())
			}
		}
	}
	g.W = width
	g.H = 2*margin + len(l.ranks)*nodeH + (len(l.ranks)-1)*rankGap
	bottom := len(l.ranks) - 1
	ends := l.ports()
	for _, e := range l.edges {
		if e.chain == nil && !e.unrouted && l.row(e.src.rank) == bottom {
			g.H += arcDepth + labelH // room for an arc below the last row
			break
		}
	}
	g.Wide = g.W > maxGraphWidth
	placed := labelPlaces{w: g.W, h: g.H, boxes: boxes}
	// Edges on a shortest path from the root get the first choice of
	// label places.
	edges := slices.Clone(l.edges)
	slices.SortStableFunc(edges, func(a, b *ledge) int { return cmp.Compare(btoi(b.tree), btoi(a.tree)) })
	seen := map[cmdb.RelationType]bool{}
	for _, e := range edges {
		bs := l.pieces(e, ends[e])
		ge := graphEdge{Path: svgPath(bs), Class: "edge", Marker: "arrow-more"}
		if len(e.types) == 0 {
			ge.Class += " to-more"
			ge.Title = "to CIs not drawn in this picture"
		} else {
			t := e.types[0]
			ge.Class += " rel-" + string(t)
			ge.Marker = "arrow-" + string(t)
			words := make([]string, len(e.types))
			for i, t := range e.types {
				words[i] = relationWords(t)
				seen[t] = true
			}
			ge.Title = fmt.Sprintf("%s %s %s", e.src.ci.Key, strings.Join(words, ", "), e.dst.ci.Key)
			if !e.unrouted {
				ge.Label = label(strings.Join(words, ", "))
				ge.Box, ge.LX, ge.LY = placed.find(ge.Label, bs)
				if ge.Box.W == 0 {
					ge.Label = "" // no free place: the colour and the tooltip still say it
				}
			}
		}
		if e.unrouted {
			ge.Class += " long"
		}
		g.Edges = append(g.Edges, ge)
	}
	for _, t := range cmdb.RelationTypes {
		if seen[t] {
			g.Types = append(g.Types, t)
		}
	}
	return g
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ports spreads every edge end along its box's top or bottom side (both
// ends of a same-row edge on the bottom) and returns each edge's upper and
// lower end.
func (l *drawing) ports() map[*ledge][2]*port {
	sides := map[*lnode][2][]*port{}
	ends := map[*ledge][2]*port{}
	add := func(n *lnode, bottom bool, toward *lnode) *port {
		p := &port{n: n, bottom: bottom, toward: toward}
		s := sides[n]
		i := btoi(bottom)
		s[i] = append(s[i], p)
		sides[n] = s
		return p
	}
	for _, e := range l.edges {
		c := e.chain
		if c == nil {
			c = []*lnode{e.src, e.dst}
		}
		upper, lower := c[0], c[len(c)-1]
		if l.row(upper.rank) > l.row(lower.rank) {
			upper, lower = lower, upper
		}
		same := upper.rank == lower.rank
		var toUpper, toLower *lnode = upper, lower
		if len(c) > 2 && !e.unrouted {
			// The ends of a long edge face the lanes next to them.
			toLower, toUpper = c[1], c[len(c)-2]
			if upper != c[0] {
				toLower, toUpper = c[len(c)-2], c[1]
			}
		}
		ends[e] = [2]*port{add(upper, true, toLower), add(lower, same, toUpper)}
	}
	for n, s := range sides {
		for _, side := range s {
			slices.SortStableFunc(side, func(a, b *port) int { return cmp.Compare(a.toward.cx(), b.toward.cx()) })
			for i, p := range side {
				p.x = n.x + float64(n.w)*float64(i+1)/float64(len(side)+1)
			}
		}
	}
	return ends
}

// pieces is the course of an edge from its source to its target: through
// the lane of each row a long edge passes, or an arc below the row for two
// boxes of the same row.
func (l *drawing) pieces(e *ledge, ends [2]*port) []bez {
	up, lo := ends[0], ends[1]
	a := pt{up.x, float64(up.n.y + nodeH)}
	var bs []bez
	if up.n.rank == lo.n.rank {
		// Same row: an arc dipping into the space below it.
		b := pt{lo.x, a.y}
		k := float64(arcDepth) * 4 / 3
		bs = []bez{{p: [4]pt{a, {a.x, a.y + k}, {b.x, b.y + k}, b}, gap: true}}
	} else {
		lanes := []*lnode{}
		if !e.unrouted && len(e.chain) > 2 {
			lanes = slices.Clone(e.chain[1 : len(e.chain)-1])
			if l.row(e.chain[0].rank) > l.row(e.chain[len(e.chain)-1].rank) {
				slices.Reverse(lanes)
			}
		}
		for _, d := range lanes {
			top := pt{d.cx(), float64(d.y)}
			bs = append(bs, vertical(a, top, true), vertical(top, pt{top.x, float64(d.y + nodeH)}, false))
			a = pt{top.x, float64(d.y + nodeH)}
		}
		bs = append(bs, vertical(a, pt{lo.x, float64(lo.n.y)}, !e.unrouted))
	}
	if up.n != e.src {
		// Drawn from source to target, so the arrow marks the target.
		slices.Reverse(bs)
		for i := range bs {
			p := bs[i].p
			bs[i].p = [4]pt{p[3], p[2], p[1], p[0]}
		}
	}
	return bs
}

// svgPath renders Bézier pieces as SVG path data.
func svgPath(bs []bez) string {
	var b strings.Builder
	for i, z := range bs {
		if i == 0 {
			fmt.Fprintf(&b, "M%.0f,%.0f", z.p[0].x, z.p[0].y)
		}
		fmt.Fprintf(&b, " C%.0f,%.0f %.0f,%.0f %.0f,%.0f", z.p[1].x, z.p[1].y, z.p[2].x, z.p[2].y, z.p[3].x, z.p[3].y)
	}
	return b.String()
}

// labelPlaces places edge labels one at a time where they touch no box and no
// label placed before.
type labelPlaces struct {
	w, h   int
	boxes  []box // CI and "+N more" boxes
	placed []box
}

// labelSpots are the places tried along each piece of an edge, middle
// first.
var labelSpots = []float64{0.5, 0.35, 0.65, 0.22, 0.78}

// labelPad keeps a label this far from boxes and other labels.
const labelPad = 2

// find returns the first free place for text on the edge, as the label's
// box and its text anchor, or a zero box when there is none.
func (ls *labelPlaces) find(text string, bs []bez) (box, int, int) {
	w := labelWidth(text)
	for _, t := range labelSpots {
		for _, z := range bs {
			if !z.gap {
				continue
			}
			c := z.at(t)
			b := box{int(math.Round(c.x)) - w/2, int(math.Round(c.y)) - labelH/2, w, labelH}
			if ls.free(b) {
				ls.placed = append(ls.placed, b)
				return b, b.X + w/2, b.Y + labelH - 4
			}
		}
	}
	return box{}, 0, 0
}

func (ls *labelPlaces) free(b box) bool {
	if b.X < 0 || b.Y < 0 || b.X+b.W > ls.w || b.Y+b.H > ls.h {
		return false
	}
	padded := box{b.X - labelPad, b.Y - labelPad, b.W + 2*labelPad, b.H + 2*labelPad}
	for _, o := range ls.boxes {
		if padded.overlaps(o) {
			return false
		}
	}
	for _, o := range ls.placed {
		if padded.overlaps(o) {
			return false
		}
	}
	return true
}
