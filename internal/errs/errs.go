// Package errs defines the error kinds every practice returns and the field
// errors that tell a user which input was wrong. HTTP status codes are chosen
// from these kinds in exactly one place (httpapi/problem.go).
package errs

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies an error for the edge that reports it.
type Kind string

const (
	Invalid         Kind = "invalid"
	NotFound        Kind = "not_found"
	Conflict        Kind = "conflict"
	Forbidden       Kind = "forbidden"
	Unauthenticated Kind = "unauthenticated"
	TooLarge        Kind = "too_large"
	Unavailable     Kind = "unavailable"
	// TooMany: the caller is throttled (repeated failed sign-ins); the
	// error's RetryAfter says when to try again.
	TooMany Kind = "too_many_requests"
	// Overloaded: the work was refused before it started because a queue
	// in front of it is full (back-pressure). Nothing was written; the
	// same request succeeds later. The error carries RetryAfter.
	Overloaded Kind = "overloaded"
	Internal   Kind = "internal"
)

// FieldError names one bad input field (a JSON pointer-like path, a CSV
// column, "row 12: ip") and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the error type every service returns for expected failures.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	Err     error // wrapped cause, never shown to users
	// RetryAfter, when set, tells the client how long to wait before
	// trying again (TooMany, Unavailable, Overloaded): the Retry-After
	// header.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of the given kind with a formatted message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Retry builds an error of the given kind that tells the client to try
// again after d.
func Retry(kind Kind, d time.Duration, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), RetryAfter: d}
}

// RetryAfterSeconds is the Retry-After value for err in whole seconds,
// rounded up, and whether err carries one.
func RetryAfterSeconds(err error) (int, bool) {
	e, ok := As(err)
	if !ok || e.RetryAfter <= 0 {
		return 0, false
	}
	return int((e.RetryAfter + time.Second - 1) / time.Second), true
}

// Busy builds an Overloaded error: the caller should try again after
// retryAfter.
func Busy(retryAfter time.Duration, format string, args ...any) *Error {
	return Retry(Overloaded, retryAfter, format, args...)
}

// Field builds an Invalid error about one field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Message: "invalid input", Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// Fields collects field errors; Err returns nil while none were added.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error carrying every recorded field, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "invalid input", Fields: f}
}

// KindOf returns the kind of err, Internal for errors that carry none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
