// Package feed reads the threat feeds vulnerability management joins to
// findings, from local files only (Rampart makes no network calls at run
// time): CISA's Known Exploited Vulnerabilities catalogue (JSON) and FIRST's
// EPSS scores (CSV). Both parsers stream entries to a callback; an entry
// that cannot be read is reported with its line and skipped, while a file
// that is not the feed at all is an errs.Invalid error. Small samples for
// the demonstration are embedded (Demo).
package feed
