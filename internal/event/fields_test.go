package event

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"
)

// TestAppendJSONIsStrict checks that values fastjson accepts leniently are written as valid JSON.
func TestAppendJSONIsStrict(t *testing.T) {
	for _, in := range []string{
		`{"a":000,"b":.5,"c":-01,"d":1e5,"e":"x\u0000y","f":[1,"\u2028",{"g":true}],"h":null}`,
		"{\"bad\":\"r\xffoot\",\"ctl\":\"a\x01b\"}",
		`[1.0,-0,0.25e-3]`,
	} {
		var p fastjson.Parser
		v, err := p.Parse(in)
		require.NoError(t, err, in)
		out := JSON(v).AppendJSON(nil)
		require.True(t, json.Valid(out), "%s -> %s", in, out)
	}
	var p fastjson.Parser
	v, _ := p.Parse(`{"n":000,"m":12}`)
	require.Equal(t, `{"n":"000","m":12}`, string(JSON(v).AppendJSON(nil)))
}
