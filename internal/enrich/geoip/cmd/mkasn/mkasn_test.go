package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/enrich/geoip"
)

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	v4 := filepath.Join(dir, "asn-ipv4.csv")
	v6 := filepath.Join(dir, "asn-ipv6.csv")
	require.NoError(t, os.WriteFile(v4, []byte("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"+
		"8.8.8.0,8.8.8.255,15169,Google LLC\n"+
		"not,a,row\n"+
		"9.9.9.0,9.9.9.255,19281,Quad9\n"), 0o644))
	require.NoError(t, os.WriteFile(v6, []byte("2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n"), 0o644))
	out := filepath.Join(dir, "asn.mmdb")
	st, err := build(out, []string{v4, v6})
	require.NoError(t, err)
	require.Equal(t, 4, st.ranges)
	require.Equal(t, 1, st.bad)

	r, err := geoip.Open(geoip.Options{}, out)
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, geoip.RoleASN, r.Databases()[0].Role)
	require.Equal(t, "geoip2", r.Databases()[0].Schema)
	require.Equal(t, geoip.Record{ASN: 13335, Org: "Cloudflare, Inc."}, r.Lookup(netip.MustParseAddr("1.0.0.1")))
	require.Equal(t, geoip.Record{ASN: 15169, Org: "Google LLC"}, r.Lookup(netip.MustParseAddr("2001:4860::8888")))
	require.Equal(t, geoip.Record{}, r.Lookup(netip.MustParseAddr("4.4.4.4")))
}

func TestBuildNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "empty.csv")
	require.NoError(t, os.WriteFile(in, []byte("start,end,asn,org\n"), 0o644))
	_, err := build(filepath.Join(dir, "asn.mmdb"), []string{in})
	require.Error(t, err)
}
