// Package asff parses AWS Security Hub findings (ASFF).
package asff
