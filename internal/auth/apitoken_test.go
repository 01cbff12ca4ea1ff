package auth_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/auth"
	"github.com/rampart-itsm/rampart/internal/errs"
)

func TestTokenStoredOnlyHashed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		raw, tok, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "ci pipeline", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !auth.LooksLikeToken(raw) || tok.Username != "alice" || tok.Name != "ci pipeline" {
			t.Fatalf("token %q %+v", raw, tok)
		}
		if got := f.scalar(`SELECT token_hash FROM api_tokens WHERE id = $1`, tok.ID); got != auth.HashToken(raw) {
			t.Fatalf("stored %q, want the token's hash", got)
		}
		if strings.Contains(f.dbText(), raw) {
			t.Fatal("the raw token is stored somewhere in the database")
		}
		if strings.Contains(f.tableText("audit_log"), auth.HashToken(raw)) {
			t.Fatal("the token hash is in the audit log")
		}
		p, err := f.svc.TokenPrincipal(f.ctx, raw)
		if err != nil || p.Username != "alice" || !p.Has(auth.RoleAgent) {
			t.Fatalf("token principal %+v %v", p, err)
		}
	})
}

func TestTokenPrincipalRefusals(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		f.user("bob", auth.RoleAgent)
		mk := func(user string, expires *time.Time) string {
			raw, _, err := f.svc.CreateToken(f.ctx, auth.System, user, "t", expires)
			if err != nil {
				t.Fatal(err)
			}
			return raw
		}
		valid := mk("alice", nil)
		expiring := mk("alice", ptr(f.after(time.Hour)))
		revoked := mk("alice", nil)
		disabled := mk("bob", nil)
		toks, err := f.svc.FindTokens(f.ctx, auth.System, "alice")
		if err != nil || len(toks) != 3 {
			t.Fatalf("alice's tokens: %v %v", toks, err)
		}
		if err := f.svc.RevokeToken(f.ctx, auth.System, toks[0].ID); err != nil { // newest first: "revoked"
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "bob", auth.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.TokenPrincipal(f.ctx, expiring); err != nil {
			t.Fatalf("token before its expiry: %v", err)
		}
		f.clk.Advance(time.Hour)
		cases := []struct {
			name, token string
			want        errs.Kind
		}{
			{"valid", valid, ""},
			{"expired", expiring, errs.Unauthenticated},
			{"revoked", revoked, errs.Unauthenticated},
			{"user disabled", disabled, errs.Unauthenticated},
			{"unknown", auth.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", errs.Unauthenticated},
			{"empty", "", errs.Unauthenticated},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.TokenPrincipal(f.ctx, c.token)
				wantKind(t, err, c.want)
			})
		}
	})
}

func TestTokenLastUsedWrittenAtMostOncePerMinute(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		raw, tok, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "t", nil)
		if err != nil {
			t.Fatal(err)
		}
		lastUsed := func() string { return f.scalar(`SELECT last_used_at FROM api_tokens WHERE id = $1`, tok.ID) }
		if lastUsed() != "" {
			t.Fatal("unused token has a last use")
		}
		use := func() {
			t.Helper()
			if _, err := f.svc.TokenPrincipal(f.ctx, raw); err != nil {
				t.Fatal(err)
			}
		}
		use()
		first := lastUsed()
		if first == "" {
			t.Fatal("first use not recorded")
		}
		f.clk.Advance(59 * time.Second)
		use()
		if lastUsed() != first {
			t.Fatal("use within a minute was written")
		}
		f.clk.Advance(time.Second)
		use()
		if lastUsed() == first {
			t.Fatal("use after a minute was not written")
		}
	})
}

func TestTokenPermissions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		admin := f.user("root", auth.RoleAdmin)
		requester := f.user("dave", auth.RoleRequester)
		auditor := f.user("carol", auth.RoleAuditor)
		f.user("alice", auth.RoleAgent)
		_, alices, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "alice's", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, daves, err := f.svc.CreateToken(f.ctx, requester, "", "my laptop", nil)
		if err != nil {
			t.Fatalf("requester creates own token: %v", err)
		}
		create := func(p auth.Principal, user string) error {
			_, _, err := f.svc.CreateToken(f.ctx, p, user, "x", nil)
			return err
		}
		find := func(p auth.Principal, user string) error {
			_, err := f.svc.FindTokens(f.ctx, p, user)
			return err
		}
		cases := []struct {
			name string
			run  func() error
			want errs.Kind
		}{
			{"requester creates own", func() error { return create(requester, "dave") }, ""},
			{"requester lists own", func() error { return find(requester, "") }, ""},
			{"requester creates for another", func() error { return create(requester, "alice") }, errs.Forbidden},
			{"requester lists another's", func() error { return find(requester, "alice") }, errs.Forbidden},
			// Another user's token is hidden: as missing as a wrong id.
			{"requester revokes another's", func() error { return f.svc.RevokeToken(f.ctx, requester, alices.ID) }, errs.NotFound},
			{"auditor creates for another", func() error { return create(auditor, "alice") }, errs.Forbidden},
			{"auditor lists another's", func() error { return find(auditor, "alice") }, errs.Forbidden},
			{"auditor revokes another's", func() error { return f.svc.RevokeToken(f.ctx, auditor, alices.ID) }, errs.NotFound},
			{"anonymous creates", func() error { return create(auth.Principal{}, "alice") }, errs.Unauthenticated},
			{"anonymous revokes", func() error { return f.svc.RevokeToken(f.ctx, auth.Principal{}, alices.ID) }, errs.Unauthenticated},
			{"admin creates for another", func() error { return create(admin, "alice") }, ""},
			{"admin lists another's", func() error { return find(admin, "alice") }, ""},
			{"admin creates for nobody", func() error { return create(admin, "nobody") }, errs.NotFound},
			{"admin revokes a missing token", func() error { return f.svc.RevokeToken(f.ctx, admin, 99999) }, errs.NotFound},
			{"admin revokes another's", func() error { return f.svc.RevokeToken(f.ctx, admin, alices.ID) }, ""},
			{"requester revokes own", func() error { return f.svc.RevokeToken(f.ctx, requester, daves.ID) }, ""},
			{"revoking twice is harmless", func() error { return f.svc.RevokeToken(f.ctx, requester, daves.ID) }, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantKind(t, c.run(), c.want) })
		}
		toks, err := f.svc.FindTokens(f.ctx, admin, "alice")
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range toks {
			if tok.ID == alices.ID && tok.RevokedAt == nil {
				t.Fatal("admin's revocation not stored")
			}
		}
	})
}

