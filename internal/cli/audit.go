package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Work with the audit log"}
	var anchors []string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit hash chain; exit non-zero naming the first broken entry",
		Long: `Check the audit hash chain; exit non-zero naming the first broken entry.

The output ends with the chain head as SEQ:HASH. Record it somewhere the
database's administrators cannot write (the daily verification also logs
it as "anchor"), and pass it back later with --anchor: a log that was
rewritten and re-hashed as a whole still has a consistent chain, but no
longer passes through the recorded anchor.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			parsed, err := parseAnchors(anchors)
			if err != nil {
				return err
			}
			return withApp(cmd, func(a *app.App) error {
				n, err := a.Audit.CheckAnchors(cmd.Context(), parsed)
				if err != nil {
					return err
				}
				head, err := a.Audit.Head(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "audit chain OK: %d entries, %d anchors checked; head %d:%s\n", n, len(parsed), head.Seq, head.Hash)
				return nil
			})
		},
	}
	verify.Flags().StringArrayVar(&anchors, "anchor", nil, "a head recorded earlier, SEQ:HASH (repeatable)")
	addDBFlags(verify)
	cmd.AddCommand(verify)
	return cmd
}

func parseAnchors(in []string) ([]auditlog.Anchor, error) {
	out := make([]auditlog.Anchor, 0, len(in))
	for _, s := range in {
		seqText, hash, ok := strings.Cut(s, ":")
		seq, err := strconv.ParseInt(seqText, 10, 64)
		if !ok || err != nil || seq < 1 || len(hash) != 64 {
			return nil, fmt.Errorf("--anchor %q: want SEQ:HASH as printed by audit verify", s)
		}
		out = append(out, auditlog.Anchor{Seq: seq, Hash: hash})
	}
	return out, nil
}
