// Package store is the core of Rampart's database code. It opens SQLite
// (pure Go, modernc.org/sqlite) or PostgreSQL (pgx), runs the embedded
// migrations, and gives each practice's store package (cmdbstore,
// authstore, jobstore, ...) what it needs to write its SQL once in the
// subset both engines share ($N placeholders, ON CONFLICT upserts,
// RETURNING at top level): the unit of work (Tx: Exec, Query, QueryRow,
// Prepare, QueryCached), a WHERE builder (Query, InList, IDIn, Batches),
// a bulk Inserter, row scanning (Scanner, EachRow, Collect, ScanTime),
// arguments (At, AtPtr, Null), error mapping (MapError), cursors, human
// key counters (NextKeys) and the visibility predicate. The few places
// the engines differ are named fragments and batch sizes on Dialect.
// The audit log's buffer, chain and reads live here too, because every
// unit of work writes it.
//
// Unit of work: DB.InTx hands the callback a *Tx; a practice's store
// package binds it to the practice's Tx interface (store.Bind(db,
// cmdbstore.Bind)), so a domain write and its audit entry commit or roll
// back together, and Bound.Join lets a second practice write in a unit
// the first one holds.
package store
