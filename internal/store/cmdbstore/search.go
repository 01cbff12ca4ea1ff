package cmdbstore

import (
	"strings"
	"unicode/utf8"

	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/store"
)

// minTermRunes is the shortest search term a trigram index serves. FTS5's
// trigram tokenizer matches nothing for a shorter one, and pg_trgm would
// read its whole index.
const minTermRunes = 3

// searchText is the text CMDB search reads for a CI, stored in cis.search
// and indexed by trigrams (migration 0002): the lower-case name and each
// identifier value, one per line. A search term never holds white space,
// so no term matches across two of them.
func searchText(ci *cmdb.CI) string {
	ids := &ci.Identifiers
	var b strings.Builder
	b.Grow(len(ci.Name) + 64)
	b.WriteString(nameLower(ci.Name))
	line := func(v string) {
		if v != "" {
			b.WriteByte('\n')
			b.WriteString(strings.ToLower(v))
		}
	}
	for _, list := range [][]string{ids.Hostnames, ids.FQDNs, ids.IPs, ids.MACs} {
		for _, v := range list {
			line(v)
		}
	}
	line(ids.Serial)
	line(ids.CloudID)
	return b.String()
}

// searchPredicate renders cmdb.Filter.Query as a condition on cis:
//
//   - The query is split into words at white space. A CI matches when its
//     name or one of its identifiers contains every word, in any case
//     ("banking" finds "Online Banking" and "core-banking-db"), or when the
//     whole query is its key (CI-314).
//   - Words of three characters or more are looked up in the trigram index
//     of cis.search; shorter words are checked on the CIs those find.
//   - A query whose words are all shorter than three characters (such as
//     "db" or "10") cannot use a trigram index: it matches the start of the
//     name or of an identifier, served by b-tree ranges.
func searchPredicate(q *store.Query, d store.Dialect, query string) string {
	var long, short []string
	for _, w := range strings.Fields(strings.ToLower(query)) {
		if utf8.RuneCountInString(w) >= minTermRunes {
			long = append(long, w)
		} else {
			short = append(short, w)
		}
	}
	if len(long) == 0 {
		return prefixSearch(q, query)
	}
	// A UNION of index lookups rather than an OR over cis: an OR mixing
	// index conditions makes PostgreSQL scan the whole table.
	var found string
	if d.FTS5 {
		phrases := make([]string, len(long))
		for i, w := range long {
			phrases[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		}
		found = "SELECT rowid FROM cis_search WHERE cis_search MATCH " + q.Arg(strings.Join(phrases, " AND "))
	} else {
		likes := make([]string, len(long))
		for i, w := range long {
			likes[i] = "search LIKE " + q.Arg(store.LikeContains(w)) + ` ESCAPE '\'`
		}
		found = "SELECT id FROM cis WHERE " + strings.Join(likes, " AND ")
	}
	cond := "cis.id IN (" + found + " UNION SELECT id FROM cis WHERE key = " + q.Arg(strings.ToUpper(strings.TrimSpace(query))) + ")"
	for _, w := range short {
		cond += " AND cis.search LIKE " + q.Arg(store.LikeContains(w)) + ` ESCAPE '\'`
	}
	return cond
}

// prefixSearch matches a query too short for the trigram index: the start
// of the name, the exact key, or the start of an identifier.
func prefixSearch(q *store.Query, query string) string {
	lower := strings.ToLower(query)
	return "cis.id IN (SELECT id FROM cis WHERE " + prefixRange(q, "name_lower", lower) +
		" UNION SELECT id FROM cis WHERE key = " + q.Arg(strings.ToUpper(query)) +
		" UNION SELECT ci_id FROM ci_identifiers WHERE " + identifierPrefix(q, query) + ")"
}
