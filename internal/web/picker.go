package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// Pickers let people choose a CI, an owner or a support group by name.
// Each is a plain text input that accepts a name (the server resolves it
// on submit, so the form works without JavaScript) with a datalist that
// app.js fills as one types, from GET /pick/{cis,users,teams}?q=.

// pickLimit is how many suggestions a picker offers at once.
const pickLimit = 10

// pickOption is one suggestion: the value the input takes and the words
// shown beside it.
type pickOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// ciKeyPattern is a CI key typed as such, alone or at the start of a
// suggestion's text ("CI-12 orders-db").
var ciKeyPattern = regexp.MustCompile(`(?i)^(ci-[0-9]+)(\s|$)`)

// ciOptions suggests the CIs whose name or identifiers contain text (the
// CMDB search), and says how many match in all.
func (s *server) ciOptions(ctx context.Context, p auth.Principal, text string) ([]pickOption, []cmdb.CI, int, error) {
	page, err := s.CMDB.FindCIs(ctx, p, cmdb.Filter{Query: text, Limit: pickLimit})
	if err != nil {
		return nil, nil, 0, err
	}
	opts := make([]pickOption, len(page.Items))
	for i, ci := range page.Items {
		opts[i] = pickOption{Value: ci.Key, Label: ci.Name + " · " + label(ci.Kind)}
	}
	return opts, page.Items, page.Total, nil
}

// resolveCI turns what was typed into a CI picker into a key: a key as
// such, a suggestion ("CI-12 orders-db"), or a name (or any search) that
// names one CI the viewer may see, exactly or as the only match. Otherwise
// problem says why, and opts lists the candidates to pick from.
func (s *server) resolveCI(ctx context.Context, p auth.Principal, text string) (key string, opts []pickOption, problem string, err error) {
	text = strings.TrimSpace(text)
	if m := ciKeyPattern.FindStringSubmatch(text); m != nil {
		return strings.ToUpper(m[1]), nil, "", nil
	}
	if text == "" {
		return "", nil, "type the name or key of the other CI", nil
	}
	opts, cis, total, err := s.ciOptions(ctx, p, text)
	if err != nil {
		return "", nil, "", err
	}
	var exact []string
	for _, ci := range cis {
		if strings.EqualFold(ci.Name, text) {
			exact = append(exact, ci.Key)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil, "", nil
	case total == 1:
		return cis[0].Key, nil, "", nil
	case total == 0:
		return "", nil, fmt.Sprintf("no CI you may see matches %q", text), nil
	}
	return "", opts, fmt.Sprintf("%q matches %d CIs: pick one from the list, or type more of its name", text, total), nil
}

// userOptions suggests users whose username or display name contains
// text; none when the viewer may not read the directory.
func (s *server) userOptions(ctx context.Context, p auth.Principal, text string) []pickOption {
	page, err := s.Auth.FindUsers(ctx, p, auth.UserFilter{Query: text, Limit: pickLimit})
	if err != nil {
		return nil
	}
	opts := make([]pickOption, len(page.Items))
	for i, u := range page.Items {
		opts[i] = pickOption{Value: u.Username, Label: u.DisplayName}
	}
	return opts
}

// resolveUser turns what was typed into an owner picker into a username:
// a username as such, or a display name that one user has. Anything else
// is left as typed, for the CMDB to report as an unknown user.
func (s *server) resolveUser(ctx context.Context, p auth.Principal, text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	if _, err := s.Auth.FindUserByName(ctx, p, text); err == nil {
		return text
	}
	page, err := s.Auth.FindUsers(ctx, p, auth.UserFilter{Query: text, Limit: pickLimit})
	if err != nil {
		return text
	}
	var match []string
	for _, u := range page.Items {
		if strings.EqualFold(u.DisplayName, text) || strings.EqualFold(u.Username, text) {
			match = append(match, u.Username)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return text
}

// teamOptions suggests teams whose name contains text.
func (s *server) teamOptions(ctx context.Context, p auth.Principal, text string) []pickOption {
	teams, err := s.Auth.FindTeams(ctx, p)
	if err != nil {
		return nil
	}
	var opts []pickOption
	for _, t := range teams {
		if strings.Contains(strings.ToLower(t.Name), strings.ToLower(text)) && len(opts) < pickLimit {
			opts = append(opts, pickOption{Value: t.Name, Label: t.Description})
		}
	}
	return opts
}

// pick answers a picker's suggestions as JSON: [{"value", "label"}].
func (s *server) pick(w http.ResponseWriter, r *http.Request, rq *request) error {
	text := strings.TrimSpace(r.URL.Query().Get("q"))
	opts := []pickOption{}
	switch r.PathValue("what") {
	case "cis":
		if err := rq.P.Require(auth.CIRead); err != nil {
			return err
		}
		if text != "" {
			found, _, _, err := s.ciOptions(r.Context(), rq.P, text)
			if err != nil {
				return err
			}
			opts = found
		}
	case "users":
		opts = append(opts, s.userOptions(r.Context(), rq.P, text)...)
	case "teams":
		opts = append(opts, s.teamOptions(r.Context(), rq.P, text)...)
	default:
		return errs.E(errs.NotFound, "no such picker")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(opts)
}
