package syslognet_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rampart-itsm/rampart/internal/alert/alerttest"
	"github.com/rampart-itsm/rampart/internal/alert/syslognet"
	"github.com/rampart-itsm/rampart/internal/clock"
)

// sink collects what a listener hands out.
type sink struct {
	mu       sync.Mutex
	frames   []syslognet.Frame
	problems []syslognet.Problem
	more     chan struct{}
}

func newSink() *sink { return &sink{more: make(chan struct{}, 1)} }

func (s *sink) handle(f syslognet.Frame) {
	s.mu.Lock()
	s.frames = append(s.frames, f)
	s.mu.Unlock()
	s.poke()
}

func (s *sink) problem(p syslognet.Problem) {
	s.mu.Lock()
	s.problems = append(s.problems, p)
	s.mu.Unlock()
	s.poke()
}

func (s *sink) poke() {
	select {
	case s.more <- struct{}{}:
	default:
	}
}

// wait returns once done says the collection is complete.
func (s *sink) wait(t *testing.T, what string, done func(frames []syslognet.Frame, problems []syslognet.Problem) bool) (frames []syslognet.Frame, problems []syslognet.Problem) {
	t.Helper()
	alerttest.WaitFor(t, what, s.more, func() (bool, string) {
		s.mu.Lock()
		frames, problems = append([]syslognet.Frame(nil), s.frames...), append([]syslognet.Problem(nil), s.problems...)
		s.mu.Unlock()
		var got []string
		for _, f := range frames {
			got = append(got, f.Transport+" "+string(f.Data))
		}
		return done(frames, problems), fmt.Sprintf("got %d frames and %d problems:\n%s", len(frames), len(problems), strings.Join(got, "\n"))
	})
	return frames, problems
}

func listen(t *testing.T, cfg syslognet.Config) (*syslognet.Listener, *sink) {
	t.Helper()
	s := newSink()
	cfg.OnProblem = s.problem
	l, err := syslognet.Listen(cfg, s.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, s
}

func count(n int) func([]syslognet.Frame, []syslognet.Problem) bool {
	return func(f []syslognet.Frame, p []syslognet.Problem) bool { return len(f)+len(p) >= n }
}

func TestUDPAndTCP(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	l, s := listen(t, syslognet.Config{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0", MaxFrame: 256, Clock: fake})

	u, err := net.Dial("udp", l.UDPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	for _, d := range []string{"<13>udp one\n", "<13>udp two\x00", strings.Repeat("x", 300), "\n"} {
		if _, err := u.Write([]byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	c, err := net.Dial("tcp", l.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	stream := "11 <13>counted<13>lf one\r\n12x bad count\n300 " + strings.Repeat("y", 300) + "<13>after\n15 <13>cut off"
	if _, err := io.WriteString(c, stream); err != nil {
		t.Fatal(err)
	}
	c.Close()

	frames, problems := s.wait(t, "5 frames and 4 problems", func(f []syslognet.Frame, p []syslognet.Problem) bool {
		return len(f) >= 5 && len(p) >= 4
	})
	var udp, tcp []string
	for _, f := range frames {
		if !f.Received.Equal(fake.Now()) || !f.Peer.Addr().IsLoopback() {
			t.Errorf("frame %q: received %v from %v", f.Data, f.Received, f.Peer)
		}
		if f.Transport == "udp" {
			udp = append(udp, string(f.Data))
		} else {
			tcp = append(tcp, string(f.Data))
		}
	}
	if strings.Join(udp, "|") != "<13>udp one|<13>udp two" || strings.Join(tcp, "|") != "<13>counted|<13>lf one|<13>after" {
		t.Errorf("udp %q, tcp %q", udp, tcp)
	}
	var reasons []string
	for _, p := range problems {
		reasons = append(reasons, p.Transport+": "+p.Reason)
	}
	want := []string{"udp: datagram of 300 bytes is longer than the limit of 256", "tcp: malformed octet count (RFC 6587)",
		"tcp: frame of 300 bytes is longer than the limit of 256", "tcp: the connection ended inside a frame"}
	if !sameSet(reasons, want) {
		t.Errorf("problems %q\nwant %q", reasons, want)
	}
	st := l.Stats()
	if st.UDPFrames != 2 || st.TCPFrames != 3 || st.Malformed != 2 || st.Oversized != 2 || st.Connections != 1 {
		t.Errorf("stats %+v", st)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// Beyond MaxConnections a connection is closed at once and counted;
// the connections within the limit go on.
func TestConnectionLimit(t *testing.T) {
	l, s := listen(t, syslognet.Config{TCP: "127.0.0.1:0", MaxConnections: 1})
	first, err := net.Dial("tcp", l.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	io.WriteString(first, "<13>first\n")
	s.wait(t, "the first frame", count(1))

	second, err := net.Dial("tcp", l.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := second.Read(make([]byte, 1)); err == nil {
		t.Error("the connection beyond the limit was not closed")
	}
	io.WriteString(first, "<13>still served\n")
	frames, _ := s.wait(t, "the second frame of the first connection", count(2))
	if string(frames[1].Data) != "<13>still served" || l.Stats().Refused != 1 || l.Stats().Open != 1 {
		t.Errorf("frames %q, stats %+v", frames, l.Stats())
	}
}

// Close ends every connection and returns once no handler runs.
func TestCloseEndsConnections(t *testing.T) {
	s := newSink()
	l, err := syslognet.Listen(syslognet.Config{TCP: "127.0.0.1:0", UDP: "127.0.0.1:0"}, s.handle)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", l.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "<13>before close\n")
	s.wait(t, "a frame", count(1))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if st := l.Stats(); st.Open != 0 {
		t.Errorf("%d connections open after Close", st.Open)
	}
	c.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("the connection stayed open after Close")
	}
	if err := l.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := syslognet.Listen(syslognet.Config{}, s.handle); err == nil {
		t.Error("a listener without addresses started")
	}
}
