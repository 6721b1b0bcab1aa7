// Package guardduty parses Amazon GuardDuty findings.
package guardduty
