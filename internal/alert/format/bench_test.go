package format_test

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert"
	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/format"
	"github.com/rampart-itsm/rampart/internal/alert/format/generic"
	"github.com/rampart-itsm/rampart/internal/alert/format/syslog"
)

// BenchmarkDecode measures parse + normalise + fingerprint per format, on
// every core GOMAXPROCS allows (-cpu 1,2), and reports alerts/s (wall
// clock) and alerts/cpu-s (per second of the process's CPU time, from
// getrusage: the figure that holds when other work shares the machine; a
// Decoder shares nothing between payloads, so N cores give N times it).
// Ingestion's 20,000 alerts/s target on 2 cores is measured against them.
// The payloads are the project's real captures and fixtures, repeated to
// the batch sizes ingestion sees.
//
//	go test ./internal/alert/format -run XXX -bench Decode -cpu 1,2 -benchtime 3s
func BenchmarkDecode(b *testing.B) {
	read := func(path ...string) []byte {
		p, err := os.ReadFile(filepath.Join(path...))
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	lines := func(payload []byte, n int) []byte { // n records of a JSON lines file, cycling
		recs := bytes.Split(bytes.TrimSpace(payload), []byte("\n"))
		var out []byte
		for i := range n {
			out = append(append(out, recs[i%len(recs)]...), '\n')
		}
		return out
	}
	frames := func(msgs ...string) []byte { // 1,000 messages, octet counted
		var out []byte
		for i := range 1000 {
			out = syslog.AppendFrame(out, []byte(msgs[i%len(msgs)]))
		}
		return out
	}
	eve := read(alerttest.SharedFixtures(b), "suricata-eve.json")
	var eveAlerts []byte
	for _, l := range bytes.Split(eve, []byte("\n")) {
		if bytes.Contains(l, []byte(`"event_type":"alert"`)) {
			eveAlerts = append(append(eveAlerts, l...), '\n')
		}
	}
	genericMapping := &generic.Mapping{Fields: map[string]string{"rule": "alert.name", "severity": "alert.severity",
		"hostname": "host", "src_ip": "src", "observed_at": "ts"}, Labels: map[string]string{"*": "tags"}}
	genericRec := `{"alert":{"name":"disk almost full","severity":"warning"},"host":"fs-01","src":"10.0.0.1","ts":"2026-11-30T10:00:00Z","tags":{"team":"storage","env":"prod"}}`

	cases := []struct {
		name    string
		config  format.Config
		payload []byte
	}{
		{"alertmanager", format.Config{Format: "alertmanager"}, read("alertmanager", "testdata", "captured", "basic-mixed.json")},
		{"suricata-alerts", format.Config{Format: "suricata"}, eveAlerts},
		{"suricata-mixed-file", format.Config{Format: "suricata"}, eve},
		{"wazuh", format.Config{Format: "wazuh"}, lines(read("wazuh", "testdata", "alerts.json"), 1000)},
		{"syslog-5424", format.Config{Format: "syslog"}, frames(`<165>1 2026-11-30T09:59:58.000003Z db-1.example.org postgres 8710 AUTHFAIL [origin@32473 ip="192.0.2.44"] password authentication failed for user "app"`)},
		{"syslog-3164", format.Config{Format: "syslog"}, frames(`<36>Nov 30 09:59:00 bastion-02 sshd[4121]: Failed password for invalid user oracle from 198.51.100.23 port 40188 ssh2`)},
		{"syslog-cef", format.Config{Format: "syslog"}, frames(`<132>Nov 30 09:58:00 ids-1 CEF:0|Trend Micro|Deep Security Agent|10.0|4000030|Malware detected|8|src=10.1.1.5 dst=203.0.113.50 spt=50432 dpt=443 duser=alice dhost=ws-17.corp.example.org fileHash=44d88612fea8a8f36de82e1278abb02f cat=/Security/Malware rt=1796032680000 msg=Trojan found`)},
		{"syslog-leef", format.Config{Format: "syslog"}, frames("<13>Nov 30 09:00:00 pan-1 LEEF:2.0|Palo Alto Networks|PAN-OS|10.1|THREAT|^|src=10.2.2.2^dst=198.51.100.77^srcPort=51000^dstPort=80^usrName=bob^sev=9^cat=spyware^devTime=Nov 30 2026 08:59:59")},
		{"generic", format.Config{Format: "generic", Mapping: genericMapping}, lines([]byte(genericRec), 1000)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			d, err := format.New(c.config)
			if err != nil {
				b.Fatal(err)
			}
			meta := alert.Meta{Source: "bench", Received: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
			res, err := d.Decode(c.payload, meta)
			if err != nil || len(res.Alerts) == 0 {
				b.Fatalf("%v, %d alerts", err, len(res.Alerts))
			}
			perPayload := len(res.Alerts)
			b.SetBytes(int64(len(c.payload)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := d.Decode(c.payload, meta); err != nil {
						b.Error(err)
					}
				}
			})
			cpu = cpuTime(b) - cpu
			b.ReportMetric(float64(perPayload*b.N)/b.Elapsed().Seconds(), "alerts/s")
			b.ReportMetric(float64(perPayload*b.N)/cpu.Seconds(), "alerts/cpu-s")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
