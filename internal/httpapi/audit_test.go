package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Verification reports a chain edited behind the application's back as a
// finding (ok=false, where), not as a failed request.
func TestAuditVerifyFindsTampering(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.fixture()
		v := newValidator(t, e)
		e.run(t, v, []step{{name: "intact", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit/verify"}, want: 200, contains: []string{`"ok":true`}}})
		drop := `DROP TRIGGER audit_log_no_update`
		if e.db.Dialect.Name == "postgres" {
			drop += ` ON audit_log`
		}
		for _, q := range []string{drop, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`} {
			if _, err := e.db.SQL().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		e.run(t, v, []step{
			// Entry 3 was verified before the edit: only a full walk reads it again.
			{name: "tampered, full walk", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit/verify?full=true"}, want: 200,
				contains: []string{`"ok":false`, `"broken_at":3`}},
			{name: "an auditor verifies the general stream only", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit/verify"}, want: 200,
				contains: []string{`"stream":"general"`}, absent: []string{`"stream":"security"`}},
			{name: "a security auditor verifies both", q: req{as: asSecAuditor, method: "GET", path: "/api/v1/audit/verify"}, want: 200,
				contains: []string{`"stream":"general"`, `"stream":"security"`}},
			{name: "an auditor passes no security anchor", q: req{as: asAuditor, method: "GET", path: "/api/v1/audit/verify?anchor=security:1:" + strings.Repeat("0", 64)}, want: 422},
			{name: "a malformed anchor", q: req{as: asAdmin, method: "GET", path: "/api/v1/audit/verify?anchor=1:xyz"}, want: 422},
		})
	})
}

// The NDJSON export streams every matching entry oldest first, past the
// page limit, one JSON object per line.
func TestAuditExportStreamsEverything(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.fixture()
		var page struct{ Total int }
		e.must(req{as: asAdmin, method: "GET", path: "/api/v1/audit?limit=1"}, 200).decode(t, &page)
		r := e.must(req{as: asAuditor, method: "GET", path: "/api/v1/audit?limit=1", headers: map[string]string{"Accept": "application/x-ndjson"}}, 200)
		if ct := r.Header.Get("Content-Type"); ct != NDJSONContentType {
			t.Fatalf("content type %q", ct)
		}
		sc := bufio.NewScanner(bytes.NewReader(r.Body))
		var prev int64
		n := 0
		for sc.Scan() {
			var entry struct{ Seq int64 }
			if err := json.Unmarshal(sc.Bytes(), &entry); err != nil {
				t.Fatalf("line %d: %v", n+1, err)
			}
			if entry.Seq <= prev {
				t.Errorf("seq %d after %d: not oldest first", entry.Seq, prev)
			}
			prev = entry.Seq
			n++
		}
		if n != page.Total || n < 2 {
			t.Errorf("exported %d entries, the log holds %d", n, page.Total)
		}
		// Filters apply to the export too.
		r = e.must(req{as: asAuditor, method: "GET", path: "/api/v1/audit?kind=relation", headers: map[string]string{"Accept": NDJSONContentType}}, 200)
		if got := bytes.Count(r.Body, []byte("\n")); got != 2 {
			t.Errorf("relation entries %d, want 2: %s", got, r.Body)
		}
	})
}
