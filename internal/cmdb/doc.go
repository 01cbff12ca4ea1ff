// Package cmdb owns configuration items (CIs), their typed relationships,
// reconciliation of discovered assets with existing CIs, and impact
// ("blast radius") analysis. It is the single source of asset truth: every
// other practice reads CI context through this package's Service.
//
// Rules the Service keeps, whoever calls it (API, UI, CLI, imports):
//
//   - Authorisation is the first line of every method; what a principal may
//     see is auth.VisibilityFor(p, auth.KindCI), applied by the store in
//     SQL, so lists, counts, searches, lookups and impact walks only ever
//     touch visible CIs.
//   - Every create, update and delete of a CI, relation or import appends
//     an audit entry in the same unit of work.
//   - An identifier (host name, FQDN, IP, MAC, serial, cloud id) belongs to
//     one CI. Identifiers are stored in canonical form (see
//     NormalizeIdentifiers), which is what makes reconciliation reliable.
//   - A relation reads "source <type> target" and means the source needs
//     the target, for every type. Downstream impact (what fails with a CI)
//     follows relations from target to source; upstream (what a CI is built
//     on) from source to target.
//   - Imports reconcile candidates by identifier in one transaction: no
//     match creates a CI, one match updates the fields the source gives
//     (identifiers and tags are added, attributes merged by key, nothing is
//     removed), several matches reject the row as a conflict. Rejected rows
//     are reported and skipped, or, in strict mode, refuse the whole import.
//     The same file imported twice changes nothing the second time.
package cmdb
