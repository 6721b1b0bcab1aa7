package jsonlog_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
)

func TestSanitizer(t *testing.T) {
	for _, in := range []string{
		"{\"a\":\"nul \x00 here\"}",
		`{"a":"escaped \u0001 and \u007f"}`,
		"{\"a\":[\"bad \xff utf-8\",{\"k\\u0002\":1}]}",
		`{"a":.,"c":[inf,1e,01,+2]}`,
		`{"":0,"":.}`,
		`{"a":"\"quoted\" and \uDB40\uDC01 (a tag character)"}`,
	} {
		var jp fastjson.Parser
		v, err := jp.Parse(in)
		require.NoError(t, err, in)
		var s jsonlog.Sanitizer
		var ev event.Event
		v = s.Value(&parse.Record{Data: []byte(in), JSON: v}, &ev)
		ev.Fields = event.JSONObject(v)
		out := ev.AppendJSON(nil, true)
		require.True(t, json.Valid(out), "%s -> %s", in, out)
		require.Len(t, ev.Warnings, 1, in)
	}

	// An escape JSON does not allow needs no repair, only unescaping before it is written.
	in := `{"":[{"":"\0"}]}`
	v, err := fastjson.Parse(in)
	require.NoError(t, err)
	var s jsonlog.Sanitizer
	var ev event.Event
	ev.Fields = event.JSONObject(s.Value(&parse.Record{Data: []byte(in), JSON: v}, &ev))
	out := ev.AppendJSON(nil, true)
	require.True(t, json.Valid(out), "%s", out)

	clean := `{"a":"fine \u00e9 \n","b":[1,-2.5e3,true,null]}`
	cv := fastjson.MustParse(clean)
	var cs jsonlog.Sanitizer
	var cev event.Event
	require.Same(t, cv, cs.Value(&parse.Record{Data: []byte(clean), JSON: cv}, &cev))
	require.Empty(t, cev.Warnings)
}
