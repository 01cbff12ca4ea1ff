package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

func newCICreateCmd() *cobra.Command {
	var f ciFieldFlags
	cmd := &cobra.Command{
		Use:   "create (--name NAME --kind KIND [flags] | --file ci.json)",
		Short: "Create a CI from flags or from a JSON file (- for stdin)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			body, err := f.body(cmd, func() (map[string]any, error) {
				m := f.scalars(cmd)
				m["identifiers"], _ = f.identifiers(cmd, cmdb.Identifiers{})
				if len(f.tags) > 0 {
					m["tags"] = f.tags
				}
				if len(f.attrs) > 0 {
					var err error
					if m["attributes"], err = f.attributes(); err != nil {
						return nil, err
					}
				}
				return m, nil
			})
			if err != nil {
				return err
			}
			ci, err := c.CreateCI(cmd.Context(), body)
			if err != nil {
				return err
			}
			return render(cmd, ci, func(w io.Writer) {
				fmt.Fprintf(w, "created %s\n\n", cell(ci.Key))
				ciDetails(w, ci)
			})
		},
	}
	f.register(cmd, "JSON file with the CI (- for stdin); excludes the field flags")
	return cmd
}

// readJSONFile reads a JSON document from path ("-" for stdin); the server
// checks its fields, this only makes sure it is JSON at all.
func readJSONFile(cmd *cobra.Command, path string) (json.RawMessage, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(cmd.InOrStdin())
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !json.Valid(raw) {
		return nil, fmt.Errorf("%s is not valid JSON", path)
	}
	return raw, nil
}
