// Package importer turns discovery files (nmap XML, CSV, JSON) into
// cmdb.Candidates for the CMDB's reconciliation (cmdb.Service.Import). It
// only parses: it neither reads nor writes the database, and it knows
// nothing about who is importing.
//
// Every parser streams its input, so a file of a million rows is read once
// and held only as the candidates it produces. Two kinds of failure are kept
// apart, as the formats document (docs/import-formats.md):
//
//   - a problem with the file as a whole (malformed syntax, a truncated or
//     interrupted nmap scan, a DTD with entity declarations, unknown CSV
//     columns, more than MaxRows rows) is an errs.Invalid (or errs.TooLarge)
//     error naming the line, and nothing is imported;
//   - a problem with one row (a criticality of 7, an IP that is not one, an
//     unknown JSON field) is recorded in that candidate's Problems, so the
//     service rejects that row and reports why while the others proceed.
package importer
