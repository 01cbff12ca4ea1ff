package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// TokenPrefix marks Rampart API tokens so secret scanners can find leaked ones.
const TokenPrefix = "rmp_"

// NewToken returns a fresh API token and the hash to store. Tokens carry 256
// random bits, so a fast SHA-256 is enough: there is nothing to brute-force
// the way there is with a human password.
func NewToken() (token, hash string) {
	token = TokenPrefix + RandomSecret(32)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token or session id.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape of an API token.
func LooksLikeToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) > len(TokenPrefix)+20
}
