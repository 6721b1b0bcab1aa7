// Package jsonlog parses generic JSON lines.
package jsonlog
