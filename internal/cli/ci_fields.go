package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ciTextFlags maps each text flag to its API field; a value is sent only
// when its flag was given, so the server keeps (update) or defaults
// (create) the others.
var ciTextFlags = []struct{ flag, field, usage string }{
	{"name", "name", "display name"},
	{"kind", "kind", "CI kind, e.g. server"},
	{"description", "description", "free text"},
	{"environment", "environment", "production, staging, …"},
	{"owner", "owner", "owner's username"},
	{"support-group", "support_group", "team that supports it"},
	{"data-classification", "data_classification", "public, internal, confidential or restricted"},
	{"supplier", "supplier", "vendor or provider"},
	{"lifecycle-status", "lifecycle_status", "planned, in_build, operational, maintenance or retired"},
}

// ciIdentifierFlags name the identifier lists, each replacing its list.
var ciIdentifierFlags = []string{"hostname", "fqdn", "ip", "mac", "serial", "cloud-id"}

// ciFieldFlags are the flags that set a CI's fields, shared by ci create
// and ci update so both spell every field the same way.
type ciFieldFlags struct {
	file    string
	crit    int
	exposed bool
	ids     cmdb.Identifiers
	tags    []string
	attrs   []string
}

func (f *ciFieldFlags) register(cmd *cobra.Command, fileUsage string) {
	fl := cmd.Flags()
	for _, t := range ciTextFlags {
		fl.String(t.flag, "", t.usage)
	}
	fl.IntVar(&f.crit, "criticality", 0, "business criticality 1 (lowest) to 5")
	fl.BoolVar(&f.exposed, "internet-exposed", false, "reachable from the internet")
	fl.StringSliceVar(&f.ids.Hostnames, "hostname", nil, "host name (repeat or comma-separate)")
	fl.StringSliceVar(&f.ids.FQDNs, "fqdn", nil, "fully qualified domain name")
	fl.StringSliceVar(&f.ids.IPs, "ip", nil, "IP address")
	fl.StringSliceVar(&f.ids.MACs, "mac", nil, "MAC address")
	fl.StringVar(&f.ids.Serial, "serial", "", "serial number")
	fl.StringVar(&f.ids.CloudID, "cloud-id", "", "cloud resource id")
	fl.StringSliceVar(&f.tags, "tag", nil, "tag")
	fl.StringArrayVar(&f.attrs, "attr", nil, "attribute key=value (repeat)")
	fl.StringVar(&f.file, "file", "", fileUsage)
	for _, t := range ciTextFlags {
		cmd.MarkFlagsMutuallyExclusive("file", t.flag)
	}
	for _, name := range []string{"criticality", "internet-exposed", "tag", "attr"} {
		cmd.MarkFlagsMutuallyExclusive("file", name)
	}
	for _, name := range ciIdentifierFlags {
		cmd.MarkFlagsMutuallyExclusive("file", name)
	}
}

// body is a request body: the JSON of --file as it is, else the fields
// build makes from the flags.
func (f *ciFieldFlags) body(cmd *cobra.Command, build func() (map[string]any, error)) (any, error) {
	if f.file != "" {
		return readJSONFile(cmd, f.file)
	}
	return build()
}

// scalars returns the text, criticality and exposure fields given.
func (f *ciFieldFlags) scalars(cmd *cobra.Command) map[string]any {
	m := map[string]any{}
	for _, t := range ciTextFlags {
		if cmd.Flags().Changed(t.flag) {
			v, _ := cmd.Flags().GetString(t.flag)
			m[t.field] = v
		}
	}
	if cmd.Flags().Changed("criticality") {
		m["business_criticality"] = f.crit
	}
	if cmd.Flags().Changed("internet-exposed") {
		m["internet_exposed"] = f.exposed
	}
	return m
}

// identifiers returns base with each list whose flag was given replaced
// by the flag's values, and whether any was given.
func (f *ciFieldFlags) identifiers(cmd *cobra.Command, base cmdb.Identifiers) (cmdb.Identifiers, bool) {
	changed := false
	set := func(flag string, dst *[]string, v []string) {
		if cmd.Flags().Changed(flag) {
			*dst, changed = v, true
		}
	}
	set("hostname", &base.Hostnames, f.ids.Hostnames)
	set("fqdn", &base.FQDNs, f.ids.FQDNs)
	set("ip", &base.IPs, f.ids.IPs)
	set("mac", &base.MACs, f.ids.MACs)
	if cmd.Flags().Changed("serial") {
		base.Serial, changed = f.ids.Serial, true
	}
	if cmd.Flags().Changed("cloud-id") {
		base.CloudID, changed = f.ids.CloudID, true
	}
	return base, changed
}

// attributes parses the --attr key=value flags.
func (f *ciFieldFlags) attributes() (map[string]any, error) {
	a := map[string]any{}
	for _, kv := range f.attrs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--attr %q: want key=value", kv)
		}
		a[k] = v
	}
	return a, nil
}
