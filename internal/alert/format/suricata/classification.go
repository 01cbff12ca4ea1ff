package suricata

import "github.com/rampart-itsm/rampart/internal/alert"

// categories maps alert.category, the description of a rule's classtype
// in classification.config (Suricata's own file and the Emerging Threats
// additions), in lower case because the two spell some of them with
// different capitals, onto security categories. Classifications not
// listed (not-suspicious, unknown, bad-unknown, attempted-recon,
// network-scan, misc-activity, protocol-command-decode, …) say nothing
// about what kind of incident it would be, so they give no category.
var categories = map[string]alert.Category{
	// trojan-activity, malware-cnc, command-and-control, domain-c2,
	// coin-mining, pup-activity, file-format
	"a network trojan was detected":                               alert.CategoryMalware,
	"known malware command and control traffic":                   alert.CategoryMalware,
	"malware command and control activity detected":               alert.CategoryMalware,
	"domain observed used for c2 detected":                        alert.CategoryMalware,
	"crypto currency mining activity detected":                    alert.CategoryMalware,
	"possibly unwanted program detected":                          alert.CategoryMalware,
	"known malicious file or file based exploit":                  alert.CategoryMalware,
	"exploit kit activity detected":                               alert.CategoryVulnerabilityExploitation,
	"known client side exploit attempt":                           alert.CategoryVulnerabilityExploitation,
	"web application attack":                                      alert.CategoryVulnerabilityExploitation,
	"executable code was detected":                                alert.CategoryVulnerabilityExploitation,
	"attempted administrator privilege gain":                      alert.CategoryUnauthorisedAccess,
	"successful administrator privilege gain":                     alert.CategoryUnauthorisedAccess,
	"attempted user privilege gain":                               alert.CategoryUnauthorisedAccess,
	"unsuccessful user privilege gain":                            alert.CategoryUnauthorisedAccess,
	"successful user privilege gain":                              alert.CategoryUnauthorisedAccess,
	"attempt to login by a default username and password":         alert.CategoryUnauthorisedAccess,
	"an attempted login using a suspicious username was detected": alert.CategoryUnauthorisedAccess,
	"successful credential theft detected":                        alert.CategoryCredentialCompromise,
	"possible social engineering attempted":                       alert.CategoryPhishing,
	"attempted denial of service":                                 alert.CategoryDenialOfService,
	"denial of service":                                           alert.CategoryDenialOfService,
	"detection of a denial of service attack":                     alert.CategoryDenialOfService,
	"information leak":                                            alert.CategoryDataExfiltration,
	"large scale information leak":                                alert.CategoryDataExfiltration,
	"sensitive data":                                              alert.CategoryDataExfiltration,
	"potential corporate privacy violation":                       alert.CategoryPolicyViolation,
	"inappropriate content was detected":                          alert.CategoryPolicyViolation,
}
