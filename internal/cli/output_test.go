package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/client"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/errs"
)

// hostile is stored text as an attacker would write it: a window-title
// escape, a bell, a screen clear, a carriage return that hides what came
// before, the one-byte C1 CSI, DEL and a right-to-left override.
const hostile = "evil\x1b]0;pwned\a\x1b[2J\rfake\u009b31m\x7f\u202eftp"

// unsafeBytes must never reach the terminal.
var unsafeBytes = []string{"\x1b", "\a", "\r", "\x7f", "\u009b", "\u202e", "\x00"}

// hostileAPI answers every client verb with records full of hostile text,
// as a server holding such records (stored before the text rule, or
// written around it) would.
func hostileAPI(t *testing.T) string {
	sum := cmdb.CISummary{Key: "CI-1" + hostile, Name: hostile, Kind: cmdb.Kind(hostile)}
	ci := cmdb.CI{Key: "CI-1", Name: hostile, Kind: cmdb.KindServer, Description: hostile + "\nline two\tcol", Environment: hostile,
		Owner: hostile, SupportGroup: hostile, Supplier: hostile, Tags: []string{hostile},
		Identifiers: cmdb.Identifiers{Hostnames: []string{hostile}, Serial: hostile},
		Attributes:  map[string]any{hostile: hostile, "nested": map[string]any{"k": hostile}}}
	rep := cmdb.ImportReport{Key: "IMP-1", Format: "csv", Filename: hostile, Rejected: 1,
		Rows: []cmdb.ImportRow{{Row: 1, Label: hostile, Action: cmdb.ActionRejected, Errors: []errs.FieldError{{Field: hostile, Message: hostile}},
			Conflict: []string{hostile}}}}
	mux := http.NewServeMux()
	send := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /api/v1/cis", func(w http.ResponseWriter, r *http.Request) {
		send(w, 200, cmdb.Page{Items: []cmdb.CI{ci}, Total: 1, NextCursor: hostile})
	})
	mux.HandleFunc("GET /api/v1/cis/{key}", func(w http.ResponseWriter, r *http.Request) { send(w, 200, ci) })
	mux.HandleFunc("POST /api/v1/cis", func(w http.ResponseWriter, r *http.Request) { send(w, 201, ci) })
	mux.HandleFunc("DELETE /api/v1/cis/{key}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("GET /api/v1/cis/{key}/impact", func(w http.ResponseWriter, r *http.Request) {
		node := cmdb.ImpactNode{CI: sum, Depth: 1, Path: []string{"CI-1", sum.Key}, Via: cmdb.RelationType(hostile)}
		send(w, 200, cmdb.Impact{Root: cmdb.CISummary{Key: "CI-1", Name: hostile}, Direction: cmdb.Downstream,
			Nodes: []cmdb.ImpactNode{node}, Services: []cmdb.ImpactNode{node}})
	})
	mux.HandleFunc("POST /api/v1/imports/{format}", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("strict") == "true" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(422)
			_ = json.NewEncoder(w).Encode(client.Problem{Status: 422, Title: hostile, Detail: hostile,
				Errors: []errs.FieldError{{Field: hostile, Message: hostile}}, Report: &rep})
			return
		}
		send(w, 201, rep)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Every verb that prints stored text escapes it: no control character,
// escape sequence or direction override reaches the terminal, in table or
// JSON output, on stdout, stderr or in the error Execute prints.
func TestVerbsEscapeStoredText(t *testing.T) {
	url := hostileAPI(t)
	file := writeFile(t, "hosts.csv", "name\nx\n")
	verbs := []struct {
		name string
		cmd  func() *cobra.Command
		args []string
	}{
		{"ci list", NewCICmd, []string{"list"}},
		{"ci show", NewCICmd, []string{"show", "CI-1"}},
		{"ci create", NewCICmd, []string{"create", "--name", "x", "--kind", "server"}},
		{"ci delete", NewCICmd, []string{"delete", "CI-1" + hostile}},
		{"impact", NewImpactCmd, []string{"CI-1"}},
		{"import", NewImportCmd, []string{"csv", file}},
		{"import --strict", NewImportCmd, []string{"csv", file, "--strict"}},
	}
	for _, v := range verbs {
		for _, format := range []string{"table", "json"} {
			if v.name == "ci delete" && format == "json" {
				continue
			}
			root := NewRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
			var out, errOut bytes.Buffer
			root.SetOut(terminalSafe(&out)) // as NewRootCmd does for the real terminal
			root.SetErr(terminalSafe(&errOut))
			root.SetArgs(append(append(strings.Fields(strings.SplitN(v.name, " ", 2)[0]), v.args...), "--url", url, "--token", "t", "--output", format))
			err := root.Execute()
			if err != nil {
				printError(&errOut, err)
			}
			// The hostile import row is rejected: both imports exit 3.
			if (err != nil) != strings.HasPrefix(v.name, "import") {
				t.Errorf("%s -o %s: error %v", v.name, format, err)
			}
			all := out.String() + errOut.String()
			for _, b := range unsafeBytes {
				if strings.Contains(all, b) {
					t.Errorf("%s -o %s: %q reaches the terminal:\n%s", v.name, format, b, all)
				}
			}
			if !strings.Contains(all, `evil\u001b]0;pwned\u0007`) {
				t.Errorf("%s -o %s: the hostile text is not shown escaped:\n%s", v.name, format, all)
			}
			if format == "json" && v.name != "import --strict" {
				var doc map[string]any
				if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
					t.Errorf("%s -o json: output is no longer JSON: %v\n%s", v.name, err, out.String())
				}
			}
		}
	}
}

// The writer holds back a character split between two writes instead of
// escaping its halves.
func TestTerminalWriterSplitCharacters(t *testing.T) {
	var b bytes.Buffer
	w := terminalSafe(&b)
	s := "Zürich 東京 \x1b"
	for i := 0; i < len(s); i++ {
		if _, err := w.Write([]byte{s[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := b.String(), `Zürich 東京 \u001b`; got != want {
		t.Errorf("byte by byte: %q, want %q", got, want)
	}
	if terminalSafe(w) != w {
		t.Error("wrapped twice")
	}
}
