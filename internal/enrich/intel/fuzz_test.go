package intel

import (
	"net/netip"
	"os"
	"testing"
)

// exercise builds a matcher from whatever loaded and queries it, so the fuzzers cover indexing
// and matching as well as parsing.
func exercise(t *testing.T, b *Builder) {
	m := b.Build()
	for _, a := range []string{"1.2.3.4", "10.0.0.1", "2001:db8::1", "::ffff:1.2.3.4", "255.255.255.255", "::"} {
		m.AppendIP(nil, "src_ip", netip.MustParseAddr(a), at())
	}
	m.AppendDomain(nil, "dns_query", "a.b.evil.example", at())
	m.AppendURL(nil, "url", "http://evil.example/x", at())
	m.AppendHash(nil, "file_hash", "d41d8cd98f00b204e9800998ecf8427e", at())
}

func seed(f *testing.F, files ...string) {
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzList(f *testing.F) {
	seed(f, "testdata/list.txt")
	f.Add([]byte("0.0.0.0/0\n::/0\n1.2.3.4/32\n*.\n.\nhttp://[::1]:0/\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder(now)
		if _, err := b.Load("s", "f.txt", data, FileOptions{Format: FormatList}); err != nil {
			return
		}
		exercise(t, b)
	})
}

func FuzzCSV(f *testing.F) {
	seed(f, "testdata/feed.csv")
	f.Add([]byte("ioc,type\n1.2.3.4,ip\n\"a\"\"b\",domain\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder(now)
		_, _ = b.Load("s", "f.csv", data, FileOptions{Format: FormatCSV, Column: "ioc_value", KindColumn: "ioc_type"})
		_, _ = b.Load("t", "g.csv", data, FileOptions{Format: FormatCSV})
		_, _ = b.Load("u", "h.csv", data, FileOptions{Format: FormatCSV, Column: "2"})
		exercise(t, b)
	})
}

func FuzzSTIX(f *testing.F) {
	seed(f, "testdata/bundle.json")
	f.Add([]byte(`[{"type":"indicator","pattern":"[ipv4-addr:value ISSUBSET '0.0.0.0/0'] OR [x:y[*].z = h'00']","valid_until":"2030-01-01T00:00:00Z"}]`))
	f.Add([]byte(`{"type":"indicator","pattern":"[file:hashes.'SHA-1' IN ('da39a3ee5e6b4b0d3255bfef95601890afd80709')]","confidence":1e9}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := NewBuilder(now)
		if _, err := b.Load("s", "f.json", data, FileOptions{Format: FormatSTIX}); err != nil {
			return
		}
		exercise(t, b)
	})
}
