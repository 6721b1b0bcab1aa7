// Package waf parses AWS WAF v2 logs.
package waf
