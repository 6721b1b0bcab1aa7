package cef_test

import (
	"strings"
	"testing"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cef"
)

// TestLargeRecordsStayLinear guards against quadratic work on records with thousands of keys,
// spaces or escapes (a 64 KiB line must parse in well under a second).
func TestLargeRecordsStayLinear(t *testing.T) {
	for name, ext := range map[string]string{
		"manyKeys":  strings.Repeat("a1=b ", 12000),
		"sameKey":   strings.Repeat("k=v ", 15000),
		"spaces":    "k=" + strings.Repeat("v ", 30000),
		"keyRuns":   "k=" + strings.Repeat("abcdefghij ", 6000),
		"noKey":     strings.Repeat("word ", 12000),
		"labels":    strings.Repeat("cs1Label=x ", 6000),
		"backslash": strings.Repeat("\\", 60000),
		"eqs":       strings.Repeat("=", 60000),
		"pipes":     strings.Repeat("|", 60000),
	} {
		p := cef.Format.New()
		var ev event.Event
		start := time.Now()
		_ = p.Parse(&parse.Record{Data: []byte("CEF:0|a|b|c|d|e|5|" + ext)}, &ev)
		if ev.Fields != nil {
			ev.Fields.Lookup("extensions")
		}
		start2 := time.Now()
		cef.Format.Detect(&parse.Record{Data: []byte("CEF:0|a|b|c|d|e|5|" + ext)})
		if d := start2.Sub(start); d > 200*time.Millisecond {
			t.Errorf("%s: parse took %v", name, d)
		}
		if d := time.Since(start2); d > 50*time.Millisecond {
			t.Errorf("%s: detect took %v", name, d)
		}
	}
}
