// Package syslognet is the syslog network listener: UDP (one message per
// datagram) and TCP (RFC 6587 octet counting or one message per line,
// frame by frame). It hands every frame, with its sender and the time it
// arrived, to a callback and parses nothing itself: the raw frame is what
// ingestion stores first, and format/syslog parses it afterwards like any
// other payload (syslog.AppendFrame keeps frames apart in one payload).
//
// A frame that cannot be delimited (a malformed octet count, a frame
// beyond the size limit, a connection closed inside a frame) is counted
// in Stats and reported to Config.OnProblem; reading goes on with the next
// frame. Nothing a sender writes can stop the listener or crash it.
package syslognet

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rampart-itsm/rampart/internal/clock"
)

// Frame is one syslog message as it arrived, framing removed.
type Frame struct {
	Data      []byte // the callee's to keep; never reused by the listener
	Peer      netip.AddrPort
	Transport string // "udp" or "tcp"
	Received  time.Time
}

// Handler receives frames. It is called from several goroutines at once
// (the UDP reader and one per TCP connection) and must be safe for that;
// frames of one TCP connection arrive in order. A TCP connection is not
// read while its handler runs, so a slow handler pushes back on TCP
// senders; UDP has no such brake, and datagrams the kernel's buffer
// cannot hold are lost there (net.core.rmem_max bounds that buffer).
type Handler func(Frame)

// Problem is a frame that could not be delimited.
type Problem struct {
	Peer      netip.AddrPort
	Transport string
	Reason    string
	// Sample is the start of the offending bytes, quoted, for a log line.
	Sample string
}

// Config configures a Listener.
type Config struct {
	// UDP and TCP are the addresses to listen on ("127.0.0.1:5514",
	// ":514"); "" leaves that transport off.
	UDP, TCP string
	// MaxFrame bounds one message in bytes (default 64 KiB, the largest
	// UDP datagram); longer frames are skipped and counted.
	MaxFrame int
	// MaxConnections bounds open TCP connections (default 1024); more are
	// closed at once and counted.
	MaxConnections int
	// IdleTimeout closes a TCP connection that sends nothing for this
	// long (default 10 minutes).
	IdleTimeout time.Duration
	// Clock stamps Frame.Received (default the system clock).
	Clock clock.Clock
	// OnProblem, when set, is told of each frame that could not be
	// delimited; it may be called from several goroutines at once.
	OnProblem func(Problem)
}

const (
	defaultMaxFrame       = 64 * 1024
	defaultMaxConnections = 1024
	defaultIdleTimeout    = 10 * time.Minute
	// readBuffer is the TCP reader's buffer: frames up to this size are
	// read without copying twice; longer ones are assembled.
	readBuffer = 64 * 1024
)

// Stats are the listener's counters since it started.
type Stats struct {
	UDPFrames uint64 `json:"udp_frames"`
	TCPFrames uint64 `json:"tcp_frames"`
	Bytes     uint64 `json:"bytes"`
	// Malformed counts frames that could not be delimited (a malformed
	// octet count, a connection closed inside a frame), Oversized those
	// beyond MaxFrame.
	Malformed uint64 `json:"malformed"`
	Oversized uint64 `json:"oversized"`
	// Connections counts accepted TCP connections, Refused those closed
	// at once beyond MaxConnections, Open those open now.
	Connections uint64 `json:"connections"`
	Refused     uint64 `json:"refused"`
	Open        int64  `json:"open"`
}

// Listener receives syslog over UDP and TCP.
type Listener struct {
	cfg     Config
	handler Handler
	udp     *net.UDPConn
	tcp     net.Listener
	slots   chan struct{}

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup

	udpFrames, tcpFrames, bytes, malformed, oversized, connections, refused atomic.Uint64
	open                                                                    atomic.Int64
}

