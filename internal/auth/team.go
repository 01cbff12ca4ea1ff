package auth

import "time"

// Team is an assignment group (Service Desk, NOC, SOC, CAB).
type Team struct {
	ID          int64     `json:"-"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Email       string    `json:"email"`
	Members     []string  `json:"members"` // usernames, sorted
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TeamUpdate changes a team; nil fields are left as they are. Members
// replaces the whole member list.
type TeamUpdate struct {
	Description *string   `json:"description,omitempty"`
	Email       *string   `json:"email,omitempty"`
	Members     *[]string `json:"members,omitempty"`
}
