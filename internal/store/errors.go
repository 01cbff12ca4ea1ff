package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// MapError turns driver errors into errs kinds, naming the column when a
// constraint says which: no rows is NotFound, a unique violation Conflict,
// a foreign key, CHECK or NOT NULL violation Invalid, a lock or
// serialisation failure Unavailable. Errors that already carry a kind and
// other errors pass through. It is the only place that knows driver error
// types; every store returns database errors through it.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &errs.Error{Kind: errs.NotFound, Message: "not found", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return mapPostgres(pg, err)
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return mapSQLite(lite, err)
	}
	return err
}

// pgKeyColumn reads the column list out of PostgreSQL's "Key (col)=(val)" detail.
var pgKeyColumn = regexp.MustCompile(`Key \(([^)]+)\)`)

func mapPostgres(pg *pgconn.PgError, err error) error {
	field := ""
	if m := pgKeyColumn.FindStringSubmatch(pg.Detail); m != nil {
		field = m[1]
	} else if pg.ColumnName != "" {
		field = pg.ColumnName
	}
	switch pg.Code {
	case "23505":
		return conflict(field, err)
	case "23503":
		return invalidRef(field, err)
	case "23514", "23502", "22001", "22P02":
		return &errs.Error{Kind: errs.Invalid, Message: "invalid input", Fields: []errs.FieldError{{Field: field, Message: pg.Message}}, Err: err}
	case "40001", "40P01", "55P03", "57014":
		return &errs.Error{Kind: errs.Unavailable, Message: "the database is busy, try again", Err: err}
	}
	return err
}

// sqliteColumn reads "table.column" out of SQLite's constraint messages.
var sqliteColumn = regexp.MustCompile(`(?:UNIQUE|NOT NULL|CHECK|FOREIGN KEY|PRIMARY KEY) constraint failed: ([\w.]+(?:, [\w.]+)*)`)

func mapSQLite(lite *sqlite.Error, err error) error {
	field := ""
	if m := sqliteColumn.FindStringSubmatch(lite.Error()); m != nil {
		parts := strings.Split(m[1], ", ")
		cols := make([]string, len(parts))
		for i, p := range parts {
			cols[i] = p[strings.LastIndex(p, ".")+1:]
		}
		field = strings.Join(cols, ", ")
	}
	switch lite.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return conflict(field, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return invalidRef(field, err)
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return &errs.Error{Kind: errs.Invalid, Message: "invalid input", Fields: []errs.FieldError{{Field: field, Message: "value not allowed"}}, Err: err}
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_BUSY_SNAPSHOT:
		return &errs.Error{Kind: errs.Unavailable, Message: "the database is busy, try again", Err: err}
	}
	return err
}

func conflict(field string, err error) error {
	return &errs.Error{Kind: errs.Conflict, Message: "a record with this value already exists",
		Fields: []errs.FieldError{{Field: field, Message: "already in use"}}, Err: err}
}

func invalidRef(field string, err error) error {
	return &errs.Error{Kind: errs.Invalid, Message: "refers to a record that does not exist",
		Fields: []errs.FieldError{{Field: field, Message: "no such record"}}, Err: err}
}
