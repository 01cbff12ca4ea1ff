// Package sla owns service level agreements for any kind of record
// (incidents now; vulnerability remediation and changes later): business
// hours schedules in an IANA time zone with holidays, SLA and OLA
// definitions chosen by conditions on a record's attributes, and the clocks
// that measure a record against them.
//
// The package has no I/O. Its rules, whoever calls them:
//
//   - Business time is real elapsed time inside a schedule's windows, read
//     in the schedule's zone and never the viewer's or the server's: a
//     window of 00:00–24:00 on the day clocks go forward lasts 23 hours.
//     A holiday takes its whole day out of the schedule.
//   - A clock's due time (and the time of its next warning) is computed
//     when it starts, pauses, resumes or is re-prioritised, and stored on
//     its row, so a poller finds due clocks with one indexed query: no
//     in-memory timers, correct across restarts and replicas.
//   - Due and warning times always fall inside the schedule's hours, so a
//     breach or warning is never raised outside them.
//   - A clock pauses only for the on-hold reasons its definition names;
//     time on hold is kept apart (PausedTotal) and never counts as elapsed.
//   - A stopped clock stays stopped: a later update of the record cannot
//     move its stop time or outcome.
//   - When a record's attributes change (its priority, say), clocks whose
//     definition no longer applies are cancelled and the new definition's
//     clock either keeps the business time already elapsed (and a pause in
//     progress) or restarts, as the new definition says.
package sla
