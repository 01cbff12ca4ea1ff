// Package incident owns incidents and security incidents: their fields,
// life cycle, priority matrix, security classification, notes, shares and
// links. The service desk, the NOC and the SOC work one record, with the
// CMDB's context (affected CIs and the business services that depend on
// them) attached.
//
// Rules the Service keeps, whoever calls it (API, UI, CLI, alert intake):
//
//   - Authorisation first. What a principal may see is
//     auth.VisibilityFor(p, auth.KindIncident), applied by the store in
//     SQL: staff see every incident that is not a security incident,
//     requesters the incidents they are the caller of, and security
//     incidents only security analysts, admins and the users and teams an
//     incident is shared with. A hidden incident answers NotFound, like a
//     missing one.
//   - Security incidents take their own key series (SIR-n), so gaps in
//     INC-n say nothing about them.
//   - Priority comes from impact × urgency through the priority matrix,
//     which is configuration data (audited, changed by admins).
//   - State changes follow the life cycle (see Transitions); a refused one
//     is a Conflict naming the states allowed from where the incident is.
//   - Every change appends an audit entry in the same unit of work, and
//     tells the SLA clocks (see Clocks) in that unit too.
package incident
