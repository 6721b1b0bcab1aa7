package netclass

import (
	"net/netip"
	"testing"
)

func TestOf(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"8.8.8.8", Public},
		{"1.1.1.1", Public},
		{"0.0.0.0", Unspecified},
		{"0.1.2.3", Reserved},
		{"10.0.0.1", Private},
		{"10.255.255.255", Private},
		{"100.63.255.255", Public},
		{"100.64.0.1", CGNAT},
		{"100.127.255.255", CGNAT},
		{"100.128.0.0", Public},
		{"127.0.0.1", Loopback},
		{"169.254.169.254", LinkLocal},
		{"169.253.1.1", Public},
		{"172.15.255.255", Public},
		{"172.16.0.1", Private},
		{"172.31.255.255", Private},
		{"172.32.0.0", Public},
		{"192.0.0.8", Reserved},
		{"192.0.2.55", Documentation},
		{"192.0.3.1", Public},
		{"192.88.99.1", Reserved},
		{"192.168.1.1", Private},
		{"192.169.0.1", Public},
		{"198.18.0.1", Reserved},
		{"198.19.255.255", Reserved},
		{"198.20.0.0", Public},
		{"198.51.100.7", Documentation},
		{"203.0.113.9", Documentation},
		{"224.0.0.251", Multicast},
		{"239.255.255.250", Multicast},
		{"240.0.0.1", Reserved},
		{"255.255.255.255", Reserved},
		{"::ffff:10.1.2.3", Private},
		{"::ffff:8.8.8.8", Public},
		{"::", Unspecified},
		{"::1", Loopback},
		{"::2", Reserved},
		{"2001:4860:4860::8888", Public},
		{"2001:db8::1", Documentation},
		{"2001::1", Public},
		{"2001:2::1", Reserved},
		{"2001:4:112::1", Public},
		{"2001:20::1", Public},
		{"2001:200::1", Public},
		{"2a00:1450::1", Public},
		{"3fff::1", Documentation},
		{"fc00::1", Private},
		{"fd12:3456::1", Private},
		{"fe80::1", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"febf::1", LinkLocal},
		{"fec0::1", Reserved},
		{"ff02::1", Multicast},
		{"64:ff9b::808:808", Public},
		{"100::1", Reserved},
		{"5f00::1", Reserved},
	}
	for _, tt := range tests {
		if got := Of(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Of(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
	if got := Of(netip.Addr{}); got != Public {
		t.Errorf("Of(zero) = %q", got)
	}
	if IsPublic(netip.Addr{}) || !IsPublic(netip.MustParseAddr("8.8.4.4")) || IsPublic(netip.MustParseAddr("10.0.0.1")) {
		t.Error("IsPublic")
	}
}

var sink string

func BenchmarkOf(b *testing.B) {
	addrs := []netip.Addr{
		netip.MustParseAddr("8.8.8.8"),
		netip.MustParseAddr("10.1.2.3"),
		netip.MustParseAddr("203.0.113.9"),
		netip.MustParseAddr("2a00:1450::1"),
		netip.MustParseAddr("fe80::1"),
	}
	for i := 0; b.Loop(); i++ {
		sink = Of(addrs[i%len(addrs)])
	}
}
