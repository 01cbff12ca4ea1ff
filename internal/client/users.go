package client

import (
	"context"
	"net/url"
)

// PasswordReset is a user's new one-time password.
type PasswordReset struct {
	Username           string `json:"username"`
	Password           string `json:"password"`
	MustChangePassword bool   `json:"must_change_password"`
}

// ResetPassword gives a user a new random one-time password (admins only);
// the answer is the only place it appears.
func (c *Client) ResetPassword(ctx context.Context, username string) (PasswordReset, error) {
	var out PasswordReset
	err := c.do(ctx, request{method: "POST", path: "/users/" + url.PathEscape(username) + "/password-reset"}, &out)
	return out, err
}

// Unlock lifts the sign-in lock on a user's account (administrators).
func (c *Client) Unlock(ctx context.Context, username string) error {
	return c.do(ctx, request{method: "POST", path: "/users/" + url.PathEscape(username) + "/unlock"}, nil)
}
