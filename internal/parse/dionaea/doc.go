// Package dionaea parses Dionaea honeypot JSON.
package dionaea
