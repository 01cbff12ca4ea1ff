package importer

import (
	"errors"
	"fmt"
	"io"

	"github.com/rampart-itsm/rampart/internal/errs"
)

// fileError is a whole-file problem: nothing of the file is imported. where
// says where in the file ("line 42", "header", "byte 1234"); it becomes the
// field of the error so the API names it like any other bad field.
func fileError(format, where, msgFormat string, args ...any) error {
	return &errs.Error{
		Kind:    errs.Invalid,
		Message: "invalid " + format + " file",
		Fields:  []errs.FieldError{{Field: where, Message: fmt.Sprintf(msgFormat, args...)}},
	}
}

// tooManyRows refuses a file with more than MaxRows rows.
func tooManyRows(format, noun string) error {
	return errs.E(errs.TooLarge, "%s file has more than %d %s; split it into smaller imports", format, maxRows, noun)
}

// lineField names a line (and column, when known) of the input.
func lineField(line, col int) string {
	if col > 0 {
		return fmt.Sprintf("line %d, column %d", line, col)
	}
	return fmt.Sprintf("line %d", line)
}

// source wraps the caller's reader to remember its error, so a parser can
// tell a failure to read (a body over the API's size limit, a broken
// connection: returned wrapped, for the caller to classify) from a problem
// with the file's content (errs.Invalid).
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return n, err
}

// readFailed reports whether err came from the underlying reader.
func (s *source) readFailed(err error) bool { return s.err != nil && errors.Is(err, s.err) }
