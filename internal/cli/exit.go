package cli

import "errors"

// Exit codes of the rampart command, documented in the README so scripts
// can tell a failed command from an import that left rows out.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the command failed: bad arguments, server unreachable, request refused
	ExitRejected = 3 // an import rejected rows: the rest imported, or nothing with --strict
)

// exitError is a failure with its own exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode is the process exit code for the error a command returned.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	}
	return ExitFailure
}
