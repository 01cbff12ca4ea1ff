package audit

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeSource serves one stream's chain and head without a database.
type fakeSource struct {
	entries  []Entry
	headSeq  int64
	headHash string
}

func (f fakeSource) Entries(_ context.Context, _ Stream, after int64, limit int) ([]Entry, error) {
	var out []Entry
	for _, e := range f.entries {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f fakeSource) Head(context.Context, Stream) (int64, string, error) {
	return f.headSeq, f.headHash, nil
}

func chain(t *testing.T, n int) []Entry {
	t.Helper()
	prev := GenesisHash
	var out []Entry
	for i := range n {
		f, err := Fix(Record{Actor: "ann", Action: ActionCreate, Kind: "ci", Key: "CI-1", After: map[string]int{"i": i}})
		if err != nil {
			t.Fatal(err)
		}
		e, err := Seal(f, int64(i+1), time.Date(2026, 3, 1, 9, i, 0, 0, time.UTC), prev)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
		prev = e.Hash
	}
	return out
}

func TestVerifyAgainstTheHead(t *testing.T) {
	es := chain(t, 3)
	tests := []struct {
		name    string
		src     fakeSource
		wantN   int64
		wantBrk int64 // 0 = holds
		anchors []Anchor
	}{
		{"anchor passed", fakeSource{es, 3, es[2].Hash}, 3, 0, []Anchor{{StreamGeneral, 2, es[1].Hash}, {StreamGeneral, 3, es[2].Hash}}},
		{"anchor of another stream ignored", fakeSource{es, 3, es[2].Hash}, 3, 0, []Anchor{{StreamSecurity, 2, es[2].Hash}}},
		{"anchor differs", fakeSource{es, 3, es[2].Hash}, 1, 2, []Anchor{{StreamGeneral, 2, es[2].Hash}}},
		{"anchor never reached", fakeSource{es[:2], 2, es[1].Hash}, 2, 3, []Anchor{{StreamGeneral, 3, es[2].Hash}}},
		{"holds", fakeSource{es, 3, es[2].Hash}, 3, 0, nil},
		{"empty", fakeSource{nil, 0, GenesisHash}, 0, 0, nil},
		// Head and entries come from one snapshot: an entry past the head
		// was appended outside Rampart, or the head was set back.
		{"entry past the head", fakeSource{es, 2, es[1].Hash}, 2, 3, nil},
		{"head set back two", fakeSource{es, 1, es[0].Hash}, 1, 2, nil},
		{"tail removed", fakeSource{es[:2], 3, es[2].Hash}, 2, 3, nil},
		{"head hash differs", fakeSource{es, 3, es[1].Hash}, 3, 3, nil},
		{"middle removed", fakeSource{[]Entry{es[0], es[2]}, 3, es[2].Hash}, 1, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Verify(context.Background(), tc.src, tc.anchors...)
			var b *Break
			switch {
			case tc.wantBrk == 0 && err != nil:
				t.Fatalf("verify = %v", err)
			case tc.wantBrk != 0 && (!errors.As(err, &b) || b.Seq != tc.wantBrk):
				t.Fatalf("verify = %v, want a break at %d", err, tc.wantBrk)
			}
			if n != tc.wantN {
				t.Errorf("verified %d, want %d", n, tc.wantN)
			}
		})
	}
}

// Every hashed field takes part in the hash, and moving bytes from one
// field to the next changes it (the fields are length-prefixed).
func TestComputeHashCoversEveryField(t *testing.T) {
	base := Entry{Stream: StreamGeneral, Seq: 7, At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "ann", Action: "update",
		Kind: "ci", Key: "CI-1", Before: []byte(`{"a":1}`), After: []byte(`{"a":2}`), Changes: []byte(`[]`), Format: Format2}
	edits := map[string]func(*Entry){
		"stream":     func(e *Entry) { e.Stream = StreamSecurity },
		"restricted": func(e *Entry) { e.Restricted = true },
		"via":        func(e *Entry) { e.Via = "import IMP-7" },
		"format":     func(e *Entry) { e.Format = Format1 },
		"seq":        func(e *Entry) { e.Seq++ },
		"at":         func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		"actor":      func(e *Entry) { e.Actor = "bob" },
		"action":     func(e *Entry) { e.Action = "delete" },
		"kind":       func(e *Entry) { e.Kind = "user" },
		"key":        func(e *Entry) { e.Key = "CI-2" },
		"before":     func(e *Entry) { e.Before = []byte(`{"a":3}`) },
		"after":      func(e *Entry) { e.After = nil },
		"changes":    func(e *Entry) { e.Changes = nil },
		"shifted":    func(e *Entry) { e.Actor, e.Action = "annu", "pdate" },
	}
	want := ComputeHash(GenesisHash, base)
	if want != ComputeHash(GenesisHash, base) {
		t.Fatal("hash is not deterministic")
	}
	for name, edit := range edits {
		e := base
		edit(&e)
		if ComputeHash(GenesisHash, e) == want {
			t.Errorf("changing %s leaves the hash unchanged", name)
		}
	}
	if ComputeHash("other", base) == want {
		t.Error("the previous hash does not take part")
	}
}