// Listen binds the configured addresses and starts receiving; frames go
// to h until Close. It fails when neither address is set or one cannot
// be bound.
func Listen(cfg Config, h Handler) (*Listener, error) {
	if cfg.UDP == "" && cfg.TCP == "" {
		return nil, errors.New("syslog listener: give a UDP or TCP address")
	}
	if cfg.MaxFrame <= 0 {
		cfg.MaxFrame = defaultMaxFrame
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = defaultMaxConnections
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = defaultIdleTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	l := &Listener{cfg: cfg, handler: h, slots: make(chan struct{}, cfg.MaxConnections), conns: map[net.Conn]struct{}{}}
	if cfg.UDP != "" {
		addr, err := net.ResolveUDPAddr("udp", cfg.UDP)
		if err != nil {
			return nil, fmt.Errorf("syslog listener: udp %s: %w", cfg.UDP, err)
		}
		if l.udp, err = net.ListenUDP("udp", addr); err != nil {
			return nil, fmt.Errorf("syslog listener: %w", err)
		}
	}
	if cfg.TCP != "" {
		var err error
		if l.tcp, err = net.Listen("tcp", cfg.TCP); err != nil {
			if l.udp != nil {
				l.udp.Close()
			}
			return nil, fmt.Errorf("syslog listener: %w", err)
		}
	}
	if l.udp != nil {
		l.wg.Add(1)
		go l.serveUDP()
	}
	if l.tcp != nil {
		l.wg.Add(1)
		go l.serveTCP()
	}
	return l, nil
}

// UDPAddr and TCPAddr are the bound addresses (nil when off): with port 0
// in the configuration, they say which port was chosen.
func (l *Listener) UDPAddr() net.Addr {
	if l.udp == nil {
		return nil
	}
	return l.udp.LocalAddr()
}

// TCPAddr: see UDPAddr.
func (l *Listener) TCPAddr() net.Addr {
	if l.tcp == nil {
		return nil
	}
	return l.tcp.Addr()
}

// Close stops receiving, closes every connection and returns once no
// handler runs any more.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	var errs []error
	if l.udp != nil {
		errs = append(errs, l.udp.Close())
	}
	if l.tcp != nil {
		errs = append(errs, l.tcp.Close())
	}
	for c := range l.conns {
		c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
	return errors.Join(errs...)
}

// Shutdown closes the listener when ctx is done: for callers that run it
// beside other servers under one context.
func (l *Listener) Shutdown(ctx context.Context) {
	<-ctx.Done()
	l.Close()
}

// Stats returns the counters.
func (l *Listener) Stats() Stats {
	return Stats{
		UDPFrames: l.udpFrames.Load(), TCPFrames: l.tcpFrames.Load(), Bytes: l.bytes.Load(),
		Malformed: l.malformed.Load(), Oversized: l.oversized.Load(),
		Connections: l.connections.Load(), Refused: l.refused.Load(), Open: l.open.Load(),
	}
}

func (l *Listener) serveUDP() {
	defer l.wg.Done()
	// One byte more than the limit tells an oversized datagram from one
	// exactly at it.
	buf := make([]byte, max(l.cfg.MaxFrame, 65535)+1)
	for {
		n, peer, err := l.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if l.isClosed() {
				return
			}
			// A transient error (ICMP feedback on some systems): go on.
			continue
		}
		l.bytes.Add(uint64(n))
		if n > l.cfg.MaxFrame {
			l.problem(peer, "udp", fmt.Sprintf("datagram of %d bytes is longer than the limit of %d", n, l.cfg.MaxFrame), buf[:64], true)
			continue
		}
		data := trimTrailer(buf[:n])
		if len(data) == 0 {
			continue
		}
		l.udpFrames.Add(1)
		l.handler(Frame{Data: append([]byte(nil), data...), Peer: peer, Transport: "udp", Received: l.cfg.Clock.Now()})
	}
}

// trimTrailer drops the LF, CRLF or NUL senders end a message with.
func trimTrailer(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	return b
}

func (l *Listener) serveTCP() {
	defer l.wg.Done()
	for {
		c, err := l.tcp.Accept()
		if err != nil {
			if l.isClosed() {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// Out of file descriptors and the like: wait a little rather
			// than spin, as net/http's server does.
			time.Sleep(50 * time.Millisecond)
			continue
		}
		select {
		case l.slots <- struct{}{}:
		default:
			l.refused.Add(1)
			c.Close()
			continue
		}
		if !l.track(c) {
			<-l.slots
			c.Close()
			return
		}
		l.connections.Add(1)
		l.open.Add(1)
		l.wg.Add(1)
		go l.serveConn(c)
	}
}

func (l *Listener) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.conns[c] = struct{}{}
	return true
}

func (l *Listener) untrack(c net.Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

func (l *Listener) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

func (l *Listener) serveConn(c net.Conn) {
	defer func() {
		c.Close()
		l.untrack(c)
		l.open.Add(-1)
		<-l.slots
		l.wg.Done()
	}()
	peer := addrPort(c.RemoteAddr())
	f := framer{r: bufio.NewReaderSize(c, readBuffer), max: l.cfg.MaxFrame}
	for {
		// Deadlines are real time, whatever clock stamps the frames.
		if err := c.SetReadDeadline(clock.Real{}.Now().Add(l.cfg.IdleTimeout)); err != nil {
			return
		}
		msg, err := f.next()
		var fe *errFraming
		switch {
		case err == nil:
			l.bytes.Add(uint64(len(msg)))
			l.tcpFrames.Add(1)
			l.handler(Frame{Data: msg, Peer: peer, Transport: "tcp", Received: l.cfg.Clock.Now()})
		case errors.As(err, &fe):
			l.problem(peer, "tcp", fe.reason, fe.sample, fe.tooLong)
		default:
			return // the end of the stream, a timeout, or Close
		}
	}
}

func (l *Listener) problem(peer netip.AddrPort, transport, reason string, sample []byte, tooLong bool) {
	if tooLong {
		l.oversized.Add(1)
	} else {
		l.malformed.Add(1)
	}
	if l.cfg.OnProblem != nil {
		l.cfg.OnProblem(Problem{Peer: peer, Transport: transport, Reason: reason, Sample: strconv.Quote(string(sample[:min(len(sample), 64)]))})
	}
}

func addrPort(a net.Addr) netip.AddrPort {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}
