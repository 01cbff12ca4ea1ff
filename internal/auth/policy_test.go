package auth_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestParseRoles(t *testing.T) {
	cases := []struct {
		in   string
		want []auth.Role
		bad  bool
	}{
		{"", []auth.Role{}, false},
		{"agent", []auth.Role{auth.RoleAgent}, false},
		{"Auditor, agent,agent  requester", []auth.Role{auth.RoleAgent, auth.RoleAuditor, auth.RoleRequester}, false},
		{"agent,superuser", nil, true},
		{"admin;agent", nil, true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := auth.ParseRoles(c.in)
			if c.bad {
				wantKind(t, err, errs.Invalid)
				return
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("ParseRoles(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
	if r, err := auth.ParseRole(" Security_Analyst "); err != nil || r != auth.RoleSecurityAnalyst {
		t.Fatalf("ParseRole = %q %v", r, err)
	}
	if _, err := auth.ParseRole("root"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("ParseRole(root) = %v", err)
	}
}

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		username, password string
		ok                 bool
	}{
		{"alice", "twelve chars", true},
		{"alice", "eleven char", false},
		{"alice", "ééééééééééé", false}, // 11 characters, 22 bytes: length counts characters
		{"alice", "éééééééééééé", true},
		{"administrator", "Administrator", false},
		{"administrator", " administrator ", false},
		{"alice", strings.Repeat("x", 1025), false},
	}
	for _, c := range cases {
		err := auth.ValidatePassword(c.username, c.password)
		if (err == nil) != c.ok {
			t.Errorf("ValidatePassword(%q, %q) = %v, want ok=%v", c.username, c.password, err, c.ok)
		}
		if err != nil {
			if e, _ := errs.As(err); e.Fields[0].Field != "password" {
				t.Errorf("field %q", e.Fields[0].Field)
			}
		}
	}
}
