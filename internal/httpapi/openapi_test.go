package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/rampart-itsm/rampart/internal/jobs"
	"github.com/rampart-itsm/rampart/internal/services"
)

// testRoutes is the full route table (jobs included), built without
// services: the table and the document need none.
func testRoutes() []route {
	a := &api{d: Deps{Services: services.Services{Jobs: nonNilJobs}}}
	return a.table()
}

// nonNilJobs turns the job routes on where no jobs are run.
var nonNilJobs = &jobs.Service{}

var (
	docOnce sync.Once
	docVal  *openapi3.T
	docErr  error
)

// loadDoc parses the served document with kin-openapi.
func loadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		docVal, docErr = loader.LoadFromData(mustOpenAPI(testRoutes()))
		if docErr == nil {
			docErr = docVal.Validate(loader.Context)
		}
	})
	if docErr != nil {
		t.Fatalf("openapi document: %v", docErr)
	}
	return docVal
}

func TestOpenAPIDocumentIsValid(t *testing.T) { loadDoc(t) }

// Every route the mux serves is in the document with its method.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc := loadDoc(t)
	shapes := map[string]string{}
	for _, p := range doc.Paths.InMatchingOrder() {
		shapes[docShape(p)] = p
	}
	for _, rt := range testRoutes() {
		p, ok := shapes[docShape(rt.path)]
		if !ok {
			t.Errorf("%s is served but not documented", rt.pattern())
			continue
		}
		if doc.Paths.Value(p).GetOperation(rt.method) == nil {
			t.Errorf("%s is served but %s %s is not documented", rt.pattern(), rt.method, p)
		}
	}
}

// Every documented operation is served: a request to it reaches a route
// of the table rather than the 404/405 answers.
func TestEveryDocumentedPathIsServed(t *testing.T) {
	doc := loadDoc(t)
	a := New(Deps{Services: services.Services{Jobs: nonNilJobs}}).(*api)
	n := 0
	for _, p := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(p).Operations() {
			n++
			path := templateRe.ReplaceAllStringFunc(p, func(string) string { return "1" })
			r := httptest.NewRequest(method, path, nil)
			_, pattern := a.mux.Handler(r)
			if !a.patterns[pattern] {
				t.Errorf("%s %s is documented but not served", method, p)
			}
		}
	}
	if n != len(a.routes) {
		t.Errorf("document has %d operations, route table %d", n, len(a.routes))
	}
}

// validator checks recorded answers against the document.
type validator struct {
	t   *testing.T
	doc *openapi3.T
	a   *api
}

func newValidator(t *testing.T, e *env) *validator {
	return &validator{t: t, doc: loadDoc(t), a: e.h.(*api)}
}

// route finds the documented operation for a request.
func (v *validator) route(r *http.Request) *routers.Route {
	v.t.Helper()
	_, pattern := v.a.mux.Handler(r)
	if !v.a.patterns[pattern] {
		return nil
	}
	path := pattern[strings.IndexByte(pattern, ' ')+1:]
	for _, p := range v.doc.Paths.InMatchingOrder() {
		if docShape(p) == docShape(path) {
			item := v.doc.Paths.Value(p)
			return &routers.Route{Spec: v.doc, Path: p, PathItem: item, Method: r.Method, Operation: item.GetOperation(r.Method)}
		}
	}
	v.t.Fatalf("%s is served but not documented", pattern)
	return nil
}

