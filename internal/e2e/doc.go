// Package e2e holds end-to-end tests that drive the whole application, as
// its users do, through a real browser.
package e2e
