// Package scanner reads scanner reports — Trivy JSON, Grype JSON, SARIF
// 2.1.0, OpenVAS/Greenbone XML, Nessus v2 and Nuclei JSON lines — into
// vuln.Findings. It only parses: it neither reads nor writes the database
// and knows nothing about who imports.
//
// Every parser streams. It hands each finding to the caller's Sink as soon
// as it is read, so a report of a million findings (about 860 MB) is parsed
// with memory that does not grow with its size; Batch groups findings for
// callers that write in chunks. A Sink's error stops the parse and is
// returned as it is, so a caller can stop at a chunk boundary.
//
// A report that cannot be read as a whole — malformed or truncated JSON or
// XML, the wrong format for the chosen parser, more findings than
// Options.MaxFindings — is an errs.Invalid (or errs.TooLarge) error whose
// field names where: "line 12, column 4" for XML and JSON lines, the JSON
// Pointer of the value and its line for JSON ("/Results/3/Vulnerabilities/7
// (line 120, column 9)"). Findings already handed to the Sink stay handed:
// the caller decides whether they count (docs/vuln.md, "Imports").
// Problems with one finding's data that do not stop it (a malformed CVSS
// vector) are recorded in that finding's Problems.
package scanner
