package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// Every template names real actions, so no control is hidden from everyone
// by a typo on a page no test happens to render.
func TestTemplatesAskKnownActions(t *testing.T) {
	ask := regexp.MustCompile(`\.Can\s+"([^"]*)"`)
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range ask.FindAllSubmatch(b, -1) {
			n++
			if !auth.Action(m[1]).Valid() {
				t.Errorf("%s asks Can(%q), which is no action", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no template asks Can: the pattern no longer matches how templates ask")
	}
}

func TestViewerCan(t *testing.T) {
	agent := &viewer{p: auth.Principal{UserID: 1, Roles: []auth.Role{auth.RoleAgent}}}
	admin := &viewer{p: auth.Principal{UserID: 2, Roles: []auth.Role{auth.RoleAdmin}}, off: []auth.Action{auth.JobsAdmin}}
	cases := []struct {
		name   string
		v      *viewer
		action string
		want   bool
		bad    bool
	}{
		{"granted", agent, "ci:write", true, false},
		{"not granted", agent, "user:manage", false, false},
		{"service not run", admin, "jobs:admin", false, false},
		{"admin", admin, "audit:read", true, false},
		{"nobody signed in", nil, "ci:read", false, false},
		{"typo", admin, "ci:wirte", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.v.Can(c.action)
			if got != c.want || (err != nil) != c.bad {
				t.Errorf("Can(%q) = %v, %v; want %v, error %v", c.action, got, err, c.want, c.bad)
			}
		})
	}
}
