package cmdbstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// claim is how cis.sources stores a CI's Sources: one entry per setter
// with the fields it holds, so a CI an import created, whose every field
// has the same setter, costs one short entry rather than one per field.
type claim struct {
	cmdb.FieldSource
	Fields []string `json:"fields"`
}

// sourcesCodec encodes Sources for cis.sources, once per distinct map:
// the CIs of one import chunk share a few.
type sourcesCodec map[uintptr]string

func (c sourcesCodec) encode(s cmdb.Sources) (string, error) {
	if len(s) == 0 {
		return "[]", nil
	}
	p := reflect.ValueOf(s).Pointer()
	if out, ok := c[p]; ok {
		return out, nil
	}
	bySetter := map[cmdb.FieldSource][]string{}
	for f, src := range s {
		bySetter[src] = append(bySetter[src], f)
	}
	claims := make([]claim, 0, len(bySetter))
	for src, fields := range bySetter {
		slices.Sort(fields)
		claims = append(claims, claim{src, fields})
	}
	slices.SortFunc(claims, func(a, b claim) int { return cmp.Compare(a.Fields[0], b.Fields[0]) })
	b, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode field sources: %w", err)
	}
	c[p] = string(b)
	return string(b), nil
}

func decodeSources(raw string) (cmdb.Sources, error) {
	if raw == "" || raw == "[]" {
		return nil, nil
	}
	var claims []claim
	if err := json.Unmarshal([]byte(raw), &claims); err != nil {
		return nil, fmt.Errorf("decode field sources: %w", err)
	}
	out := cmdb.Sources{}
	for _, c := range claims {
		for _, f := range c.Fields {
			out[f] = c.FieldSource
		}
	}
	return out, nil
}

// FindSourcePrecedence reads the order of import sources.
func (s *cmdbStore) FindSourcePrecedence(ctx context.Context) (cmdb.Precedence, error) {
	rows, err := s.tx.QueryCached(ctx, `SELECT source FROM import_source_precedence ORDER BY rank`)
	if err != nil {
		return cmdb.Precedence{}, err
	}
	list, err := store.Collect(rows, func(sc store.Scanner) (string, error) {
		var v string
		return v, sc.Scan(&v)
	})
	if list == nil {
		list = []string{}
	}
	return cmdb.Precedence{Sources: list}, err
}

// SaveSourcePrecedence replaces the order of import sources.
func (s *cmdbStore) SaveSourcePrecedence(ctx context.Context, p cmdb.Precedence) error {
	if _, err := s.tx.Exec(ctx, `DELETE FROM import_source_precedence`); err != nil {
		return err
	}
	if len(p.Sources) == 0 {
		return nil
	}
	in := s.tx.NewInserter("import_source_precedence", []string{"rank", "source"}, nil)
	defer in.Close()
	return in.Run(ctx, len(p.Sources), func(i int, dst []any) []any { return append(dst, i+1, p.Sources[i]) })
}