// Format 1 entries (written before streams) keep verifying, and format 2
// entries chain onto them; a format 1 entry after a format 2 one, or one
// claiming format 2 fields, is a break.
func TestFormatsInOneStream(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	v1 := Entry{Stream: StreamGeneral, Seq: 1, At: at, Actor: "ann", Action: "create", Kind: "ci", Key: "CI-1", Format: Format1, PrevHash: GenesisHash}
	v1.Hash = ComputeHash(GenesisHash, v1)
	f, _ := Fix(Record{Actor: "bob", Action: "update", Kind: "ci", Key: "CI-1"})
	v2, _ := Seal(f, 2, at, v1.Hash)
	late := Entry{Stream: StreamGeneral, Seq: 3, At: at, Actor: "eve", Action: "create", Kind: "ci", Key: "CI-2", Format: Format1, PrevHash: v2.Hash}
	late.Hash = ComputeHash(v2.Hash, late)
	via := v1
	via.Via = "import IMP-1"
	via.Hash = ComputeHash(GenesisHash, via)
	unknown := v1
	unknown.Format = 9
	tests := []struct {
		name    string
		es      []Entry
		wantBrk int64
	}{
		{"format 1 then 2", []Entry{v1, v2}, 0},
		{"format 1 after 2", []Entry{v1, v2, late}, 3},
		{"format 1 with via", []Entry{via}, 1},
		{"unknown format", []Entry{unknown}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			last := tc.es[len(tc.es)-1]
			_, err := Verify(context.Background(), fakeSource{tc.es, last.Seq, last.Hash})
			var b *Break
			if tc.wantBrk == 0 && err != nil || tc.wantBrk != 0 && (!errors.As(err, &b) || b.Seq != tc.wantBrk) {
				t.Fatalf("verify = %v, want break at %d", err, tc.wantBrk)
			}
		})
	}
}

// Verification in pages, each its own snapshot, goes on from a checkpoint
// and checks the checkpoint's entry still holds.
func TestChainPagesFromACheckpoint(t *testing.T) {
	es := chain(t, 7)
	src := fakeSource{es, 7, es[6].Hash}
	for _, tc := range []struct {
		name        string
		from        Anchor
		wantChecked int64
		wantBrk     int64
	}{
		{"full", Anchor{}, 7, 0},
		{"from 4", Anchor{StreamGeneral, 4, es[3].Hash}, 3, 0},
		{"checkpoint rewritten", Anchor{StreamGeneral, 4, es[2].Hash}, 0, 4},
		{"at the head", Anchor{StreamGeneral, 7, es[6].Hash}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewChain(StreamGeneral, tc.from, nil)
			pages := 0
			for done := false; !done; pages++ {
				var err error
				done, err = c.Page(context.Background(), src, 2)
				var b *Break
				if err != nil && (tc.wantBrk == 0 || !errors.As(err, &b) || b.Seq != tc.wantBrk) {
					t.Fatalf("page %d: %v", pages, err)
				}
				if err == nil && tc.wantBrk != 0 && done {
					t.Fatal("no break")
				}
			}
			if tc.wantBrk == 0 && (c.Checked() != tc.wantChecked || c.Head() != (Anchor{StreamGeneral, 7, es[6].Hash})) {
				t.Errorf("checked %d, head %v", c.Checked(), c.Head())
			}
		})
	}
}

// What is recorded is fixed at Append: a caller changing its struct, map
// or raw bytes afterwards changes nothing.
func TestFixCopiesTheContent(t *testing.T) {
	state := map[string]string{"name": "web-01"}
	raw := json.RawMessage(`{"name":"db-01"}`)
	f1, err := Fix(Record{Actor: "ann", Action: "create", Kind: "ci", Key: "CI-1", After: state})
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Fix(Record{Actor: "ann", Action: "create", Kind: "ci", Key: "CI-2", After: raw})
	if err != nil {
		t.Fatal(err)
	}
	state["name"] = "changed"
	copy(raw, `{"name":"XX-01"}`)
	if string(f1.After) != `{"name":"web-01"}` || string(f2.After) != `{"name":"db-01"}` {
		t.Fatalf("recorded %s and %s after the caller changed its values", f1.After, f2.After)
	}
	if f1.Stream != StreamGeneral {
		t.Errorf("default stream %q", f1.Stream)
	}
	if _, err := Fix(Record{Stream: "other"}); err == nil {
		t.Error("an unknown stream was accepted")
	}
}

func TestParseAnchor(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for in, want := range map[string]Anchor{
		"general:12:" + h:       {StreamGeneral, 12, h},
		"security:1:" + h:       {StreamSecurity, 1, h},
		"12:" + h:               {StreamGeneral, 12, h},
		"other:12:" + h:         {},
		"general:0:" + h:        {},
		"general:12:abc":        {},
		"general:x:" + h:        {},
		"general:12:" + h + ":": {},
	} {
		got, err := ParseAnchor(in)
		if (err == nil) != (want != Anchor{}) || got != want {
			t.Errorf("ParseAnchor(%q) = %v, %v; want %v", in, got, err, want)
		}
		if err == nil && got.String() != string(want.Stream)+":"+strconv.FormatInt(want.Seq, 10)+":"+h {
			t.Errorf("String() = %q", got.String())
		}
	}
}

// A batch digest covers every record and where one ends.
func TestBatchDigest(t *testing.T) {
	sum := func(recs ...string) string {
		b := NewBatch()
		for _, r := range recs {
			b.Add([]byte(r))
		}
		return b.Sum()
	}
	if sum("ab", "c") == sum("a", "bc") || sum("a") == sum("a", "") {
		t.Fatal("batch digest does not separate records")
	}
	b := NewBatch()
	b.Add([]byte("raw-1"))
	b.Add([]byte("raw-2"))
	r := b.Record("ingest", "ingest", "ingest_batch", "BAT-1", map[string]int{"new": 1, "duplicate": 1})
	got, _ := json.Marshal(r.After)
	if !strings.Contains(string(got), `"records":2`) || !strings.Contains(string(got), b.Sum()) {
		t.Fatalf("batch entry state %s", got)
	}
}
