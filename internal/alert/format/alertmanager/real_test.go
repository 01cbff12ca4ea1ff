package alertmanager_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format"
)

var capture = flag.Bool("capture", false, "write the webhook bodies the real Alertmanager sends to testdata/captured")

// notification is one webhook request Alertmanager made.
type notification struct {
	Path    string      `json:"path"`
	Headers http.Header `json:"headers"`
	Body    []byte      `json:"-"`
}

// receiver is the webhook receiver the real Alertmanager posts to: it
// keeps every request and refuses the ones without the credential its
// path expects, as Rampart's ingest endpoint would.
type receiver struct {
	mu   sync.Mutex
	got  []notification
	seen chan struct{}
}

const (
	basicUser, basicPassword = "alertmanager", "s3cret-basic"
	bearerToken              = "s3cret-bearer"
)

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	user, pass, basic := req.BasicAuth()
	ok := false
	switch req.URL.Path {
	case "/basic", "/truncated":
		ok = basic && user == basicUser && pass == basicPassword
	case "/bearer":
		ok = req.Header.Get("Authorization") == "Bearer "+bearerToken
	}
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	r.got = append(r.got, notification{Path: req.URL.Path, Headers: req.Header.Clone(), Body: body})
	r.mu.Unlock()
	select {
	case r.seen <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusOK)
}

// waitFor returns the first notification that satisfies match, waiting
// for Alertmanager to send it.
func (r *receiver) waitFor(t *testing.T, what string, match func(n notification, w webhook) bool) (found notification, fw webhook) {
	t.Helper()
	alerttest.WaitFor(t, "a notification with "+what, r.seen, func() (bool, string) {
		r.mu.Lock()
		defer r.mu.Unlock()
		var sent []string
		for _, n := range r.got {
			var w webhook
			if json.Unmarshal(n.Body, &w) == nil && match(n, w) {
				found, fw = n, w
				return true, ""
			}
			sent = append(sent, n.Path+" "+string(n.Body))
		}
		return false, "Alertmanager sent:\n" + strings.Join(sent, "\n")
	})
	return found, fw
}

// webhook is the test's own reading of a body, to pick notifications.
type webhook struct {
	Status          string `json:"status"`
	TruncatedAlerts int    `json:"truncatedAlerts"`
	Alerts          []struct {
		Status string            `json:"status"`
		Labels map[string]string `json:"labels"`
	} `json:"alerts"`
}

func (w webhook) statuses() map[string]string {
	m := map[string]string{}
	for _, a := range w.Alerts {
		m[a.Labels["alertname"]+"/"+a.Labels["instance"]] = a.Status
	}
	return m
}

