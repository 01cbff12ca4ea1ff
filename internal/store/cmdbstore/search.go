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
// and indexed by trigrams (migration 0003): the lower-case name and each
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

// searchWords is a search query split into words at white space, lower
// case: long ones (three characters or more) for the trigram index, short
// ones to check on the CIs those find.
type searchWords struct {
	query       string
	long, short []string
}

func splitSearch(query string) searchWords {
	w := searchWords{query: strings.TrimSpace(query)}
	for _, word := range strings.Fields(strings.ToLower(query)) {
		if utf8.RuneCountInString(word) >= minTermRunes {
			w.long = append(w.long, word)
		} else {
			w.short = append(w.short, word)
		}
	}
	return w
}

// keyArg binds the whole query as a key (CI-314).
func (w searchWords) keyArg(q *store.Query) string { return q.Arg(strings.ToUpper(w.query)) }

// ftsMatches is, on SQLite, a subquery of the ids of the CIs whose search
// text holds every long word (FTS5 phrases, quoted so no word is read as
// query syntax), or whose key the query is.
func (w searchWords) ftsMatches(q *store.Query) string {
	phrases := make([]string, len(w.long))
	for i, word := range w.long {
		phrases[i] = `"` + strings.ReplaceAll(word, `"`, `""`) + `"`
	}
	return "SELECT rowid FROM cis_search WHERE cis_search MATCH " + q.Arg(strings.Join(phrases, " AND ")) +
		" UNION SELECT id FROM cis WHERE key = " + w.keyArg(q)
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
//
// dense says the search matches many CIs (denseMatches): then a page is
// best read by walking the list order's index and keeping the matches met,
// rather than by looking every match up and sorting them. On SQLite,
// "+cis.id" stops the planner from looking the matches up by id, so it
// walks the order's index and checks each id against the matches, read
// once; PostgreSQL's planner weighs that itself from its statistics.
func searchPredicate(q *store.Query, d store.Dialect, query string, dense bool) string {
	w := splitSearch(query)
	if len(w.long) == 0 {
		return prefixSearch(q, query)
	}
	var cond string
	if d.FTS5 {
		id := "cis.id"
		if dense {
			id = "+cis.id"
		}
		cond = id + " IN (" + w.ftsMatches(q) + ")"
	} else {
		// Plain conditions joined by OR, which PostgreSQL answers with a
		// BitmapOr of the trigram and key indexes; an IN over a UNION made
		// it hash-join against the whole table.
		likes := make([]string, len(w.long))
		for i, word := range w.long {
			likes[i] = "cis.search LIKE " + q.Arg(store.LikeContains(word)) + ` ESCAPE '\'`
		}
		cond = "((" + strings.Join(likes, " AND ") + ") OR cis.key = " + w.keyArg(q) + ")"
	}
	for _, word := range w.short {
		cond += " AND cis.search LIKE " + q.Arg(store.LikeContains(word)) + ` ESCAPE '\'`
	}
	return cond
}

// searchMatches is a FROM clause of the CIs a search matches, read from
// the full-text index alone, where it can (SQLite, no short words), to
// count them for a caller who sees every CI and filters by nothing else.
func searchMatches(q *store.Query, d store.Dialect, query string) (string, bool) {
	w := splitSearch(query)
	if !d.FTS5 || len(w.long) == 0 || len(w.short) > 0 {
		return "", false
	}
	return "(" + w.ftsMatches(q) + ") m", true
}

// prefixSearch matches a query too short for the trigram index: the start
// of the name, the exact key, or the start of an identifier.
func prefixSearch(q *store.Query, query string) string {
	lower := strings.ToLower(query)
	return "cis.id IN (SELECT id FROM cis WHERE " + prefixRange(q, "name_lower", lower) +
		" UNION SELECT id FROM cis WHERE key = " + q.Arg(strings.ToUpper(query)) +
		" UNION SELECT ci_id FROM ci_identifiers WHERE " + identifierPrefix(q, query) + ")"
}
