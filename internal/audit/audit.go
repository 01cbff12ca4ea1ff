// Package audit owns Rampart's append-only, hash-chained log of every change.
// The log has streams (general, security), each a chain of its own: each
// entry's hash covers its content and the previous entry's hash, so
// editing, deleting or reordering any stored entry breaks the chain at that
// point, and verification names the first broken entry. What is an entry
// and what is not is docs/audit-policy.md. The package knows nothing of
// SQL: the store fixes Records when they are appended and chains them.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Actions recorded in the log.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Stream is one hash chain of the log, with its own head and sequence.
// Who may read a stream is decided by auth (KindAudit): the security
// stream only admins and security auditors.
type Stream string

const (
	// StreamGeneral holds changes to records and settings: the default.
	StreamGeneral Stream = "general"
	// StreamSecurity holds security events: sign-ins, credential changes,
	// security incidents' handling.
	StreamSecurity Stream = "security"
)

// Streams lists every stream in the order verification reports them.
var Streams = []Stream{StreamGeneral, StreamSecurity}

// Valid reports whether s is a known stream.
func (s Stream) Valid() bool { return slices.Contains(Streams, s) }

// Entry formats: the hashed fields and their encoding. A stored entry
// carries its format, so entries written before a format change keep
// verifying. Format 1 entries predate streams (all general, none
// restricted, no via); within a stream, no format 1 entry may follow a
// format 2 one.
const (
	Format1       = 1
	Format2       = 2
	CurrentFormat = Format2
)

// Record is what a service appends: who did what to which record, with the
// record's state before and after (nil for create's before and delete's
// after). Secrets never go into Before or After. The content is fixed when
// it is appended (Fix): changing the struct or its states afterwards
// changes nothing recorded.
type Record struct {
	Actor  string
	Action string
	Kind   string // record kind: ci, relation, user, team, token, import
	Key    string // the record's human key or name
	Before any
	After  any
	// Stream is the chain the entry joins; "" is StreamGeneral.
	Stream Stream
	// Restricted marks an entry about a need-to-know record (a security
	// incident): only readers cleared for restricted entries see it.
	Restricted bool
	// Via names what made the entry when it is not the actor's own
	// direct action, such as "import IMP-7"; "" for a direct action.
	Via string
}

// Fixed is a Record whose content is fixed: its states are JSON bytes of
// its own, so nothing the caller does later changes them.
type Fixed struct {
	Actor, Action, Kind, Key, Via string
	Stream                        Stream
	Restricted                    bool
	Before, After                 json.RawMessage
}

// Fix marshals r's states and checks its stream: what Append stores
// until the entry is sealed.
func Fix(r Record) (Fixed, error) {
	if r.Stream == "" {
		r.Stream = StreamGeneral
	}
	if !r.Stream.Valid() {
		return Fixed{}, fmt.Errorf("audit %s %s: unknown stream %q", r.Kind, r.Key, r.Stream)
	}
	before, err := marshalState(r.Before)
	if err != nil {
		return Fixed{}, fmt.Errorf("audit %s %s: before: %w", r.Kind, r.Key, err)
	}
	after, err := marshalState(r.After)
	if err != nil {
		return Fixed{}, fmt.Errorf("audit %s %s: after: %w", r.Kind, r.Key, err)
	}
	return Fixed{Actor: r.Actor, Action: r.Action, Kind: r.Kind, Key: r.Key, Via: r.Via, Stream: r.Stream,
		Restricted: r.Restricted, Before: before, After: after}, nil
}

// Entry is a stored, chained audit entry.
type Entry struct {
	// ID orders entries across streams, in the order written; within a
	// stream Seq is the chain's order. Not hashed.
	ID         int64           `json:"-"`
	Stream     Stream          `json:"stream"`
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Kind       string          `json:"record_kind"`
	Key        string          `json:"record_key"`
	Restricted bool            `json:"restricted"`
	Via        string          `json:"via,omitempty"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Changes    json.RawMessage `json:"changes,omitempty"`
	Format     int             `json:"format"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// Appender is how services add entries inside a unit of work.
type Appender interface {
	Append(r Record) error
}

// GenesisHash is the previous hash of each stream's first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash of e chained onto prev: SHA-256 over prev
// and then each hashed field of e's format in a fixed order, every field
// preceded by its length so no two different entries can produce the
// same byte stream. A format's order and encoding never change: changing
// them breaks every stored chain. Fields are written straight into the
// hash, so sealing a bulk import allocates nothing per entry beyond the
// result. An unknown format hashes to "", which matches no entry.
//
// Format 1: seq, at, actor, action, kind, key, before, after, changes.
// Format 2: format, stream, seq, at, actor, action, kind, key,
// restricted, via, before, after, changes.
func ComputeHash(prev string, e Entry) string {
	if e.Format != Format1 && e.Format != Format2 {
		return ""
	}
	h := sha256.New()
	var lenBuf [binary.MaxVarintLen64]byte
	var valBuf [len(time.RFC3339Nano) + 8]byte
	field := func(b []byte) {
		h.Write(binary.AppendUvarint(lenBuf[:0], uint64(len(b))))
		h.Write(b)
	}
	text := func(s string) {
		h.Write(binary.AppendUvarint(lenBuf[:0], uint64(len(s))))
		h.Write([]byte(s))
	}
	h.Write([]byte(prev))
	if e.Format == Format2 {
		field(binary.AppendVarint(valBuf[:0], int64(e.Format)))
		text(string(e.Stream))
	}
	field(binary.AppendVarint(valBuf[:0], e.Seq))
	field(e.At.UTC().AppendFormat(valBuf[:0], time.RFC3339Nano))
	for _, s := range []string{e.Actor, e.Action, e.Kind, e.Key} {
		text(s)
	}
	if e.Format == Format2 {
		restricted := []byte{0}
		if e.Restricted {
			restricted[0] = 1
		}
		field(restricted)
		text(e.Via)
	}
	field(e.Before)
	field(e.After)
	field(e.Changes)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// Seal turns a fixed record into the next entry of its stream's chain, in
// the current format.
func Seal(r Fixed, seq int64, at time.Time, prev string) (Entry, error) {
	// Only an update stores its changed fields: for a create or delete the
	// one state present already says everything, and diffing it field by
	// field costs more than the rest of sealing on a bulk import.
	var changes json.RawMessage
	if len(r.Before) > 0 && len(r.After) > 0 {
		var err error
		if changes, err = Diff(r.Before, r.After); err != nil {
			return Entry{}, fmt.Errorf("audit %s %s: diff: %w", r.Kind, r.Key, err)
		}
	}
	e := Entry{Stream: r.Stream, Seq: seq, At: at, Actor: r.Actor, Action: r.Action, Kind: r.Kind, Key: r.Key,
		Restricted: r.Restricted, Via: r.Via, Before: r.Before, After: r.After, Changes: changes,
		Format: CurrentFormat, PrevHash: prev}
	e.Hash = ComputeHash(prev, e)
	return e, nil
}

// marshalState encodes a state into bytes of the entry's own: a
// json.RawMessage is copied, since the caller may reuse its array.
func marshalState(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		if raw == nil {
			return nil, nil
		}
		return bytes.Clone(raw), nil
	}
	return json.Marshal(v)
}
