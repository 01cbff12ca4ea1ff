package importer

// Limits that keep one hostile or mistaken file from exhausting memory.
// The request body limit of the API bounds the file as a whole; these bound
// what a file of that size can make the parser build.
const (
	// MaxRows is the most rows (CSV data rows, JSON items, nmap hosts) one
	// file may hold; a larger file is refused with errs.TooLarge.
	MaxRows = 1_000_000
	// maxCell is the longest CSV cell or JSON string field, in bytes. The
	// longest CI text (a description) is 10,000 characters, which fits.
	maxCell = 64 << 10
	// maxItem is the largest JSON item, in bytes; a larger item is
	// rejected without being parsed.
	maxItem = 1 << 20
	// maxColumns is the most CSV columns (attr.* included).
	maxColumns = 256
	// maxListValues is the most values of one identifier list or of tags in
	// one row.
	maxListValues = 1000
	// maxPorts is the most port entries kept per nmap host; more are counted
	// in the "ports_omitted" attribute. It keeps the ports attribute well
	// under the CMDB's limit on attribute size.
	maxPorts = 256
	// maxXMLText caps nmap attribute values copied into CI attributes.
	maxXMLText = 1024
)

// maxRows is MaxRows, variable so that a test can lower it instead of
// building a file of a million rows.
var maxRows = MaxRows
