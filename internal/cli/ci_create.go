package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ciCreateFlags maps each flag to its API field; the value is sent only
// when the flag was given, so the server applies its own defaults.
var ciCreateFlags = []struct{ flag, field, usage string }{
	{"name", "name", "display name (required)"},
	{"kind", "kind", "CI kind (required), e.g. server"},
	{"description", "description", "free text"},
	{"environment", "environment", "production, staging, …"},
	{"owner", "owner", "owner's username"},
	{"support-group", "support_group", "team that supports it"},
	{"data-classification", "data_classification", "public, internal, confidential or restricted"},
	{"supplier", "supplier", "vendor or provider"},
	{"lifecycle-status", "lifecycle_status", "planned, in_build, operational, maintenance or retired"},
}

func newCICreateCmd() *cobra.Command {
	var file string
	var crit int
	var exposed bool
	var ids cmdb.Identifiers
	var tags, attrs []string
	cmd := &cobra.Command{
		Use:   "create (--name NAME --kind KIND [flags] | --file ci.json)",
		Short: "Create a CI from flags or from a JSON file (- for stdin)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			var body any
			if file != "" {
				if body, err = readJSONFile(cmd, file); err != nil {
					return err
				}
			} else {
				m := map[string]any{}
				for _, f := range ciCreateFlags {
					if cmd.Flags().Changed(f.flag) {
						v, _ := cmd.Flags().GetString(f.flag)
						m[f.field] = v
					}
				}
				if cmd.Flags().Changed("criticality") {
					m["business_criticality"] = crit
				}
				if cmd.Flags().Changed("internet-exposed") {
					m["internet_exposed"] = exposed
				}
				m["identifiers"] = ids
				if len(tags) > 0 {
					m["tags"] = tags
				}
				if len(attrs) > 0 {
					a := map[string]any{}
					for _, kv := range attrs {
						k, v, ok := strings.Cut(kv, "=")
						if !ok || k == "" {
							return fmt.Errorf("--attr %q: want key=value", kv)
						}
						a[k] = v
					}
					m["attributes"] = a
				}
				body = m
			}
			ci, err := c.CreateCI(cmd.Context(), body)
			if err != nil {
				return err
			}
			return render(cmd, ci, func(w io.Writer) {
				fmt.Fprintf(w, "created %s\n\n", cell(ci.Key))
				ciDetails(w, ci)
			})
		},
	}
	fl := cmd.Flags()
	for _, f := range ciCreateFlags {
		fl.String(f.flag, "", f.usage)
	}
	fl.IntVar(&crit, "criticality", 0, "business criticality 1 (lowest) to 5 (default 3)")
	fl.BoolVar(&exposed, "internet-exposed", false, "reachable from the internet")
	fl.StringSliceVar(&ids.Hostnames, "hostname", nil, "host name (repeat or comma-separate)")
	fl.StringSliceVar(&ids.FQDNs, "fqdn", nil, "fully qualified domain name")
	fl.StringSliceVar(&ids.IPs, "ip", nil, "IP address")
	fl.StringSliceVar(&ids.MACs, "mac", nil, "MAC address")
	fl.StringVar(&ids.Serial, "serial", "", "serial number")
	fl.StringVar(&ids.CloudID, "cloud-id", "", "cloud resource id")
	fl.StringSliceVar(&tags, "tag", nil, "tag")
	fl.StringArrayVar(&attrs, "attr", nil, "attribute key=value (repeat)")
	fl.StringVar(&file, "file", "", "JSON file with the CI (- for stdin); excludes the field flags")
	for _, f := range ciCreateFlags {
		cmd.MarkFlagsMutuallyExclusive("file", f.flag)
	}
	return cmd
}

// readJSONFile reads a JSON document from path ("-" for stdin); the server
// checks its fields, this only makes sure it is JSON at all.
func readJSONFile(cmd *cobra.Command, path string) (json.RawMessage, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(cmd.InOrStdin())
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%s is not valid JSON", path)
	}
	return raw, nil
}
