package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Break describes the first entry of a stream where the chain does not
// hold.
type Break struct {
	Stream Stream
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit stream %s broken at entry %d: %s", b.Stream, b.Seq, b.Reason)
}

// Source reads stored entries and heads. Head and Entries called on one
// Source must see one snapshot of the database (a read-only transaction
// with one snapshot): a writer committing between the two reads would
// otherwise look like tampering.
type Source interface {
	// Head returns the stream's head: its last sequence number and hash
	// as the chaining code recorded them.
	Head(ctx context.Context, stream Stream) (seq int64, hash string, err error)
	// Entries returns up to limit entries of the stream with a sequence
	// number above after, in sequence order.
	Entries(ctx context.Context, stream Stream, after int64, limit int) ([]Entry, error)
}

// Anchor is a chain position recorded outside the database: one entry's
// stream, sequence number and hash, as a head was reported at some time.
type Anchor struct {
	Stream Stream
	Seq    int64
	Hash   string
}

// String is the anchor as verification prints it and --anchor takes it:
// STREAM:SEQ:HASH.
func (a Anchor) String() string {
	return fmt.Sprintf("%s:%d:%s", a.Stream, a.Seq, a.Hash)
}

// ParseAnchor reads STREAM:SEQ:HASH, or SEQ:HASH (an anchor recorded
// before the log had streams: the general stream).
func ParseAnchor(s string) (Anchor, error) {
	parts := strings.Split(s, ":")
	if len(parts) == 2 {
		parts = append([]string{string(StreamGeneral)}, parts...)
	}
	if len(parts) == 3 {
		seq, err := strconv.ParseInt(parts[1], 10, 64)
		a := Anchor{Stream: Stream(parts[0]), Seq: seq, Hash: parts[2]}
		if err == nil && seq >= 1 && len(a.Hash) == len(GenesisHash) && a.Stream.Valid() {
			return a, nil
		}
	}
	return Anchor{}, fmt.Errorf("anchor %q: want STREAM:SEQ:HASH as printed by audit verify (streams: %s)", s, joinStreams())
}

