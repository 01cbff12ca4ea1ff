package cmdb_test

import (
	"reflect"
	"testing"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestNormalizeIdentifierValues(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) (string, error)
		in   string
		want string // "" = invalid
	}{
		{"ipv4", cmdb.NormalizeIP, " 192.168.1.5 ", "192.168.1.5"},
		{"ipv6 compressed", cmdb.NormalizeIP, "2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"ipv4-mapped ipv6 unmapped", cmdb.NormalizeIP, "::ffff:10.0.0.1", "10.0.0.1"},
		{"ip leading zeros refused", cmdb.NormalizeIP, "010.0.0.1", ""},
		{"ip with zone refused", cmdb.NormalizeIP, "fe80::1%eth0", ""},
		{"ip prefix refused", cmdb.NormalizeIP, "10.0.0.0/8", ""},
		{"ip out of range", cmdb.NormalizeIP, "256.1.1.1", ""},
		{"mac colons upper", cmdb.NormalizeMAC, "00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e"},
		{"mac hyphens", cmdb.NormalizeMAC, "00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e"},
		{"mac cisco dots", cmdb.NormalizeMAC, "001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"},
		{"mac bare hex", cmdb.NormalizeMAC, "001A2B3C4D5E", "00:1a:2b:3c:4d:5e"},
		{"mac eui-64", cmdb.NormalizeMAC, "00:1a:2b:ff:fe:3c:4d:5e", "00:1a:2b:ff:fe:3c:4d:5e"},
		{"mac too short", cmdb.NormalizeMAC, "00:1a:2b", ""},
		{"mac not hex", cmdb.NormalizeMAC, "zz:1a:2b:3c:4d:5e", ""},
		{"hostname lowered", cmdb.NormalizeHostname, "Web-01", "web-01"},
		{"hostname trailing dot", cmdb.NormalizeHostname, "web-01.example.com.", "web-01.example.com"},
		{"hostname underscore tolerated", cmdb.NormalizeHostname, "win_srv01", "win_srv01"},
		{"hostname space refused", cmdb.NormalizeHostname, "web 01", ""},
		{"hostname leading hyphen refused", cmdb.NormalizeHostname, "-web", ""},
		{"hostname empty label refused", cmdb.NormalizeHostname, "web..example", ""},
		{"hostname empty refused", cmdb.NormalizeHostname, "  ", ""},
		{"fqdn", cmdb.NormalizeFQDN, "DB.Example.COM", "db.example.com"},
		{"fqdn needs a dot", cmdb.NormalizeFQDN, "db", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("%q accepted as %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("%q = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizeIdentifiersNamesBadField(t *testing.T) {
	var fe errs.Fields
	got := cmdb.NormalizeIdentifiers(cmdb.Identifiers{
		IPs:       []string{"10.0.0.1", "nonsense", "10.0.0.1"},
		Hostnames: []string{"Web-01", "web-01"},
		MACs:      []string{"bad"},
		Serial:    " SN123 ",
	}, "", &fe)
	want := cmdb.Identifiers{IPs: []string{"10.0.0.1"}, Hostnames: []string{"web-01"}, Serial: "SN123"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	fields := map[string]bool{}
	for _, f := range fe {
		fields[f.Field] = true
	}
	if len(fe) != 2 || !fields["identifiers.ips[1]"] || !fields["identifiers.macs[0]"] {
		t.Fatalf("field errors = %+v, want identifiers.ips[1] and identifiers.macs[0]", fe)
	}
}
