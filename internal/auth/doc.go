// Package auth owns users, teams, roles, sessions and API tokens, and the
// authorisation decisions every other practice asks for: Can (may this
// principal do this action) and Visibility (which records of a kind may it
// see, turned into SQL by the store so lists, counts, searches, exports and
// lookups cannot leak). Visibility is built here only: VisibilityFor from a
// principal, or Unrestricted("reason") for system work.
package auth
