package incident

import (
	"fmt"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// Matrix is the priority matrix: Priority[impact-1][urgency-1] is the
// priority (1 critical .. 5 planning) of an incident with that impact and
// urgency (each 1 high .. 3 low). It is configuration data, stored, audited
// and changed by admins; a change applies to incidents created or
// re-prioritised after it.
type Matrix struct {
	Priority [3][3]int
}

// DefaultMatrix is the ITIL matrix a new installation starts with.
var DefaultMatrix = Matrix{Priority: [3][3]int{{1, 2, 3}, {2, 3, 4}, {3, 4, 5}}}

// Cell is one entry of the matrix as the API shows it.
type Cell struct {
	Impact   int `json:"impact"`
	Urgency  int `json:"urgency"`
	Priority int `json:"priority"`
}

// Cells lists the matrix row by row.
func (m Matrix) Cells() []Cell {
	out := make([]Cell, 0, 9)
	for i := range 3 {
		for u := range 3 {
			out = append(out, Cell{Impact: i + 1, Urgency: u + 1, Priority: m.Priority[i][u]})
		}
	}
	return out
}

// Of returns the priority for impact and urgency, which must be 1..3.
func (m Matrix) Of(impact, urgency int) int { return m.Priority[impact-1][urgency-1] }

// MatrixFromCells builds a matrix from exactly one cell per impact and
// urgency, each priority 1..5; errors name the cell.
func MatrixFromCells(cells []Cell) (Matrix, error) {
	var m Matrix
	var fe errs.Fields
	seen := map[[2]int]bool{}
	for i, c := range cells {
		field := fmt.Sprintf("cells[%d]", i)
		switch {
		case c.Impact < 1 || c.Impact > 3:
			fe.Add(field+".impact", "must be 1, 2 or 3")
		case c.Urgency < 1 || c.Urgency > 3:
			fe.Add(field+".urgency", "must be 1, 2 or 3")
		case c.Priority < 1 || c.Priority > 5:
			fe.Add(field+".priority", "must be between 1 and 5")
		case seen[[2]int{c.Impact, c.Urgency}]:
			fe.Add(field, "impact %d and urgency %d are given twice", c.Impact, c.Urgency)
		default:
			seen[[2]int{c.Impact, c.Urgency}] = true
			m.Priority[c.Impact-1][c.Urgency-1] = c.Priority
		}
	}
	if len(fe) == 0 && len(seen) != 9 {
		fe.Add("cells", "give all 9 combinations of impact and urgency (1 to 3 each); %d given", len(seen))
	}
	return m, fe.Err()
}
