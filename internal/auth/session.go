package auth

import "time"

// Session is a signed-in browser. Only the hash of its id is stored; the id
// itself lives in the user's cookie.
type Session struct {
	UserID    int64
	CSRFToken string
	ExpiresAt time.Time
}