func joinStreams() string {
	names := make([]string, len(Streams))
	for i, s := range Streams {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Chain verifies one stream page by page, each page in a snapshot of its
// own, so no read transaction spans the whole walk (on SQLite a long
// reader stops WAL checkpoints while writes pile up). It starts after a
// checkpoint (an anchor verified earlier; the zero Anchor walks from the
// first entry) and checks every entry after it up to the last stored one.
type Chain struct {
	stream   Stream
	seq      int64  // last entry checked
	hash     string // its hash
	from     int64
	checked  int64
	v2       bool // a format 2 entry was seen: no format 1 entry may follow
	started  bool
	anchors  map[int64]string
	headSeq  int64
	headHash string
}

// NewChain starts verifying stream after from (zero: from the first
// entry), checking that the walk passes through every anchor of the
// stream given. Anchors of other streams are ignored.
func NewChain(stream Stream, from Anchor, anchors []Anchor) *Chain {
	c := &Chain{stream: stream, seq: from.Seq, hash: from.Hash, from: from.Seq, anchors: map[int64]string{}}
	if from.Seq == 0 {
		c.hash = GenesisHash
	}
	for _, a := range anchors {
		if a.Stream == stream {
			c.anchors[a.Seq] = a.Hash
		}
	}
	return c
}

// Page checks the next limit entries, reading the head and the entries
// from src (one snapshot). It reports done when the walk reached the last
// stored entry; then the stream's head and every anchor were checked too.
// A chain that does not hold is a *Break (and done).
func (c *Chain) Page(ctx context.Context, src Source, limit int) (done bool, err error) {
	headSeq, headHash, err := src.Head(ctx, c.stream)
	if err != nil {
		return true, err
	}
	if !c.started && c.seq > 0 {
		// The checkpoint itself must still hold: a log rewritten and
		// re-hashed since is caught here, not only by a full walk.
		es, err := src.Entries(ctx, c.stream, c.seq-1, 1)
		if err != nil {
			return true, err
		}
		if len(es) == 0 || es[0].Seq != c.seq || es[0].Hash != c.hash {
			return true, c.broken(c.seq, "the entry last verified is missing or differs (the log was rewritten)")
		}
	}
	c.started = true
	es, err := src.Entries(ctx, c.stream, c.seq, limit)
	if err != nil {
		return true, err
	}
	for _, e := range es {
		if err := c.check(e, headSeq); err != nil {
			return true, err
		}
	}
	if len(es) == limit {
		return false, nil
	}
	return true, c.end(headSeq, headHash)
}

func (c *Chain) broken(seq int64, reason string) error {
	return &Break{Stream: c.stream, Seq: seq, Reason: reason}
}

func (c *Chain) check(e Entry, headSeq int64) error {
	switch {
	case e.Stream != c.stream:
		return c.broken(e.Seq, fmt.Sprintf("entry belongs to stream %q", e.Stream))
	case e.Seq != c.seq+1:
		return c.broken(c.seq+1, fmt.Sprintf("entry missing (next stored entry is %d)", e.Seq))
	case e.Seq > headSeq:
		return c.broken(e.Seq, fmt.Sprintf("entry is stored past the chain head (%d): it was appended outside Rampart, or the head was set back", headSeq))
	case e.Format == Format1 && (c.v2 || e.Stream != StreamGeneral || e.Restricted || e.Via != ""):
		return c.broken(e.Seq, "a format 1 entry cannot follow a format 2 entry, nor carry a stream other than general, a restricted flag or via")
	case e.PrevHash != c.hash:
		return c.broken(e.Seq, "previous-hash link does not match the entry before it")
	case ComputeHash(c.hash, e) != e.Hash:
		return c.broken(e.Seq, "content does not match its hash (entry was edited)")
	}
	if h, ok := c.anchors[e.Seq]; ok && h != e.Hash {
		return c.broken(e.Seq, "hash differs from the recorded anchor (the log was rewritten)")
	}
	c.v2 = c.v2 || e.Format == Format2
	c.seq, c.hash, c.checked = e.Seq, e.Hash, c.checked+1
	return nil
}

func (c *Chain) end(headSeq int64, headHash string) error {
	c.headSeq, c.headHash = headSeq, headHash
	switch {
	case c.seq != headSeq:
		return c.broken(c.seq+1, fmt.Sprintf("chain head says %d entries but %d are stored (entries were removed)", headSeq, c.seq))
	case headHash != c.hash:
		return c.broken(c.seq, "chain head hash does not match the last entry")
	}
	for seq := range c.anchors {
		if seq > c.seq {
			return c.broken(seq, fmt.Sprintf("entry recorded in an anchor is missing (the stream ends at %d)", c.seq))
		}
	}
	return nil
}

// Entries is the number of entries of the stream that hold: the last
// sequence number checked.
func (c *Chain) Entries() int64 { return c.seq }

// Checked is how many entries this walk checked (after its checkpoint).
func (c *Chain) Checked() int64 { return c.checked }

// From is the checkpoint the walk started after (0: the first entry).
func (c *Chain) From() int64 { return c.from }

// Head is the last entry checked, as an anchor to record.
func (c *Chain) Head() Anchor { return Anchor{Stream: c.stream, Seq: c.seq, Hash: c.hash} }

// PageSize is how many entries a verification reads per snapshot: a few
// MB, read in well under a second.
const PageSize = 5000

// VerifyStream walks stream from its first entry, every page on src: for
// tests and tools holding one snapshot. It returns the number of entries
// that hold and a *Break for the first that does not.
func VerifyStream(ctx context.Context, src Source, stream Stream, anchors ...Anchor) (int64, error) {
	c := NewChain(stream, Anchor{}, anchors)
	for {
		done, err := c.Page(ctx, src, PageSize)
		if err != nil || done {
			return c.Entries(), err
		}
	}
}

// Verify is VerifyStream of the general stream.
func Verify(ctx context.Context, src Source, anchors ...Anchor) (int64, error) {
	return VerifyStream(ctx, src, StreamGeneral, anchors...)
}
