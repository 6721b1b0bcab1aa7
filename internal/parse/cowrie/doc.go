// Package cowrie parses Cowrie honeypot JSON.
package cowrie
