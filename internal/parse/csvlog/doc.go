// Package csvlog parses generic CSV with a header row.
package csvlog
