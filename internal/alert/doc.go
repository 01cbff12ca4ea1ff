// Package alert holds alert ingestion's domain types and rules that need no
// database: the normalised Alert every payload becomes (whatever sent it),
// severities, security categories and observables, and Rampart's own
// fingerprint, computed from fields each source chooses.
//
// Parsers for the formats live below it: format/alertmanager,
// format/syslog (RFC 5424 and RFC 3164, with CEF and LEEF payloads),
// format/suricata, format/wazuh and format/generic; format ties a source's
// configuration (format, fingerprint fields, options) to the parser and
// the fingerprint in one Decoder. syslognet is the UDP and TCP listener
// that hands syslog frames to a callback. Sources, the raw store, dedup and
// correlation into incidents, the API and the UI build on these packages;
// none of them is here. docs/alerts.md describes the formats, the severity
// mapping and the fingerprint for users.
package alert
