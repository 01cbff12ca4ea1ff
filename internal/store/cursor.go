package store

import (
	"encoding/base64"
	"encoding/json"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// EncodeCursor packs the sort values of the last row of a page into an
// opaque token for keyset pagination.
func EncodeCursor(vals ...any) string {
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor unpacks a cursor made by EncodeCursor into dst pointers, in
// order. Anything else is an Invalid error naming the field "cursor".
func DecodeCursor(s string, dst ...any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return errs.Field("cursor", "not a cursor this server issued")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != len(dst) {
		return errs.Field("cursor", "not a cursor this server issued")
	}
	for i, r := range raw {
		if err := json.Unmarshal(r, dst[i]); err != nil {
			return errs.Field("cursor", "not a cursor this server issued")
		}
	}
	return nil
}
