// Package leef parses IBM QRadar Log Event Extended Format.
package leef
