package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func newCIShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show KEY",
		Short: "Show one CI with its attributes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			ci, err := c.GetCI(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return render(cmd, ci, func(w io.Writer) { ciDetails(w, ci) })
		},
	}
}

// ciDetails prints a CI as "field  value" lines.
func ciDetails(w io.Writer, ci cmdb.CI) {
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", cell(k), orDash(v)) }
	row("key", ci.Key)
	row("name", ci.Name)
	row("kind", string(ci.Kind))
	row("business criticality", fmt.Sprint(ci.Criticality))
	row("environment", ci.Environment)
	row("owner", ci.Owner)
	row("support group", ci.SupportGroup)
	row("data classification", ci.DataClassification)
	row("internet exposed", fmt.Sprint(ci.InternetExposed))
	row("supplier", ci.Supplier)
	row("lifecycle status", ci.LifecycleStatus)
	row("description", ci.Description)
	id := ci.Identifiers
	row("hostnames", strings.Join(id.Hostnames, ", "))
	row("fqdns", strings.Join(id.FQDNs, ", "))
	row("ips", strings.Join(id.IPs, ", "))
	row("macs", strings.Join(id.MACs, ", "))
	row("serial", id.Serial)
	row("cloud id", id.CloudID)
	row("tags", strings.Join(ci.Tags, ", "))
	keys := make([]string, 0, len(ci.Attributes))
	for k := range ci.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := json.Marshal(ci.Attributes[k])
		row("attr."+k, string(v))
	}
	fields := make([]string, 0, len(ci.Sources))
	for f := range ci.Sources {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		row("source of "+f, ci.Sources.Says(f))
	}
	row("version", fmt.Sprint(ci.Version))
	row("updated", ci.UpdatedAt.Format(time.RFC3339))
}
