// Package vuln holds vulnerability management's domain types and rules that
// need no database: the normalised Finding every scanner report becomes, its
// identity key, severities, and the pure functions that rank a finding (the
// risk formula and the CISA SSVC tree) and give it a remediation due date.
//
// Parsers for scanner reports live in vuln/scanner, CVSS scoring in
// vuln/cvss and the KEV and EPSS feeds in vuln/feed. A store, import jobs,
// the finding lifecycle, the API and the UI build on these packages; none of
// them is here. docs/vuln.md describes the formats, the identity key and the
// priority formula for users.
package vuln
