package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/cmdb"
)

// NewImpactCmd returns "rampart impact KEY [--upstream|--downstream]
// [--depth N]": the CIs and business services affected if KEY fails
// (downstream) or what KEY is built on (upstream), as a tree with the path
// to each. Without either flag the server chooses by the CI's kind: upstream
// for a business service, downstream for anything else. KEY in any case.
func NewImpactCmd() *cobra.Command {
	var upstream, downstream bool
	var depth int
	cmd := &cobra.Command{
		Use:   "impact KEY",
		Short: "Show what depends on a CI (--downstream) or what it is built on (--upstream)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := apiClient(cmd)
			if err != nil {
				return err
			}
			var dir cmdb.Direction // the server's choice for the CI's kind
			switch {
			case upstream:
				dir = cmdb.Upstream
			case downstream:
				dir = cmdb.Downstream
			}
			imp, err := c.Impact(cmd.Context(), args[0], dir, depth)
			if err != nil {
				return err
			}
			return render(cmd, imp, func(w io.Writer) { impactTree(w, imp) })
		},
	}
	addClientFlags(cmd)
	cmd.Flags().BoolVar(&upstream, "upstream", false, "show what the CI is built on (default for a business service)")
	cmd.Flags().BoolVar(&downstream, "downstream", false, "show what depends on the CI (default for every other kind)")
	cmd.MarkFlagsMutuallyExclusive("upstream", "downstream")
	cmd.Flags().IntVar(&depth, "depth", 0, "maximum number of hops (server default 10)")
	return cmd
}

func summary(s cmdb.CISummary) string {
	return fmt.Sprintf("%s %s (%s, criticality %d)", cell(s.Key), cell(s.Name), cell(string(s.Kind)), s.Criticality)
}

// impactTree prints the root, then each reached CI under the CI before it
// on its shortest path, then the business services with their full paths.
func impactTree(w io.Writer, imp cmdb.Impact) {
	fmt.Fprintln(w, summary(imp.Root))
	children := map[string][]cmdb.ImpactNode{}
	for _, n := range imp.Nodes {
		if len(n.Path) >= 2 {
			parent := n.Path[len(n.Path)-2]
			children[parent] = append(children[parent], n)
		}
	}
	var walk func(key, indent string)
	walk = func(key, indent string) {
		kids := children[key]
		for i, n := range kids {
			branch, next := "├── ", "│   "
			if i == len(kids)-1 {
				branch, next = "└── ", "    "
			}
			fmt.Fprintf(w, "%s%s%s  [%s]\n", indent, branch, summary(n.CI), cell(string(n.Via)))
			walk(n.CI.Key, indent+next)
		}
	}
	walk(imp.Root.Key, "")
	verb := "affected if it fails"
	if imp.Direction == cmdb.Upstream {
		verb = "it is built on"
	}
	fmt.Fprintf(w, "\n%d CIs %s", len(imp.Nodes), verb)
	if imp.Truncated {
		fmt.Fprint(w, " (truncated: raise --depth to see more)")
	}
	fmt.Fprintln(w)
	if len(imp.Services) > 0 {
		fmt.Fprintf(w, "\nbusiness services (%d):\n", len(imp.Services))
		for _, s := range imp.Services {
			fmt.Fprintf(w, "  %s %s  path: %s\n", cell(s.CI.Key), cell(s.CI.Name), cell(strings.Join(s.Path, " → ")))
		}
	}
}
