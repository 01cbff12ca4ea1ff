// Package store is Rampart's only database code. It opens SQLite (pure Go,
// modernc.org/sqlite) or PostgreSQL (pgx), runs the embedded migrations,
// and implements every practice's store interface with hand-written SQL in
// the subset both engines share ($N placeholders, ON CONFLICT upserts,
// RETURNING at top level). The few places that differ are named fragments
// on Dialect.
//
// Unit of work: DB.InTx hands the callback a *Tx from which every domain
// store is taken, bound to the same transaction, so a domain write and its
// audit entry commit or roll back together.
package store
