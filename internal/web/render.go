package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
)

//go:embed templates
var templateFS embed.FS

// layout is embedded in every page's view: what the shared frame needs.
type layout struct {
	Title   string
	Section string  // highlights the navigation entry: cmdb, imports, audit, users, teams
	Viewer  *viewer // nil on pages shown before sign-in
	CSRF    string
	Flash   string
}

// viewer is the signed-in user as the frame shows them. Templates ask
// Can whether to show a link or button, so they hide exactly what the
// services would refuse.
type viewer struct {
	Username    string
	DisplayName string
	Roles       []auth.Role
	RoleText    string // "admin, auditor"
	p           auth.Principal
	// off are actions whose pages this server does not serve (no jobs
	// runner), so no link leads to a "not found".
	off []auth.Action
}

// Can reports whether the viewer may take the named action, by the same
// permission table the services enforce: {{if .Viewer.Can "ci:write"}}.
// An unknown name fails the page instead of hiding something from everyone.
func (v *viewer) Can(action string) (bool, error) {
	a := auth.Action(action)
	if !a.Valid() {
		return false, fmt.Errorf("template asks Can(%q), which is no action", action)
	}
	return v != nil && v.p.Can(a) && !slices.Contains(v.off, a), nil
}

// frame builds the layout for a signed-in page.
func (s *server) frame(r *http.Request, rq *request, title, section string) layout {
	l := layout{Title: title, Section: section, Flash: flashFor(r.URL.Query().Get("done"))}
	if rq == nil || (rq.P.UserID == 0 && !rq.P.System) {
		return l
	}
	name := rq.User.DisplayName
	if name == "" {
		name = rq.P.Username
	}
	roles := make([]string, len(rq.P.Roles))
	for i, r := range rq.P.Roles {
		roles[i] = label(r)
	}
	l.Viewer = &viewer{Username: rq.P.Username, DisplayName: name, Roles: rq.P.Roles, RoleText: strings.Join(roles, ", "), p: rq.P}
	if s.Jobs == nil {
		l.Viewer.off = append(l.Viewer.off, auth.JobsAdmin)
	}
	if rq.Session != nil {
		l.CSRF = rq.Session.CSRFToken
	}
	return l
}

// loadTemplates parses every page template together with the shared
// layout and partials. A broken template panics at start, never mid-request.
func loadTemplates() map[string]*template.Template {
	base := template.Must(template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/shared/*.html"))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, f))
	}
	return pages
}

// render writes a page. It renders into a buffer first so a template error
// becomes the error page instead of half a page.
func (s *server) render(w http.ResponseWriter, status int, page string, view any) error {
	t, ok := s.pages[page]
	if !ok {
		panic("web: no template " + page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// redirect answers a successful form POST (post/redirect/get), optionally
// with a flash code the next page turns into a message.
func redirect(w http.ResponseWriter, r *http.Request, to, done string) error {
	if done != "" {
		path, frag, _ := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		to = path + sep + "done=" + done
		if frag != "" {
			to += "#" + frag
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// flashes maps the codes redirects carry to the messages shown; only these
// fixed texts can appear, so a crafted link cannot put words on the page.
var flashes = map[string]string{
	"created":          "Created.",
	"updated":          "Saved.",
	"deleted":          "Deleted.",
	"relation-added":   "Relationship added.",
	"relation-deleted": "Relationship removed.",
	"password":         "Your password was changed.",
	"disabled":         "User disabled.",
	"enabled":          "User enabled.",
	"unlocked":         "Sign-in lock lifted.",
	"revoked":          "Token revoked.",
	"retried":          "Job queued again.",
	"note-added":       "Added to the timeline.",
}

func flashFor(code string) string { return flashes[code] }
