package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/client"
	"github.com/rampart-itsm/rampart/internal/cmdb"
	"github.com/rampart-itsm/rampart/internal/vuln"
	"github.com/rampart-itsm/rampart/internal/vuln/scanner"
)

// NewImportCmd returns "rampart import FORMAT FILE": uploads a discovery
// file (nmap, csv, json), a scanner report (trivy, grype, sarif, openvas,
// nessus, nuclei) or a threat feed (kev, epss) through the API and prints
// the report: for a discovery file every problem of each rejected row
// (rejected rows make it exit with ExitRejected: without --strict the
// other rows were imported, with --strict nothing was); for a scanner
// report the findings created, updated, unchanged, reopened and fixed and
// the targets no CI matched. A failed request, or an import that stopped
// part-way, exits with ExitFailure.
func NewImportCmd() *cobra.Command {
	var strict bool
	var source string
	cmd := &cobra.Command{
		Use:   "import FORMAT FILE",
		Short: "Import a discovery file (nmap, csv, json), a scanner report (trivy, grype, sarif, openvas, nessus, nuclei) or a threat feed (kev, epss) through the API; - reads stdin",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, path := args[0], args[1]
			vulnFormat := slices.Contains(vulnImportFormats, format)
			if !slices.Contains(cmdb.ImportFormats, format) && !vulnFormat {
				return fmt.Errorf("unknown format %q: use %s", format, strings.Join(append(slices.Clone(cmdb.ImportFormats), vulnImportFormats...), ", "))
			}
			if vulnFormat && strict {
				return fmt.Errorf("--strict applies to discovery files only")
			}
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			var in io.Reader = cmd.InOrStdin()
			name := ""
			if path != "-" {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				defer f.Close()
				in, name = f, filepath.Base(path)
			}
			rep, err := c.Import(cmd.Context(), format, in, client.ImportOptions{Filename: name, Source: source, Strict: strict})
			var p *client.Problem
			if errors.As(err, &p) && p.Report != nil {
				// Refused strict import: what would have happened; or an
				// import that stopped part-way: how far it got.
				stderr := terminalSafe(cmd.ErrOrStderr())
				if p.Report.Key != "" {
					fmt.Fprintf(stderr, "%s stopped: rows up to %d applied, none after\n", cell(p.Report.Key), p.Report.AppliedThrough)
				}
				printRejected(stderr, *p.Report)
				if p.Report.Key == "" {
					return &exitError{code: ExitRejected, err: fmt.Errorf("nothing imported: %d of %d rows rejected (--strict)", p.Report.Rejected, p.Report.Total())}
				}
			}
			if err != nil {
				return err
			}
			if vulnFormat {
				// Unmatched targets are kept as rows of the report.
				if rep.Detail != nil && format != "kev" && format != "epss" {
					if rep.Rows, err = c.ImportRows(cmd.Context(), rep.Key, "-"); err != nil {
						return err
					}
				}
				return render(cmd, rep, func(w io.Writer) { vulnImportSummary(w, rep) })
			}
			// The answer holds the first page of rejected rows; list them all.
			more, err := c.ImportRows(cmd.Context(), rep.Key, rep.NextCursor)
			rep.Rows, rep.NextCursor = append(rep.Rows, more...), ""
			if err != nil {
				return err
			}
			if err := render(cmd, rep, func(w io.Writer) { importSummary(w, rep) }); err != nil {
				return err
			}
			if rep.Rejected > 0 {
				return &exitError{code: ExitRejected, err: fmt.Errorf("%s: %d of %d rows rejected, the rest imported", rep.Key, rep.Rejected, rep.Total())}
			}
			return nil
		},
	}
	addClientFlags(cmd)
	cmd.Flags().BoolVar(&strict, "strict", false, "import nothing when any row is rejected")
	cmd.Flags().StringVar(&source, "source", "", "import source the fields this import sets are recorded as set by (default: the format); "+
		"it does not overwrite fields people set or sources ranked above it hold")
	return cmd
}

// vulnImportFormats are the scanner report and threat feed formats.
var vulnImportFormats = append(slices.Clone(scanner.Formats), "kev", "epss")

// vulnImportSummary prints what a scanner report or feed import did.
func vulnImportSummary(w io.Writer, rep cmdb.ImportReport) {
	var d vuln.ImportDetail
	_ = json.Unmarshal(rep.Detail, &d)
	fmt.Fprintf(w, "%s (%s", cell(rep.Key), cell(rep.Format))
	if rep.Filename != "" {
		fmt.Fprintf(w, ", %s", cell(rep.Filename))
	}
	if rep.Format == "kev" || rep.Format == "epss" {
		fmt.Fprintf(w, "): %d entries: %d new, %d changed, %d unchanged, %d skipped\n", d.Findings, rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
		for _, p := range d.Problems {
			fmt.Fprintf(w, "  skipped %s\n", cell(p))
		}
		return
	}
	fmt.Fprintf(w, "): %d findings (%d repeated): %d created, %d updated, %d unchanged, %d reopened, %d fixed; %d targets, %d matched no CI\n",
		d.Findings, d.Duplicates, rep.Created, rep.Updated, rep.Unchanged, d.Reopened, d.Fixed, d.Targets, d.Unmatched)
	first := true
	for _, row := range rep.Rows {
		if row.Action != "unmatched" {
			continue
		}
		if first {
			fmt.Fprintln(w, "targets no CI matched:")
			first = false
		}
		fmt.Fprintf(w, "  %s\n", cell(row.Label))
	}
}

func importSummary(w io.Writer, rep cmdb.ImportReport) {
	fmt.Fprintf(w, "%s (%s", cell(rep.Key), cell(rep.Format))
	if rep.Filename != "" {
		fmt.Fprintf(w, ", %s", cell(rep.Filename))
	}
	fmt.Fprintf(w, "): %d created, %d updated, %d unchanged, %d rejected\n", rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
	printRejected(w, rep)
	printKept(w, rep)
}

// printKept lists each row that kept fields a source ranked above the
// import's holds, with each field and why.
func printKept(w io.Writer, rep cmdb.ImportReport) {
	if rep.Kept == 0 {
		return
	}
	fmt.Fprintf(w, "%d rows kept fields held by people or by sources ranked above %s:\n", rep.Kept, cell(rep.Source))
	for _, row := range rep.Rows {
		if row.Action == cmdb.ActionRejected || len(row.Kept) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s (%s)\n", cell(rowLabel(row)), cell(row.CIKey))
		for _, k := range row.Kept {
			fmt.Fprintf(w, "    %s\n", cell(k.String()))
		}
	}
}

func rowLabel(row cmdb.ImportRow) string {
	if row.Label == "" {
		return fmt.Sprintf("row %d", row.Row)
	}
	return row.Label
}

// printRejected lists each rejected row with its reasons.
func printRejected(w io.Writer, rep cmdb.ImportReport) {
	first := true
	for _, row := range rep.Rows {
		if row.Action != cmdb.ActionRejected {
			continue
		}
		if first {
			fmt.Fprintln(w, "rejected rows:")
			first = false
		}
		fmt.Fprintf(w, "  %s\n", cell(rowLabel(row)))
		for _, e := range row.Errors {
			fmt.Fprintf(w, "    %s: %s\n", cell(e.Field), cell(e.Message))
		}
		if len(row.Conflict) > 0 {
			fmt.Fprintf(w, "    matches several CIs: %s\n", cell(strings.Join(row.Conflict, ", ")))
		}
	}
}
