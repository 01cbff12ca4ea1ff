package cmdbtest

import (
	"fmt"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// CSVCandidates returns n import candidates numbered from start, shaped
// like the rows of a typical CMDB CSV export: name, kind, environment,
// business_criticality, hostname, ip, mac, tags and two attr.* columns.
// Host i always has the same identifiers, so importing the same range
// twice exercises the unchanged path. env is written into every row, so a
// second import with another env updates every CI.
func CSVCandidates(start, n int, env string) []cmdb.Candidate {
	out := make([]cmdb.Candidate, n)
	kinds := []cmdb.Kind{cmdb.KindServer, cmdb.KindVirtualMachine, cmdb.KindServer, cmdb.KindNetworkDevice}
	for j := range out {
		i := start + j
		name := fmt.Sprintf("host-%07d", i)
		kind := kinds[i%len(kinds)]
		crit := 1 + i%5
		tags := []string{"imported"}
		attrs := map[string]any{"os": "debian 12", "rack": fmt.Sprintf("r%03d", i%500)}
		e := env
		out[j] = cmdb.Candidate{
			Row:   j + 1,
			Label: fmt.Sprintf("row %d (%s)", j+1, name),
			Identifiers: cmdb.Identifiers{
				Hostnames: []string{name},
				IPs:       []string{fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)},
				MACs:      []string{fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", i>>24&255, i>>16&255, i>>8&255, i&255)},
			},
			Fields: cmdb.Update{Name: &name, Kind: &kind, Environment: &e, Criticality: &crit, Tags: &tags, Attributes: &attrs},
		}
	}
	return out
}
