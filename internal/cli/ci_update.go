package cli

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/spf13/cobra"
)

// newCIUpdateCmd is "rampart ci update KEY --field value…": it reads the
// CI, applies the flags to what it read, and writes back only if the CI is
// still at the version read (If-Match), so an edit someone made in between
// is refused rather than overwritten. --version pins the version the user
// looked at (ci show prints it).
func newCIUpdateCmd() *cobra.Command {
	var f ciFieldFlags
	var version int64
	var addTags, removeTags, unsetAttrs []string
	cmd := &cobra.Command{
		Use:   "update KEY (--FIELD VALUE… | --file patch.json)",
		Short: "Change fields of a CI; refused if someone else changed it meanwhile",
		Long: `Change fields of a CI. Only the fields given change. --tag, --ip and the other
list flags replace their list; --add-tag, --remove-tag, --attr and --unset-attr
change the lists and attributes the CI has. --file sends a JSON object of the
fields to change (- for stdin).

The update is conditional on the CI's version: the one given with --version
(as "ci show" printed it), else the one read just before writing. If someone
else changed the CI since, nothing is written and the command fails.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			cur, err := c.GetCI(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("version") {
				version = cur.Version
			}
			body, err := f.body(cmd, func() (map[string]any, error) {
				m := f.scalars(cmd)
				if ids, changed := f.identifiers(cmd, cur.Identifiers); changed {
					m["identifiers"] = ids
				}
				tags := slices.Clone(cur.Tags)
				if cmd.Flags().Changed("tag") {
					tags = f.tags
				}
				tags = append(tags, addTags...)
				tags = slices.DeleteFunc(tags, func(t string) bool { return slices.Contains(removeTags, t) })
				if cmd.Flags().Changed("tag") || len(addTags) > 0 || len(removeTags) > 0 {
					m["tags"] = tags
				}
				if len(f.attrs) > 0 || len(unsetAttrs) > 0 {
					attrs := maps.Clone(cur.Attributes)
					if attrs == nil {
						attrs = map[string]any{}
					}
					given, err := f.attributes()
					if err != nil {
						return nil, err
					}
					maps.Copy(attrs, given)
					for _, k := range unsetAttrs {
						delete(attrs, k)
					}
					m["attributes"] = attrs
				}
				if len(m) == 0 {
					return nil, errors.New("nothing to change: give the fields to change as flags (see --help) or --file")
				}
				return m, nil
			})
			if err != nil {
				return err
			}
			ci, err := c.UpdateCI(cmd.Context(), cur.Key, body, version)
			if err != nil {
				return fmt.Errorf("update %s: %w", cur.Key, err)
			}
			return render(cmd, ci, func(w io.Writer) {
				fmt.Fprintf(w, "updated %s (version %d)\n\n", ci.Key, ci.Version)
				ciDetails(w, ci)
			})
		},
	}
	f.register(cmd, "JSON object of the fields to change (- for stdin); excludes the field flags")
	fl := cmd.Flags()
	fl.Int64Var(&version, "version", 0, "version you last saw (ci show); refused if the CI has changed since")
	fl.StringSliceVar(&addTags, "add-tag", nil, "add a tag")
	fl.StringSliceVar(&removeTags, "remove-tag", nil, "remove a tag")
	fl.StringArrayVar(&unsetAttrs, "unset-attr", nil, "remove an attribute (repeat)")
	for _, name := range []string{"add-tag", "remove-tag", "unset-attr"} {
		cmd.MarkFlagsMutuallyExclusive("file", name)
	}
	return cmd
}
