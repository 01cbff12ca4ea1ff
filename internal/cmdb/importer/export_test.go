package importer

// SetMaxRows lowers the row limit for a test and returns the function that
// restores it.
func SetMaxRows(n int) (restore func()) {
	old := maxRows
	maxRows = n
	return func() { maxRows = old }
}
