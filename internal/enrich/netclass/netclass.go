// Package netclass labels special-purpose IP addresses (private, loopback, CGNAT, documentation …) so
// that enrichment can say why an address has no geolocation, and so that GeoIP lookups are never spent
// on addresses no database can place. The ranges follow the IANA IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890 and successors).
//
// Of is called for both addresses of every event, so it is a switch on the address bytes: no map, no
// allocation, a few nanoseconds.
package netclass

import "net/netip"

// Labels returned by Of. They are the values of event.Geo.Net.
const (
	Public        = ""
	Private       = "private"
	Loopback      = "loopback"
	CGNAT         = "cgnat"
	LinkLocal     = "link-local"
	Multicast     = "multicast"
	Documentation = "documentation"
	Reserved      = "reserved"
	Unspecified   = "unspecified"
)

// Of returns the special-purpose label of a, or "" for a public (globally routable) address and for
// the invalid zero Addr. IPv4-mapped IPv6 addresses are classified as the IPv4 address they carry.
func Of(a netip.Addr) string {
	if a.Is4In6() {
		a = a.Unmap()
	}
	if a.Is4() {
		b := a.As4()
		return of4(b[0], b[1], b[2], b[3])
	}
	if a.Is6() {
		return of6(a.As16())
	}
	return Public
}

// IsPublic reports whether a is a valid address outside every special-purpose range, the only kind
// worth a GeoIP lookup.
func IsPublic(a netip.Addr) bool { return a.IsValid() && Of(a) == Public }

func of4(a, b, c, d byte) string {
	switch a {
	case 0:
		if b|c|d == 0 {
			return Unspecified
		}
		return Reserved // "this network", RFC 791
	case 10:
		return Private
	case 100:
		if b&0xc0 == 64 { // 100.64.0.0/10, RFC 6598 shared address space
			return CGNAT
		}
	case 127:
		return Loopback
	case 169:
		if b == 254 {
			// Includes 169.254.169.254, the cloud instance metadata service: a request to it in a
			// log is interesting, but it is link-local, not somewhere on the map.
			return LinkLocal
		}
	case 172:
		if b&0xf0 == 16 {
			return Private
		}
	case 192:
		switch {
		case b == 0 && c == 0:
			return Reserved // IETF protocol assignments, RFC 6890
		case b == 0 && c == 2:
			return Documentation // TEST-NET-1
		case b == 88 && c == 99:
			return Reserved // deprecated 6to4 relay anycast, RFC 7526
		case b == 168:
			return Private
		}
	case 198:
		switch {
		case b&0xfe == 18:
			return Reserved // benchmarking, RFC 2544
		case b == 51 && c == 100:
			return Documentation // TEST-NET-2
		}
	case 203:
		if b == 0 && c == 113 {
			return Documentation // TEST-NET-3
		}
	}
	switch {
	case a&0xf0 == 224:
		return Multicast
	case a&0xf0 == 240:
		return Reserved // includes the limited broadcast address 255.255.255.255
	}
	return Public
}

func of6(b [16]byte) string {
	w0 := uint16(b[0])<<8 | uint16(b[1])
	w1 := uint16(b[2])<<8 | uint16(b[3])
	switch {
	case w0&0xe000 == 0x2000: // 2000::/3, global unicast
		switch {
		case w0 == 0x2001 && w1 == 0x0db8:
			return Documentation
		case w0 == 0x2001 && w1 < 0x0200:
			// 2001::/23 IETF protocol assignments, except the globally reachable Teredo (2001::/32),
			// AMT (2001:3::/32), AS112 (2001:4:112::/48) and ORCHIDv2 (2001:20::/28).
			switch {
			case w1 == 0, w1 == 3, w1&0xfff0 == 0x0020:
				return Public
			case w1 == 4 && b[4] == 0x01 && b[5] == 0x12:
				return Public
			}
			return Reserved
		case w0 == 0x3fff && w1 < 0x1000:
			return Documentation // 3fff::/20, RFC 9637
		}
		return Public
	case b[0] == 0xff:
		return Multicast
	case b[0]&0xfe == 0xfc:
		return Private // unique local, RFC 4193
	case w0&0xffc0 == 0xfe80:
		return LinkLocal
	case w0 == 0:
		if w1 == 0 && b[4]|b[5]|b[6]|b[7]|b[8]|b[9]|b[10]|b[11]|b[12]|b[13]|b[14] == 0 {
			switch b[15] {
			case 0:
				return Unspecified
			case 1:
				return Loopback
			}
		}
	case w0 == 0x0064 && w1 == 0xff9b:
		if b[4]|b[5]|b[6]|b[7]|b[8]|b[9]|b[10]|b[11] == 0 {
			return Public // 64:ff9b::/96, the well-known NAT64 prefix, carries public IPv4 addresses
		}
	case w0 == 0x5f00:
		return Reserved // SRv6 SIDs, RFC 9602
	}
	// Everything outside 2000::/3 not matched above is unallocated or special-use (discard-only
	// 100::/64, deprecated site-local fec0::/10, IPv4-compatible ::/96 …).
	return Reserved
}
