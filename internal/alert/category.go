package alert

import (
	"strings"
	"unicode"
)

// Category is a security category: an alert that carries one creates or
// joins a security incident. The names are the incident practice's
// security categories.
type Category string

const (
	CategoryPhishing                  Category = "phishing"
	CategoryMalware                   Category = "malware"
	CategoryCredentialCompromise      Category = "credential_compromise"
	CategoryUnauthorisedAccess        Category = "unauthorised_access"
	CategoryDataExfiltration          Category = "data_exfiltration"
	CategoryDenialOfService           Category = "denial_of_service"
	CategoryVulnerabilityExploitation Category = "vulnerability_exploitation"
	CategoryPolicyViolation           Category = "policy_violation"
	CategoryInsiderThreat             Category = "insider_threat"
)

// Categories lists every security category.
var Categories = []Category{CategoryPhishing, CategoryMalware, CategoryCredentialCompromise, CategoryUnauthorisedAccess,
	CategoryDataExfiltration, CategoryDenialOfService, CategoryVulnerabilityExploitation, CategoryPolicyViolation,
	CategoryInsiderThreat}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// categoryTerms are the words and phrases (in lower case, words separated
// by one space) that name a category in the free text of a sender's
// category field: a CEF "cat", a LEEF "cat", a generic source's category.
// Phrases are matched on word boundaries, so "dos" does not match
// "windows"; the first category in this order wins.
var categoryTerms = []struct {
	cat   Category
	terms []string
}{
	{CategoryPhishing, []string{"phishing", "phish", "social engineering", "spear phishing", "spearphishing"}},
	{CategoryCredentialCompromise, []string{"credential compromise", "credential theft", "credential dumping",
		"credential access", "stolen credentials", "compromised credentials", "compromised account", "password spray"}},
	{CategoryDataExfiltration, []string{"exfiltration", "data exfiltration", "data leak", "data loss", "dlp",
		"information leak"}},
	{CategoryDenialOfService, []string{"denial of service", "dos", "ddos", "flood"}},
	{CategoryMalware, []string{"malware", "virus", "trojan", "ransomware", "worm", "spyware", "backdoor",
		"rootkit", "botnet", "command and control", "c2", "cnc", "cryptominer", "coin mining", "adware"}},
	{CategoryVulnerabilityExploitation, []string{"exploit", "exploitation", "exploit attempt",
		"vulnerability exploitation", "sql injection", "sqli", "xss", "cross site scripting",
		"remote code execution", "rce", "buffer overflow", "shellcode", "web attack", "web application attack"}},
	{CategoryUnauthorisedAccess, []string{"unauthorised access", "unauthorized access", "privilege escalation",
		"brute force", "bruteforce", "intrusion"}},
	{CategoryPolicyViolation, []string{"policy violation", "compliance violation", "inappropriate content"}},
	{CategoryInsiderThreat, []string{"insider", "insider threat"}},
}

// CategoryOf classifies a sender's free-text category ("/Malware/Trojan",
// "Phishing", "Attempted Denial of Service"): a category name as Rampart
// spells it, or a text containing one of the terms above. ok is false
// when nothing matches, which leaves the alert without a category.
func CategoryOf(text string) (Category, bool) {
	if c := Category(strings.TrimSpace(text)); c.Valid() {
		return c, true
	}
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ") + " "
	for _, ct := range categoryTerms {
		for _, t := range ct.terms {
			if strings.Contains(words, " "+t+" ") {
				return ct.cat, true
			}
		}
	}
	return "", false
}
