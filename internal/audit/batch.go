package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// Batch builds the one entry machine intake writes per batch it stores
// (docs/audit-policy.md): an ingest batch of alerts, a scanner report. The
// entry carries how many raw records the batch stored, counts the caller
// chooses (created, deduplicated, rejected…) and a SHA-256 over the raw
// records, so anyone holding the raw records can show they are the ones
// the entry vouches for, while the log does not grow by one entry per
// record. Add each raw record as stored, in the order stored.
type Batch struct {
	h       hash.Hash
	records int
}

// NewBatch starts a batch digest.
func NewBatch() *Batch { return &Batch{h: sha256.New()} }

// Add hashes one raw record as it was stored. Each record is preceded by
// its length, so two different batches never hash alike by moving bytes
// between records.
func (b *Batch) Add(raw []byte) {
	var n [binary.MaxVarintLen64]byte
	b.h.Write(binary.AppendUvarint(n[:0], uint64(len(raw))))
	b.h.Write(raw)
	b.records++
}

// Records is how many raw records were added.
func (b *Batch) Records() int { return b.records }

// Sum is the hex SHA-256 over the records added so far.
func (b *Batch) Sum() string { return hex.EncodeToString(b.h.Sum(nil)) }

// BatchSummary is the state a batch entry records.
type BatchSummary struct {
	Records int            `json:"records"`          // raw records stored
	SHA256  string         `json:"sha256"`           // over the raw records, see Batch.Add
	Counts  map[string]int `json:"counts,omitempty"` // what became of them
}

// Record returns the batch's audit record: actor and action as usual,
// kind and key naming the batch (for example "ingest_batch", "BAT-12"),
// the summary as its after state. Set Stream, Restricted or Via on the
// result where they apply.
func (b *Batch) Record(actor, action, kind, key string, counts map[string]int) Record {
	return Record{Actor: actor, Action: action, Kind: kind, Key: key,
		After: BatchSummary{Records: b.records, SHA256: b.Sum(), Counts: counts}}
}
