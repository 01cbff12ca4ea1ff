package auth

import (
	"time"

	"github.com/rampart-itsm/rampart/internal/paging"
)

// User is a person who signs in to Rampart. It carries no secrets, so it is
// what responses and audit entries show.
type User struct {
	ID                 int64     `json:"-"`
	Username           string    `json:"username"`
	DisplayName        string    `json:"display_name"`
	Email              string    `json:"email"`
	Roles              []Role    `json:"roles"`
	Teams              []string  `json:"teams"` // team names, sorted
	Disabled           bool      `json:"disabled"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// NewUser is what CreateUser needs.
type NewUser struct {
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Email       string   `json:"email"`
	Password    string   `json:"password"`
	Roles       []Role   `json:"roles"`
	Teams       []string `json:"teams"`
	// OneTimePassword: the password is temporary, handed to the user by
	// whoever created the account; they choose their own at first sign-in.
	OneTimePassword bool `json:"one_time_password,omitempty"`
}

// UserUpdate changes a user; nil fields are left as they are. A Password
// set by an administrator is a reset: the user must change it at next
// sign-in.
type UserUpdate struct {
	DisplayName *string   `json:"display_name,omitempty"`
	Email       *string   `json:"email,omitempty"`
	Password    *string   `json:"password,omitempty"`
	Roles       *[]Role   `json:"roles,omitempty"`
	Teams       *[]string `json:"teams,omitempty"`
	Disabled    *bool     `json:"disabled,omitempty"`
	// oneTime makes the password temporary even when the caller resets
	// their own (ResetPassword): whoever receives it must choose another.
	oneTime bool
}

// UserFilter selects users. Query matches a case-insensitive part of the
// username or display name.
type UserFilter struct {
	Query        string
	Role         Role
	Team         string
	UpdatedSince time.Time
	Cursor       string
	Limit        int
}

// UserPage is one page of users, ordered by username.
type UserPage struct {
	Items []User `json:"items"`
	Total int    `json:"total"`
	// TotalCapped: more than paging.TotalCap match; Total is the cap.
	TotalCapped bool   `json:"total_capped,omitempty"`
	NextCursor  string `json:"next_cursor,omitempty"`
}

// ClampLimit returns the page size to use for a requested limit, by the
// one rule every list follows (package paging); the user store calls it.
func ClampLimit(n int) int { return paging.Clamp(n) }
