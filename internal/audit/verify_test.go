package audit

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeSource serves a chain and a head without a database.
type fakeSource struct {
	entries  []Entry
	headSeq  int64
	headHash string
}

func (f fakeSource) EachEntry(_ context.Context, fn func(Entry) error) error {
	for _, e := range f.entries {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (f fakeSource) Head(context.Context) (int64, string, error) { return f.headSeq, f.headHash, nil }

func chain(t *testing.T, n int) []Entry {
	t.Helper()
	prev := GenesisHash
	var out []Entry
	for i := range n {
		e, err := Seal(Record{Actor: "ann", Action: ActionCreate, Kind: "ci", Key: "CI-1", After: map[string]int{"i": i}},
			int64(i+1), time.Date(2026, 3, 1, 9, i, 0, 0, time.UTC), prev)
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
		{"anchor passed", fakeSource{es, 3, es[2].Hash}, 3, 0, []Anchor{{2, es[1].Hash}, {3, es[2].Hash}}},
		{"anchor differs", fakeSource{es, 3, es[2].Hash}, 1, 2, []Anchor{{2, es[2].Hash}}},
		{"anchor never reached", fakeSource{es[:2], 2, es[1].Hash}, 2, 3, []Anchor{{3, es[2].Hash}}},
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
	base := Entry{Seq: 7, At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "ann", Action: "update",
		Kind: "ci", Key: "CI-1", Before: []byte(`{"a":1}`), After: []byte(`{"a":2}`), Changes: []byte(`[]`)}
	edits := map[string]func(*Entry){
		"seq":     func(e *Entry) { e.Seq++ },
		"at":      func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		"actor":   func(e *Entry) { e.Actor = "bob" },
		"action":  func(e *Entry) { e.Action = "delete" },
		"kind":    func(e *Entry) { e.Kind = "user" },
		"key":     func(e *Entry) { e.Key = "CI-2" },
		"before":  func(e *Entry) { e.Before = []byte(`{"a":3}`) },
		"after":   func(e *Entry) { e.After = nil },
		"changes": func(e *Entry) { e.Changes = nil },
		"shifted": func(e *Entry) { e.Actor, e.Action = "annu", "pdate" },
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