// amConfig is the Alertmanager configuration the test runs with (and
// that testdata/captured was made with, URL aside).
const amConfig = `route:
  receiver: basic
  group_by: ['alertname']
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: bearer
      matchers: ['via="bearer"']
    - receiver: truncated
      matchers: ['via="truncated"']
receivers:
  - name: basic
    webhook_configs:
      - url: URL/basic
        send_resolved: true
        http_config:
          basic_auth: {username: alertmanager, password: s3cret-basic}
  - name: bearer
    webhook_configs:
      - url: URL/bearer
        send_resolved: true
        http_config:
          authorization: {type: Bearer, credentials: s3cret-bearer}
  - name: truncated
    webhook_configs:
      - url: URL/truncated
        send_resolved: true
        max_alerts: 1
        http_config:
          basic_auth: {username: alertmanager, password: s3cret-basic}
`

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startAlertmanager runs Debian's prometheus-alertmanager with the
// webhook receivers pointing at url and returns its API address.
func startAlertmanager(t *testing.T, url string) string {
	bin := alerttest.Tool(t, "prometheus-alertmanager")
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte(strings.ReplaceAll(amConfig, "URL", url)), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+conf, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--web.external-url=http://"+addr, "--cluster.listen-address=")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager log:\n%s", logs.String())
		}
	})
	alerttest.WaitFor(t, "Alertmanager to be ready", nil, func() (bool, string) {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	return addr
}

type postAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     string            `json:"startsAt,omitempty"`
	EndsAt       string            `json:"endsAt,omitempty"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

func post(t *testing.T, addr string, alerts ...postAlert) {
	t.Helper()
	body, err := json.Marshal(alerts)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post("http://"+addr+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("posting alerts: %s %s", resp.Status, b)
	}
}

func disk(instance, startsAt, endsAt string) postAlert {
	return postAlert{Labels: map[string]string{"alertname": "DiskFull", "instance": instance, "severity": "critical", "team": "storage"},
		Annotations: map[string]string{"summary": "/ is full on " + instance, "runbook_url": "https://runbooks.example.org/disk"},
		StartsAt:    startsAt, EndsAt: endsAt, GeneratorURL: "http://prometheus.example.org:9090/graph?g0.expr=disk"}
}

// TestRealAlertmanager starts the real Alertmanager, posts alerts to its
// API (firing, then resolved), lets it notify webhook receivers that
// demand HTTP Basic and Bearer credentials, and parses what it sent.
func TestRealAlertmanager(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Alertmanager; skipped with -short")
	}
	recv := &receiver{seen: make(chan struct{}, 1)}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	addr := startAlertmanager(t, srv.URL)

	start := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	startsAt := start.Format(time.RFC3339)
	post(t, addr, disk("fs-01:9100", startsAt, ""), disk("fs-02:9100", startsAt, ""),
		postAlert{Labels: map[string]string{"alertname": "TargetDown", "instance": "10.0.0.7:9100", "severity": "warning", "via": "bearer"},
			Annotations: map[string]string{"description": "10.0.0.7:9100 is down.\nLast scrape failed."}, StartsAt: startsAt},
		postAlert{Labels: map[string]string{"alertname": "QueueBacklog", "queue": "a", "via": "truncated"}, StartsAt: startsAt},
		postAlert{Labels: map[string]string{"alertname": "QueueBacklog", "queue": "b", "via": "truncated"}, StartsAt: startsAt},
		postAlert{Labels: map[string]string{"alertname": "QueueBacklog", "queue": "c", "via": "truncated"}, StartsAt: startsAt})

	firing, _ := recv.waitFor(t, "both disks firing", func(n notification, w webhook) bool {
		s := w.statuses()
		return n.Path == "/basic" && s["DiskFull/fs-01:9100"] == "firing" && s["DiskFull/fs-02:9100"] == "firing"
	})
	targetFiring, _ := recv.waitFor(t, "the target down", func(n notification, w webhook) bool {
		return n.Path == "/bearer" && w.Status == "firing"
	})
	truncated, _ := recv.waitFor(t, "truncated alerts", func(n notification, w webhook) bool {
		return n.Path == "/truncated" && w.TruncatedAlerts == 2
	})

	// Resolve fs-01 and the target; fs-02 keeps firing.
	endsAt := time.Now().UTC().Add(-time.Second).Format(time.RFC3339)
	post(t, addr, disk("fs-01:9100", startsAt, endsAt),
		postAlert{Labels: map[string]string{"alertname": "TargetDown", "instance": "10.0.0.7:9100", "severity": "warning", "via": "bearer"},
			Annotations: map[string]string{"description": "10.0.0.7:9100 is down.\nLast scrape failed."}, StartsAt: startsAt, EndsAt: endsAt})
	mixed, _ := recv.waitFor(t, "a firing group holding a resolved alert", func(n notification, w webhook) bool {
		s := w.statuses()
		return n.Path == "/basic" && w.Status == "firing" && s["DiskFull/fs-01:9100"] == "resolved" && s["DiskFull/fs-02:9100"] == "firing"
	})
	targetResolved, _ := recv.waitFor(t, "the target resolved", func(n notification, w webhook) bool {
		return n.Path == "/bearer" && w.Status == "resolved"
	})

	for _, n := range []notification{firing, targetFiring, truncated, mixed, targetResolved} {
		if ct := n.Headers.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", n.Path, ct)
		}
		if ua := n.Headers.Get("User-Agent"); !strings.HasPrefix(ua, "Alertmanager/") {
			t.Errorf("%s: User-Agent %q", n.Path, ua)
		}
	}
	if h := targetFiring.Headers.Get("Authorization"); h != "Bearer "+bearerToken {
		t.Errorf("bearer receiver got Authorization %q", h)
	}
	if h := firing.Headers.Get("Authorization"); !strings.HasPrefix(h, "Basic ") {
		t.Errorf("basic receiver got Authorization %q", h)
	}

	dec, err := format.New(format.Config{Format: "alertmanager"})
	if err != nil {
		t.Fatal(err)
	}
	decode := func(n notification) alert.Result {
		t.Helper()
		res, err := dec.Decode(n.Body, alerttest.Meta("am"))
		alerttest.Check(t, res, err)
		if err != nil {
			t.Fatalf("%s: %v\n%s", n.Path, err, n.Body)
		}
		return res
	}
	byInstance := func(res alert.Result) map[string]alert.Alert {
		m := map[string]alert.Alert{}
		for _, a := range res.Alerts {
			m[a.Labels["instance"]] = a
		}
		return m
	}
	first, later := byInstance(decode(firing)), byInstance(decode(mixed))
	f1, f2, r1, r2 := first["fs-01:9100"], first["fs-02:9100"], later["fs-01:9100"], later["fs-02:9100"]
	if f1.Status != alert.StatusFiring || f2.Status != alert.StatusFiring || r1.Status != alert.StatusResolved || r2.Status != alert.StatusFiring {
		t.Errorf("statuses %s %s then %s %s; want firing firing then resolved firing", f1.Status, f2.Status, r1.Status, r2.Status)
	}
	// Each alert keeps its identity across notifications, by Alertmanager's
	// fingerprint and by Rampart's.
	if f1.ExternalFingerprint == "" || f1.ExternalFingerprint != r1.ExternalFingerprint || f1.Fingerprint != r1.Fingerprint {
		t.Errorf("fs-01 changed identity when it resolved: %s/%s then %s/%s", f1.ExternalFingerprint, f1.Fingerprint, r1.ExternalFingerprint, r1.Fingerprint)
	}
	if f1.Fingerprint == f2.Fingerprint || f1.ExternalFingerprint == f2.ExternalFingerprint {
		t.Error("two disks with the same summary template share a fingerprint")
	}
	if !r1.EndsAt.Equal(mustTime(t, endsAt)) || !f1.EndsAt.IsZero() || !r2.EndsAt.IsZero() {
		t.Errorf("ends_at %v (resolved), %v and %v (firing)", r1.EndsAt, f1.EndsAt, r2.EndsAt)
	}
	if !f1.ObservedAt.Equal(start) || f1.Hostname != "fs-01" || f1.Severity != alert.SeverityCritical || f1.Summary != "/ is full on fs-01:9100" {
		t.Errorf("fs-01: observed %v host %q severity %q summary %q", f1.ObservedAt, f1.Hostname, f1.Severity, f1.Summary)
	}
	if res := decode(truncated); res.Truncated != 2 || len(res.Alerts) != 1 {
		t.Errorf("truncated notification: %d alerts, truncated %d; want 1 and 2", len(res.Alerts), res.Truncated)
	}
	tf, tr := decode(targetFiring).Alerts, decode(targetResolved).Alerts
	if len(tf) != 1 || len(tr) != 1 || tf[0].Status != alert.StatusFiring || tr[0].Status != alert.StatusResolved ||
		tf[0].Fingerprint != tr[0].Fingerprint || tf[0].Hostname != "10.0.0.7" || tf[0].Severity != alert.SeverityMedium {
		t.Errorf("target down: %+v then %+v", tf, tr)
	}

	if *capture {
		for name, n := range map[string]notification{"basic-firing": firing, "basic-mixed": mixed, "bearer-firing": targetFiring,
			"bearer-resolved": targetResolved, "truncated": truncated} {
			writeCapture(t, name, n)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// writeCapture keeps a body as Alertmanager sent it, and the headers
// beside it (the Authorization value replaced: it is the test's secret,
// and says nothing a reader needs).
func writeCapture(t *testing.T, name string, n notification) {
	dir := filepath.Join("testdata", "captured")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), n.Body, 0o644); err != nil {
		t.Fatal(err)
	}
	var h bytes.Buffer
	fmt.Fprintf(&h, "POST %s\n", n.Path)
	for _, k := range []string{"Authorization", "Content-Type", "User-Agent"} {
		v := n.Headers.Get(k)
		if k == "Authorization" {
			v, _, _ = strings.Cut(v, " ")
			v += " …"
		}
		fmt.Fprintf(&h, "%s: %s\n", k, v)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".headers"), h.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
