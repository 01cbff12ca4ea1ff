// Package cmdb owns configuration items (CIs), their typed relationships,
// reconciliation of discovered assets with existing CIs, and impact
// ("blast radius") analysis. It is the single source of asset truth: every
// other practice reads CI context through this package's Service.
package cmdb
