package web

import (
	"fmt"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// Drawing geometry, in SVG user units (pixels at 100 %).
const (
	nodeW       = 190
	nodeH       = 50
	colGap      = 110 // room for the relation labels between layers
	rowGap      = 14
	margin      = 20
	maxPerLayer = 20 // more than this in one layer is summarised, the table lists them all
)

// graph is the impact picture laid out: layers of CIs left to right by
// distance from the root, edges labelled with the relation type.
type graph struct {
	W, H    int
	Nodes   []graphNode
	Edges   []graphEdge
	Hidden  int // CIs reached but not drawn (too many in a layer)
	Layers  int
	Summary []graphNode // "+N more" boxes
	// Deep graphs keep their natural size and scroll; narrower ones scale
	// to the page, which would make a deep one's labels unreadable.
	Deep bool
}

// maxScaledWidth is the widest graph still scaled to fit a laptop screen.
const maxScaledWidth = 1600

type graphNode struct {
	Key, Name, Kind string
	Title           string // full text for the tooltip
	Href            string
	Class           string
	X, Y, W, H      int
	TX, TY1, TY2    int // text anchor and the two baselines
}

type graphEdge struct {
	Path   string
	Label  string
	LX, LY int
}

// layoutGraph places the root in the first column and every reached CI in
// the column of its depth. Only what the service returned is drawn;
// nothing is looked up.
func layoutGraph(imp cmdb.Impact) graph {
	layers := [][]cmdb.CISummary{{imp.Root}}
	var g graph
	for _, n := range imp.Nodes {
		for len(layers) <= n.Depth {
			layers = append(layers, nil)
		}
		layers[n.Depth] = append(layers[n.Depth], n.CI)
	}
	rows := 1
	for _, l := range layers {
		rows = max(rows, min(len(l), maxPerLayer+1))
	}
	g.Layers = len(layers)
	g.W = 2*margin + len(layers)*nodeW + (len(layers)-1)*colGap
	g.H = 2*margin + rows*nodeH + (rows-1)*rowGap
	g.Deep = g.W > maxScaledWidth
	pos := map[string]graphNode{}
	for d, layer := range layers {
		shown := layer
		if len(layer) > maxPerLayer {
			shown = layer[:maxPerLayer]
		}
		n := len(shown)
		if len(layer) > maxPerLayer {
			n++
		}
		x := margin + d*(nodeW+colGap)
		top := margin + (g.H-2*margin-(n*nodeH+(n-1)*rowGap))/2
		for i, ci := range shown {
			gn := placeNode(ci, x, top+i*(nodeH+rowGap), d == 0)
			pos[ci.Key] = gn
			g.Nodes = append(g.Nodes, gn)
		}
		if extra := len(layer) - len(shown); extra > 0 {
			g.Hidden += extra
			y := top + len(shown)*(nodeH+rowGap)
			g.Summary = append(g.Summary, graphNode{Name: fmt.Sprintf("+%d more", extra), Class: "node more",
				Title: fmt.Sprintf("%d more CIs at depth %d; see the table", extra, d),
				X:     x, Y: y, W: nodeW, H: nodeH, TX: x + nodeW/2, TY1: y + nodeH/2 + 5})
		}
	}
	for _, e := range imp.Edges {
		src, ok1 := pos[e.Source]
		dst, ok2 := pos[e.Target]
		if ok1 && ok2 {
			g.Edges = append(g.Edges, edgeBetween(src, dst, label(e.Type)))
		}
	}
	return g
}

func placeNode(ci cmdb.CISummary, x, y int, root bool) graphNode {
	class := "node crit-" + fmt.Sprint(min(max(ci.Criticality, 0), 5))
	if ci.Kind == cmdb.KindBusinessService {
		class += " service"
	}
	if root {
		class += " root"
	}
	return graphNode{
		Key: ci.Key, Name: truncate(ci.Name, 24), Kind: label(ci.Kind),
		Title: fmt.Sprintf("%s %s (%s, criticality %d)", ci.Key, ci.Name, label(ci.Kind), ci.Criticality),
		Href:  "/cis/" + ci.Key, Class: class, X: x, Y: y, W: nodeW, H: nodeH, TX: x + 10, TY1: y + 20, TY2: y + 38,
	}
}

// edgeBetween draws a curve from the source box to the target box (the
// arrow points at what is needed), leaving and entering on the facing
// sides; boxes in the same column are joined round their right side.
func edgeBetween(src, dst graphNode, text string) graphEdge {
	sy, dy := src.Y+nodeH/2, dst.Y+nodeH/2
	var sx, dx, c1, c2 int
	switch {
	case src.X < dst.X:
		sx, dx = src.X+nodeW, dst.X
		c1, c2 = sx+colGap/2, dx-colGap/2
	case src.X > dst.X:
		sx, dx = src.X, dst.X+nodeW
		c1, c2 = sx-colGap/2, dx+colGap/2
	default:
		sx, dx = src.X+nodeW, dst.X+nodeW
		c1, c2 = sx+colGap/2, dx+colGap/2
	}
	return graphEdge{
		Path:  fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", sx, sy, c1, sy, c2, dy, dx, dy),
		Label: text, LX: (sx + dx) / 2, LY: (sy+dy)/2 - 4,
	}
}

// truncate shortens s to n characters with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