func TestCreateTokenValidation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		alice := f.user("alice", auth.RoleAgent)
		f.user("bob", auth.RoleAgent)
		if _, err := f.svc.UpdateUser(f.ctx, auth.System, "bob", auth.UserUpdate{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, user, token string
			expires           *time.Time
			field             string
		}{
			{"no name", "alice", "  ", nil, "name"},
			{"name too long", "alice", strings.Repeat("x", 101), nil, "name"},
			{"expiry in the past", "alice", "t", ptr(f.after(-time.Second)), "expires_at"},
			{"expiry now", "alice", "t", ptr(f.after(0)), "expires_at"},
			{"disabled user", "bob", "t", nil, "username"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := alice
				if c.user != "alice" {
					p = auth.System
				}
				_, _, err := f.svc.CreateToken(f.ctx, p, c.user, c.token, c.expires)
				wantKind(t, err, errs.Invalid)
				if e, _ := errs.As(err); len(e.Fields) != 1 || e.Fields[0].Field != c.field {
					t.Fatalf("fields %+v, want %s", e.Fields, c.field)
				}
			})
		}
	})
}

func TestTokenScopes(t *testing.T) {
	parse := []struct {
		in   string
		want []auth.TokenScope
		bad  bool
	}{
		{"", []auth.TokenScope{auth.ScopeFull}, false},
		{"read", []auth.TokenScope{auth.ScopeRead}, false},
		{" Read, metrics read", []auth.TokenScope{auth.ScopeMetrics, auth.ScopeRead}, false},
		{"read,full", []auth.TokenScope{auth.ScopeFull}, false},
		{"write", nil, true},
	}
	for _, c := range parse {
		got, err := auth.ParseTokenScopes(c.in)
		if (err != nil) != c.bad || !slices.Equal(got, c.want) {
			t.Errorf("ParseTokenScopes(%q) = %v, %v", c.in, got, err)
		}
	}
	allows := []struct {
		scopes []auth.TokenScope
		need   auth.TokenScope
		want   bool
	}{
		{nil, auth.ScopeFull, true}, // a session
		{[]auth.TokenScope{auth.ScopeFull}, auth.ScopeFull, true},
		{[]auth.TokenScope{auth.ScopeRead}, auth.ScopeRead, true},
		{[]auth.TokenScope{auth.ScopeRead}, auth.ScopeMetrics, true},
		{[]auth.TokenScope{auth.ScopeRead}, auth.ScopeFull, false},
		{[]auth.TokenScope{auth.ScopeMetrics}, auth.ScopeMetrics, true},
		{[]auth.TokenScope{auth.ScopeMetrics}, auth.ScopeRead, false},
		{[]auth.TokenScope{}, auth.ScopeRead, false}, // scopes given but none left: nothing
	}
	for _, c := range allows {
		if got := (auth.Principal{Scopes: c.scopes}).Allows(c.need); got != c.want {
			t.Errorf("scopes %v allow %s = %v", c.scopes, c.need, got)
		}
	}
	each(t, func(t *testing.T, f *fixture) {
		f.user("alice", auth.RoleAgent)
		raw, tok, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "read-only", nil, auth.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tok.Scopes, []auth.TokenScope{auth.ScopeRead}) {
			t.Fatalf("created token scopes %v", tok.Scopes)
		}
		p, err := f.svc.TokenPrincipal(f.ctx, raw)
		if err != nil || !slices.Equal(p.Scopes, []auth.TokenScope{auth.ScopeRead}) {
			t.Fatalf("principal scopes %v, %v", p.Scopes, err)
		}
		// A read token cannot mint itself a full one.
		if _, _, err := f.svc.CreateToken(f.ctx, p, "", "escalate", nil); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("read principal issued a token: %v", err)
		}
		if _, _, err := f.svc.CreateToken(f.ctx, auth.System, "alice", "x", nil, "bogus"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown scope: %v", err)
		}
		toks, err := f.svc.FindTokens(f.ctx, auth.System, "alice")
		if err != nil || len(toks) != 1 || !slices.Equal(toks[0].Scopes, []auth.TokenScope{auth.ScopeRead}) {
			t.Fatalf("listed tokens %+v, %v", toks, err)
		}
	})
}
