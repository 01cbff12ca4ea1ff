package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/client"
	"github.com/rampart-itsm/rampart/internal/config"
)

// Client verbs (ci, relation, import, impact, user) talk to a running Rampart through its
// API: --url and --token, or RAMPART_URL and RAMPART_TOKEN.

// addClientFlags adds --url, --token and --output to a client verb and its
// subcommands.
func addClientFlags(cmd *cobra.Command) {
	config.Register(cmd.PersistentFlags(), "url", "token")
	cmd.PersistentFlags().StringP("output", "o", "table", "output format: table or json")
}

// apiClient builds the API client from the command's flags.
func apiClient(cmd *cobra.Command) (*client.Client, error) {
	if _, err := outputFormat(cmd); err != nil {
		return nil, err
	}
	token := config.Get(cmd.Flags(), "token")
	if token == "" {
		return nil, fmt.Errorf("no API token: set RAMPART_TOKEN or pass --token (create one with: rampart token create --user NAME)")
	}
	return client.New(config.Get(cmd.Flags(), "url"), token)
}

func outputFormat(cmd *cobra.Command) (string, error) {
	f, _ := cmd.Flags().GetString("output")
	switch f {
	case "table", "json":
		return f, nil
	}
	return "", fmt.Errorf("--output %q: use table or json", f)
}

// render writes v as indented JSON with --output json, else calls table.
func render(cmd *cobra.Command, v any, table func(w io.Writer)) error {
	out := terminalSafe(cmd.OutOrStdout())
	if f, _ := outputFormat(cmd); f == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	table(tw)
	return tw.Flush()
}

// orDash shows a stored value as one table cell: see cell; blank is "-".
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return cell(s)
}
