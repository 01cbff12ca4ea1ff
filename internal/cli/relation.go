package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// NewRelationCmd returns "rampart relation": list, add and remove
// relationships through the API. A relationship reads "SOURCE TYPE
// TARGET": the source needs the target (app depends_on db).
func NewRelationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "relation",
		Short: "List, add and remove relationships between CIs (through the API)",
	}
	addClientFlags(cmd)
	types := make([]string, len(cmdb.RelationTypes))
	for i, t := range cmdb.RelationTypes {
		types[i] = string(t)
	}
	typeHelp := "TYPE is one of " + strings.Join(types, ", ") + "; SOURCE needs TARGET. Keys in any case."
	cmd.AddCommand(
		&cobra.Command{
			Use:   "list KEY",
			Short: "Relationships of a CI, both directions",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := apiClient(cmd)
				if err != nil {
					return err
				}
				rels, err := c.Relations(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return render(cmd, rels, func(w io.Writer) {
					fmt.Fprintln(w, "ID\tSOURCE\tTYPE\tTARGET")
					for _, r := range rels {
						fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", r.ID, r.Source, r.Type, r.Target)
					}
				})
			},
		},
		&cobra.Command{
			Use:   "add SOURCE TYPE TARGET",
			Short: "Record that SOURCE needs TARGET, e.g. add CI-7 runs_on CI-3",
			Long:  typeHelp,
			Args:  cobra.ExactArgs(3),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := apiClient(cmd)
				if err != nil {
					return err
				}
				r, err := c.AddRelation(cmd.Context(), args[0], relationType(args[1]), args[2])
				if err != nil {
					return err
				}
				return render(cmd, r, func(w io.Writer) {
					fmt.Fprintf(w, "added %s %s %s (relation %d)\n", r.Source, r.Type, r.Target, r.ID)
				})
			},
		},
		newRelationRemoveCmd(typeHelp),
	)
	return cmd
}

func newRelationRemoveCmd(typeHelp string) *cobra.Command {
	return &cobra.Command{
		Use:   "remove (SOURCE TYPE TARGET | ID)",
		Short: "Remove a relationship, named by its ends and type or by its id",
		Long:  typeHelp + " ID is the number \"relation list\" shows.",
		Args:  cobra.MatchAll(cobra.RangeArgs(1, 3), func(_ *cobra.Command, args []string) error { return oneOrThree(args) }),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			var r cmdb.Relation
			if len(args) == 1 {
				id, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || id <= 0 {
					return fmt.Errorf("%q is not a relation id; name the relation as SOURCE TYPE TARGET or by its id", args[0])
				}
				r.ID = id
			} else {
				want := cmdb.Relation{Source: ciKey(args[0]), Type: relationType(args[1]), Target: ciKey(args[2])}
				rels, err := c.Relations(cmd.Context(), want.Source)
				if err != nil {
					return err
				}
				for _, x := range rels {
					if x.Source == want.Source && x.Type == want.Type && x.Target == want.Target {
						r = x
					}
				}
				if r.ID == 0 {
					return fmt.Errorf("no relation %s %s %s (see: rampart relation list %s)", want.Source, want.Type, want.Target, want.Source)
				}
			}
			if err := c.DeleteRelation(cmd.Context(), r.ID); err != nil {
				return err
			}
			if r.Source == "" {
				fmt.Fprintf(terminalSafe(cmd.OutOrStdout()), "removed relation %d\n", r.ID)
			} else {
				fmt.Fprintf(terminalSafe(cmd.OutOrStdout()), "removed %s %s %s (relation %d)\n", r.Source, r.Type, r.Target, r.ID)
			}
			return nil
		},
	}
}

func oneOrThree(args []string) error {
	if len(args) == 2 {
		return fmt.Errorf("give SOURCE TYPE TARGET, or the relation's id")
	}
	return nil
}

// relationType accepts a type as people type it: "Depends-On" is depends_on.
func relationType(s string) cmdb.RelationType {
	return cmdb.RelationType(strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", "_")))
}

// ciKey is a key as the server spells it ("ci-7 " is CI-7).
func ciKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
