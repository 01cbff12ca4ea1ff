// Package audit owns Rampart's append-only, hash-chained log of every change.
// Each entry's hash covers its content and the previous entry's hash, so
// editing, deleting or reordering any stored entry breaks the chain at that
// point, and Verify names the first broken entry. The package knows nothing
// of SQL: the store buffers Records during a unit of work and chains them
// just before commit.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Actions recorded in the log.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Record is what a service appends: who did what to which record, with the
// record's state before and after (nil for create's before and delete's
// after). Secrets never go into Before or After.
type Record struct {
	Actor  string
	Action string
	Kind   string // record kind: ci, relation, user, team, token, import
	Key    string // the record's human key or name
	Before any
	After  any
}

// Entry is a stored, chained audit entry.
type Entry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Kind     string          `json:"record_kind"`
	Key      string          `json:"record_key"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	Changes  json.RawMessage `json:"changes,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Appender is how services add entries inside a unit of work.
type Appender interface {
	Append(r Record) error
}

// GenesisHash is the previous hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash of e chained onto prev: SHA-256 over prev
// and then each hashed field in a fixed order, every field preceded by its
// length so no two different entries can produce the same byte stream.
// The order and encoding never change: changing them breaks every stored
// chain. Fields are written straight into the hash, so sealing a bulk
// import allocates nothing per entry beyond the result.
func ComputeHash(prev string, e Entry) string {
	h := sha256.New()
	var lenBuf [binary.MaxVarintLen64]byte
	var valBuf [len(time.RFC3339Nano) + 8]byte
	field := func(b []byte) {
		h.Write(binary.AppendUvarint(lenBuf[:0], uint64(len(b))))
		h.Write(b)
	}
	h.Write([]byte(prev))
	field(binary.AppendVarint(valBuf[:0], e.Seq))
	field(e.At.UTC().AppendFormat(valBuf[:0], time.RFC3339Nano))
	for _, s := range []string{e.Actor, e.Action, e.Kind, e.Key} {
		h.Write(binary.AppendUvarint(lenBuf[:0], uint64(len(s))))
		h.Write([]byte(s))
	}
	field(e.Before)
	field(e.After)
	field(e.Changes)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// Seal turns a Record into the next Entry of the chain.
func Seal(r Record, seq int64, at time.Time, prev string) (Entry, error) {
	before, err := marshalState(r.Before)
	if err != nil {
		return Entry{}, fmt.Errorf("audit %s %s: before: %w", r.Kind, r.Key, err)
	}
	after, err := marshalState(r.After)
	if err != nil {
		return Entry{}, fmt.Errorf("audit %s %s: after: %w", r.Kind, r.Key, err)
	}
	// Only an update stores its changed fields: for a create or delete the
	// one state present already says everything, and diffing it field by
	// field costs more than the rest of sealing on a bulk import.
	var changes json.RawMessage
	if len(before) > 0 && len(after) > 0 {
		if changes, err = Diff(before, after); err != nil {
			return Entry{}, fmt.Errorf("audit %s %s: diff: %w", r.Kind, r.Key, err)
		}
	}
	e := Entry{Seq: seq, At: at, Actor: r.Actor, Action: r.Action, Kind: r.Kind, Key: r.Key,
		Before: before, After: after, Changes: changes, PrevHash: prev}
	e.Hash = ComputeHash(prev, e)
	return e, nil
}

func marshalState(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	return json.Marshal(v)
}

// Break describes the first entry where the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// Source streams stored entries in sequence order, and reports the head the
// store recorded (the last seq and hash), so truncation is caught too. Both
// must come from one snapshot of the database (a read-only transaction
// that sees one snapshot): a writer committing between the two reads
// would otherwise look like tampering.
type Source interface {
	EachEntry(ctx context.Context, fn func(Entry) error) error
	Head(ctx context.Context) (seq int64, hash string, err error)
}

// Anchor is a chain position recorded outside the database: the sequence
// number and hash of one entry, as the head was reported at some time.
type Anchor struct {
	Seq  int64
	Hash string
}

// Verify walks every stored entry, not only those up to the head, and
// checks each link and each hash. It returns the number of entries that
// hold and a *Break for the first that does not. Tampering it reports:
// an entry edited, removed or inserted out of order; an entry stored past
// the head (appended outside Rampart, or the head set back); a head
// behind or ahead of the entries; an anchor whose entry differs or that
// the walk never reaches.
func Verify(ctx context.Context, src Source, anchors ...Anchor) (int64, error) {
	headSeq, headHash, err := src.Head(ctx)
	if err != nil {
		return 0, err
	}
	anchored := make(map[int64]string, len(anchors))
	for _, a := range anchors {
		anchored[a.Seq] = a.Hash
	}
	prev, n := GenesisHash, int64(0)
	err = src.EachEntry(ctx, func(e Entry) error {
		switch {
		case e.Seq != n+1:
			return &Break{Seq: n + 1, Reason: fmt.Sprintf("entry missing (next stored entry is %d)", e.Seq)}
		case e.Seq > headSeq:
			return &Break{Seq: e.Seq, Reason: fmt.Sprintf("entry is stored past the chain head (%d): it was appended outside Rampart, or the head was set back", headSeq)}
		case e.PrevHash != prev:
			return &Break{Seq: e.Seq, Reason: "previous-hash link does not match the entry before it"}
		case ComputeHash(prev, e) != e.Hash:
			return &Break{Seq: e.Seq, Reason: "content does not match its hash (entry was edited)"}
		}
		if h, ok := anchored[e.Seq]; ok && h != e.Hash {
			return &Break{Seq: e.Seq, Reason: "hash differs from the recorded anchor (the log was rewritten)"}
		}
		prev, n = e.Hash, n+1
		return nil
	})
	if err != nil {
		return n, err
	}
	switch {
	case n != headSeq:
		return n, &Break{Seq: n + 1, Reason: fmt.Sprintf("chain head says %d entries but %d are stored (entries were removed)", headSeq, n)}
	case headHash != prev:
		return n, &Break{Seq: n, Reason: "chain head hash does not match the last entry"}
	}
	for _, a := range anchors {
		if a.Seq > n {
			return n, &Break{Seq: a.Seq, Reason: fmt.Sprintf("entry recorded in an anchor is missing (the log ends at %d)", n)}
		}
	}
	return n, nil
}
