package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// ciExportColumns are the columns of the CMDB's CSV export. Multi-valued
// identifiers and tags are joined with ";", the separator the CSV import
// reads, so an export can be edited and imported again.
var ciExportColumns = []string{"key", "name", "kind", "environment", "business_criticality", "owner", "support_group",
	"lifecycle_status", "data_classification", "internet_exposed", "supplier", "hostnames", "fqdns", "ips", "macs",
	"serial", "cloud_id", "tags", "updated_at"}

// ciExport streams the CIs the list's filters select, as the viewer may
// see them and in the list's order, as CSV. Nothing is held but one page.
func (s *server) ciExport(w http.ResponseWriter, r *http.Request, rq *request) error {
	_, f, err := readCIFilter(r.URL.Query())
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	started := false
	start := func() error {
		started = true
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="rampart-cis.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		return cw.Write(ciExportColumns)
	}
	row := make([]string, len(ciExportColumns))
	err = s.CMDB.ExportCIs(r.Context(), rq.P, f, func(ci *cmdb.CI) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		id := ci.Identifiers
		row = append(row[:0], ci.Key, ci.Name, string(ci.Kind), ci.Environment, strconv.Itoa(ci.Criticality), ci.Owner,
			ci.SupportGroup, ci.LifecycleStatus, ci.DataClassification, strconv.FormatBool(ci.InternetExposed), ci.Supplier,
			strings.Join(id.Hostnames, ";"), strings.Join(id.FQDNs, ";"), strings.Join(id.IPs, ";"), strings.Join(id.MACs, ";"),
			id.Serial, id.CloudID, strings.Join(ci.Tags, ";"), ci.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"))
		for i, c := range row {
			row[i] = csvCell(c)
		}
		return cw.Write(row)
	})
	if err == nil && !started {
		err = start() // nothing matched: the header row alone
	}
	if err != nil && started {
		// The download has begun; the truncated file is all that can be
		// said to the browser, so say the rest in the log.
		s.log.Error("web: CI export interrupted", "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvCell defuses a cell a spreadsheet would run as a formula: one that
// starts with =, +, -, @, TAB or CR gets a leading apostrophe, which
// spreadsheets show as text (the OWASP advice against CSV injection). A
// name like "-edge-" reads "'-edge-" in the file; that is the price.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
