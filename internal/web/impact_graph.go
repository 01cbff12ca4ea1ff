package web

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// The impact picture is a layered drawing: the root CI in one row, every
// CI reached in the row of its distance from the root. What is needed is
// drawn below what needs it, so a downstream picture has the root at the
// bottom and the business services on top, an upstream one the root on
// top and the infrastructure underneath; arrows point at what is needed.
// Rows are ordered to reduce crossings (impact_order.go), boxes are pulled
// towards what they connect to and edges are routed and labelled without
// a label touching another label or a box (impact_route.go). A row holds at
// most maxPerRank boxes, so the picture is never wider than the page; the
// rest of a row is one "+N more" box that links to the row expanded.

// Drawing geometry, in SVG user units (pixels at 100 %).
const (
	nodeW    = 172
	nodeH    = 46
	gapX     = 20 // between two boxes of one row
	dummyW   = 10 // the lane a long edge takes through a row it passes
	dummyGap = 6  // between a lane and its neighbours
	rankGap  = 72 // between rows: room for the edges and their labels
	margin   = 12
	labelH   = 15
	// maxPerRank boxes side by side make maxGraphWidth, the width of the
	// page's content column (main is 1,400 px with 24 px padding, less
	// the card's border), so the picture is drawn at 100 % on a laptop.
	maxPerRank    = 7
	maxGraphWidth = 2*margin + maxPerRank*nodeW + (maxPerRank-1)*gapX
	// maxExpanded bounds a row the user expanded: the picture then
	// scrolls sideways; beyond this the table below lists the rest.
	maxExpanded = 60
)

// graph is the laid-out impact picture, ready for the template.
type graph struct {
	W, H   int
	Nodes  []graphNode // one box per CI drawn
	More   []graphNode // "+N more" boxes, one per row that was cut
	Edges  []graphEdge
	Hidden int // CIs reached but not drawn
	// Wide: an expanded row made the picture wider than the page; it keeps
	// its natural size and scrolls instead of shrinking its text.
	Wide  bool
	Types []cmdb.RelationType // relation types drawn, for the legend
}

type graphNode struct {
	Key, Name, Kind string
	Title           string // full text for the tooltip
	Href            string
	Class           string
	X, Y, W, H      int
	TX, TY1, TY2    int // text anchor and the two baselines
	// A "+N more" box: its row, how many CIs it stands for, and whether
	// expanding the row would show them (else the link goes to the table).
	Rank, Count int
	Expandable  bool
}

type graphEdge struct {
	Path, Class, Marker, Title string
	Label                      string
	LX, LY                     int // label anchor (middle, baseline)
	Box                        box // the label's extent; zero without a label
}

// box is an axis-aligned rectangle.
type box struct{ X, Y, W, H int }

func (b box) overlaps(o box) bool {
	return b.X < o.X+o.W && o.X < b.X+b.W && b.Y < o.Y+o.H && o.Y < b.Y+b.H
}

func (n graphNode) box() box { return box{n.X, n.Y, n.W, n.H} }

// drawOptions are the viewer's choices that change the drawing.
type drawOptions struct {
	Expanded map[int]bool // rows (distance from the root) shown in full
}

// layoutGraph lays out what the impact analysis returned; nothing is
// looked up.
func layoutGraph(imp cmdb.Impact, opt drawOptions) graph {
	l := newDrawing(imp, opt)
	l.order()
	l.place()
	return l.draw()
}

// ciBox is the drawn box of a CI at (x, y).
func ciBox(ci *cmdb.CISummary, x, y int, root bool) graphNode {
	class := "node crit-" + fmt.Sprint(min(max(ci.Criticality, 0), 5))
	if ci.Kind == cmdb.KindBusinessService {
		class += " service"
	}
	if root {
		class += " root"
	}
	return graphNode{
		Key: ci.Key, Name: truncate(ci.Name, 23), Kind: label(ci.Kind),
		Title: fmt.Sprintf("%s %s (%s, criticality %d)", ci.Key, ci.Name, label(ci.Kind), ci.Criticality),
		Href:  "/cis/" + ci.Key, Class: class, X: x, Y: y, W: nodeW, H: nodeH, TX: x + 10, TY1: y + 19, TY2: y + 36,
	}
}

// moreBox is the "+N more" box standing for the CIs of a row not drawn.
func moreBox(n *lnode, x, y int) graphNode {
	what := "CIs"
	if n.hidden == 1 {
		what = "CI"
	}
	return graphNode{Name: fmt.Sprintf("+%d more", n.hidden), Class: "node more", Rank: n.rank, Count: n.hidden,
		Expandable: n.expandable,
		Title:      fmt.Sprintf("%d more %s at distance %d", n.hidden, what, n.rank),
		X:          x, Y: y, W: n.w, H: nodeH, TX: x + n.w/2, TY1: y + nodeH/2 + 5}
}

// labelWidth estimates the width of an edge label at 11 px: the server
// cannot measure text, so this errs wide.
func labelWidth(s string) int { return int(6.4*float64(utf8.RuneCountInString(s))) + 8 }

// relationWords is a relation type as the picture says it ("depends on").
func relationWords(t cmdb.RelationType) string { return strings.ToLower(label(t)) }

// truncate shortens s to n characters with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
