package cmdb

import (
	"context"

	"github.com/rampart-itsm/rampart/internal/auth"
)

// AssetMatch is the CI a list of identifiers named, with what other
// practices rank work by.
type AssetMatch struct {
	CIID               int64
	CIKey              string
	Criticality        int
	InternetExposed    bool
	DataClassification string
	SupportGroupID     int64
	SupportGroup       string
}

// MatchAssets finds, for each list of identifiers (a scanned target's, in
// the order the caller trusts them), the CI holding the first of them any
// CI holds; a zero AssetMatch when none does. Values are normalised as the
// CMDB stores them (NormalizeIdentifiers) and those that are not valid for
// their kind are skipped. It reads every CI whoever may see it: matching
// is work Rampart does on its own behalf, and what it returns is not shown
// to the caller beyond the CI's key. One lookup for all lists.
func MatchAssets(ctx context.Context, st Store, lists [][]IdentifierValue) ([]AssetMatch, error) {
	norm := make([][]IdentifierValue, len(lists))
	var all []IdentifierValue
	for i, list := range lists {
		for _, v := range list {
			if n, ok := normalizeIdentifier(v); ok {
				norm[i] = append(norm[i], n)
				all = append(all, n)
			}
		}
	}
	out := make([]AssetMatch, len(lists))
	if len(all) == 0 {
		return out, nil
	}
	matches, err := st.MatchIdentifiers(ctx, all, auth.Unrestricted("matching scanned targets to CIs"))
	if err != nil {
		return nil, err
	}
	holder := make(map[IdentifierValue]int64, len(matches))
	for _, m := range matches {
		holder[m.IdentifierValue] = m.CIID
	}
	var ids []int64
	for i, list := range norm {
		for _, v := range list {
			if id := holder[v]; id != 0 {
				out[i].CIID = id
				ids = append(ids, id)
				break
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	cis, err := st.FindCIsByIDUnscoped(ctx, dedupeIDs(ids))
	if err != nil {
		return nil, err
	}
	for i := range out {
		ci := cis[out[i].CIID]
		if ci == nil {
			out[i] = AssetMatch{}
			continue
		}
		out[i] = AssetMatch{CIID: ci.ID, CIKey: ci.Key, Criticality: ci.Criticality, InternetExposed: ci.InternetExposed,
			DataClassification: ci.DataClassification, SupportGroupID: ci.SupportGroupID, SupportGroup: ci.SupportGroup}
	}
	return out, nil
}

func normalizeIdentifier(v IdentifierValue) (IdentifierValue, bool) {
	var err error
	switch v.Kind {
	case IDIP:
		v.Value, err = NormalizeIP(v.Value)
	case IDFQDN:
		v.Value, err = NormalizeFQDN(v.Value)
	case IDHostname:
		v.Value, err = NormalizeHostname(v.Value)
	case IDMAC:
		v.Value, err = NormalizeMAC(v.Value)
	case IDSerial, IDCloud:
		v.Value, err = normalizeOpaque(v.Value)
	default:
		return v, false
	}
	return v, err == nil && v.Value != ""
}

func dedupeIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
