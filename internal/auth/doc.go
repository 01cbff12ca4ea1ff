// Package auth owns users, teams, roles, sessions and API tokens, and the
// authorisation decisions every other practice asks for: Can (may this
// principal do this action) and Scope (which records may it see, turned into
// SQL by the store so lists, counts, searches and exports cannot leak).
package auth