// check validates one answer (and, for successful requests with a JSON
// body, the request too) against the document.
func (v *validator) check(q req, got resp) {
	v.t.Helper()
	r := httptest.NewRequest(q.method, q.path, bodyReader(q.body))
	if q.body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, val := range q.headers {
		r.Header.Set(k, val)
	}
	rt := v.route(r)
	if rt == nil {
		// 404 and 405 of unknown paths: still problems.
		if ct := got.Header.Get("Content-Type"); ct != ProblemContentType {
			v.t.Errorf("%s %s: unmatched answer has content type %q", q.method, q.path, ct)
		}
		return
	}
	params := map[string]string{}
	names := pathParams(rt.Path)
	segs, tmpl := strings.Split(r.URL.Path, "/"), strings.Split(rt.Path, "/")
	for i, s := range tmpl {
		for _, n := range names {
			if s == "{"+n+"}" && i < len(segs) {
				params[n] = segs[i]
			}
		}
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: rt, Options: opts}
	if got.Code < 300 && q.body != nil {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			v.t.Errorf("%s %s: request does not match the document: %s", q.method, q.path, short(err))
		}
	}
	if got.Header.Get("Content-Type") == NDJSONContentType {
		v.checkNDJSON(q, got, rt)
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: got.Code, Header: got.Header, Options: opts}
	out.SetBodyBytes(got.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		v.t.Errorf("%s %s (%d): response does not match the document: %s\nbody: %s", q.method, q.path, got.Code, short(err), short(string(got.Body)))
	}
}

// checkNDJSON validates each line of a JSON lines answer against the
// documented item schema.
func (v *validator) checkNDJSON(q req, got resp, rt *routers.Route) {
	v.t.Helper()
	media := rt.Operation.Responses.Status(got.Code).Value.Content.Get(NDJSONContentType)
	if media == nil {
		v.t.Errorf("%s %s: NDJSON answer is not documented", q.method, q.path)
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(got.Body))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		var val any
		if err := json.Unmarshal(sc.Bytes(), &val); err != nil {
			v.t.Errorf("line %d is not JSON: %v", n, err)
			continue
		}
		if err := media.Schema.Value.VisitJSON(val); err != nil {
			v.t.Errorf("line %d does not match the schema: %v", n, err)
		}
	}
}

// short keeps failure messages readable: kin-openapi prints whole schemas.
func short(v any) string {
	s := fmt.Sprint(v)
	if i := strings.Index(s, "\nSchema:"); i > 0 {
		s = s[:i]
	}
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// The document is the API's manual: every operation has a summary and a
// description (which names who may call it), and every parameter,
// component schema and property says something beyond its own name. A $ref
// property is described by the schema it points to.
func TestDocumentDescribesEverything(t *testing.T) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(mustOpenAPI(testRoutes()), &doc); err != nil {
		t.Fatal(err)
	}
	var missing []string
	check := func(where, name string, node map[string]any) {
		if _, isRef := node["$ref"]; isRef {
			return
		}
		if problem := describes(name, node["description"]); problem != "" {
			missing = append(missing, where+": "+problem)
		}
	}
	ops := 0
	for path, item := range doc.Paths {
		for method, raw := range item {
			var o struct {
				Summary     string           `json:"summary"`
				Description string           `json:"description"`
				Parameters  []map[string]any `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			ops++
			where := strings.ToUpper(method) + " " + path
			if o.Summary == "" || o.Description == "" || o.Summary == o.Description {
				missing = append(missing, where+": needs a summary and a different, longer description")
			}
			if !strings.Contains(o.Description, "may call it") && !strings.Contains(o.Description, "held by the roles") {
				missing = append(missing, where+": description does not say who may call it")
			}
			for _, p := range o.Parameters {
				name, _ := p["name"].(string)
				check(where+" parameter "+name, name, p)
			}
		}
	}
	if ops != len(testRoutes()) {
		t.Errorf("walked %d operations, the table has %d routes", ops, len(testRoutes()))
	}
	var walk func(where string, node map[string]any)
	walk = func(where string, node map[string]any) {
		props, _ := node["properties"].(map[string]any)
		for name, p := range props {
			pm, _ := p.(map[string]any)
			check(where+"."+name, name, pm)
			walk(where+"."+name, pm)
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(where+"[]", items)
		}
	}
	for name, raw := range doc.Components.Schemas {
		var s map[string]any
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		check("schema "+name, name, s)
		walk(name, s)
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// describes returns why desc does not describe the named thing, or "".
func describes(name string, desc any) string {
	d, _ := desc.(string)
	words := strings.FieldsFunc(strings.ToLower(d), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	own := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' })
	switch {
	case d == "":
		return "no description"
	case len(words) < 2:
		return "description " + strconv.Quote(d) + " is a single word"
	case slices.Equal(words, own):
		return "description " + strconv.Quote(d) + " only restates the name"
	}
	return ""
}
