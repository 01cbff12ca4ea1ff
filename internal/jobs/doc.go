// Package jobs is Rampart's durable background work: a queue in the
// application's own database, so a job is enqueued in the same unit of work
// as the domain write that needs it and commits or rolls back with it.
//
// A Runner claims due jobs (PostgreSQL: FOR UPDATE SKIP LOCKED, so
// replicas pass over each other's rows; SQLite: its single writer), marks
// them running under a lease, and runs their handlers with a timeout. A
// runner that dies leaves leases that expire, and the jobs are claimed
// again. A failed job is retried with exponential backoff and, after its
// last attempt, kept as dead for admins to inspect and retry; it is logged
// and counted, never dropped.
//
// Time comes from an injected clock and every runner has RunOnce, so tests
// move a fake clock instead of sleeping.
package jobs
