// Package endlessh parses Endlessh SSH tarpit logs.
package endlessh
