package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rampart-itsm/rampart/internal/app"
	"github.com/rampart-itsm/rampart/internal/audit/auditlog"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Work with the audit log"}
	var anchors []string
	var full bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit hash chains; exit non-zero naming the first broken entry",
		Long: `Check the audit hash chains; exit non-zero naming the first broken entry.

Prints one line per stream (general, security):

  general: OK 1234 entries, head general:1234:ab12…

The head is an anchor, STREAM:SEQ:HASH. Record it somewhere the database's
administrators cannot write (the daily verification also logs it as
"anchor"), and pass it back later with --anchor: a log that was rewritten
and re-hashed as a whole still has consistent chains, but no longer passes
through the recorded anchor.

Verification goes on from where the last one got to (and checks that entry
still holds); --full walks every entry from the first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			parsed, err := auditlog.ParseAnchors("--anchor", anchors)
			if err != nil {
				return err
			}
			return withApp(cmd, func(a *app.App) error {
				res, err := a.Audit.Verify(cmd.Context(), auditlog.VerifyOptions{Full: full, Anchors: parsed})
				if err != nil {
					return err
				}
				var broken []string
				for _, s := range res {
					if !s.OK {
						fmt.Fprintf(cmd.OutOrStdout(), "%s: BROKEN at entry %d: %s (%d entries hold before it)\n", s.Stream, s.BrokenAt, s.Reason, s.Entries)
						broken = append(broken, fmt.Sprintf("%s at entry %d", s.Stream, s.BrokenAt))
						continue
					}
					how := "full walk"
					if s.From > 0 {
						how = fmt.Sprintf("%d checked since entry %d", s.Checked, s.From)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s: OK %d entries, head %s (%s)\n", s.Stream, s.Entries, s.Anchor, how)
				}
				if len(broken) > 0 {
					return fmt.Errorf("audit chain broken: %v", broken)
				}
				if len(parsed) > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%d anchors passed\n", len(parsed))
				}
				return nil
			})
		},
	}
	verify.Flags().StringArrayVar(&anchors, "anchor", nil, "a head recorded earlier, STREAM:SEQ:HASH (SEQ:HASH: general); repeatable")
	verify.Flags().BoolVar(&full, "full", false, "walk every entry from the first, not from where the last verification got to")
	addDBFlags(verify)
	cmd.AddCommand(verify)
	return cmd
}
