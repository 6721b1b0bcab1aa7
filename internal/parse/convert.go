package parse

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"
)

// HashID returns the stable id of a record that carries none: the hex MD5 of the log type, ':' and
// the raw record. Byte-identical records of one type share an id.
//
// MD5 is not used for security here; it is chosen because DuckDB computes it too (md5(log_type ||
// ':' || raw)), so the store does not keep these ids at all (random hex compresses to nothing, and
// cost flow records a third of their size) and the view recomputes them.
func HashID(logType string, raw []byte) string {
	var buf [32]byte
	return string(AppendHashID(buf[:0], logType, raw))
}

// AppendHashID appends HashID(logType, raw) to dst without allocating.
func AppendHashID(dst []byte, logType string, raw []byte) []byte {
	h := md5.New()
	_, _ = io.WriteString(h, logType)
	_, _ = h.Write([]byte{':'})
	_, _ = h.Write(raw)
	var sum [md5.Size]byte
	return hex.AppendEncode(dst, h.Sum(sum[:0]))
}

// ParseIP parses an address, accepting IPv4-mapped IPv6 ("::ffff:1.2.3.4", unmapped to IPv4), an
// address in brackets and an address with a zone. It returns the zero Addr for "", "-" and garbage.
func ParseIP(s string) netip.Addr {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return netip.Addr{}
	}
	if s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		if a, ok := parseZeroPaddedIPv4(s); ok {
			return a
		}
		return netip.Addr{}
	}
	return a.Unmap()
}

// parseZeroPaddedIPv4 accepts dotted quads with leading zeros ("075.050.255.67"), which some log
// pipelines write and netip rejects; logs mean them as decimal.
func parseZeroPaddedIPv4(s string) (netip.Addr, bool) {
	var b [4]byte
	part := 0
	n, digits := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || digits > 3 || n > 255 || part > 3 {
				return netip.Addr{}, false
			}
			b[part] = byte(n)
			part++
			n, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return netip.Addr{}, false
		}
		n = n*10 + int(c-'0')
		digits++
	}
	if part != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(b), true
}

// SplitHostPort splits "1.2.3.4:80" or "[::1]:80" into address and port; a bare address yields port 0.
func SplitHostPort(s string) (netip.Addr, int) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), int(ap.Port())
	}
	// sshd writes "[192.0.2.1]:22", which netip refuses for IPv4.
	if i := strings.LastIndex(s, "]:"); i > 0 && s[0] == '[' {
		return ParseIP(s[1:i]), ParsePort(s[i+2:])
	}
	return ParseIP(s), 0
}

// ParsePort parses a port number, returning 0 for anything that is not one.
func ParsePort(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 65535 {
		return 0
	}
	return n
}

// protocolNames maps IANA protocol numbers seen in logs to their names.
var protocolNames = map[int]string{
	1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 41: "ipv6", 47: "gre", 50: "esp", 51: "ah",
	58: "icmpv6", 89: "ospf", 132: "sctp",
}

// ProtocolName returns the lower-case name of an IANA protocol number, or the number as text.
func ProtocolName(n int) string {
	if s, ok := protocolNames[n]; ok {
		return s
	}
	return strconv.Itoa(n)
}

// timeLayouts are the timestamp shapes found in the supported logs, tried in order.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999",
	"02/Jan/2006:15:04:05 -0700",
	"2006/01/02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
}

// ParseTime parses the timestamp shapes found in logs (RFC 3339 with or without zone, space-separated
// date and time, CLF "[02/Jan/2006:15:04:05 -0700]", Unix seconds or milliseconds). Times without a
// zone are taken as UTC. The result is in UTC.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "[")
	s = strings.TrimSuffix(s, "]")
	if s == "" || s == "-" {
		return time.Time{}, false
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-/:T ") {
		return ParseEpoch(s)
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ParseEpoch parses Unix time in seconds (with optional fraction), milliseconds or microseconds,
// telling them apart by magnitude.
func ParseEpoch(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 {
		return time.Time{}, false
	}
	switch {
	case f > 1e15: // microseconds
		return time.UnixMicro(int64(f)).UTC(), true
	case f > 1e12: // milliseconds
		return time.UnixMilli(int64(f)).UTC(), true
	default:
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), true
	}
}

// Str returns the string at path in a JSON object, "" when absent or not a string. Numbers are
// returned as their literal text.
func Str(v *fastjson.Value, keys ...string) string {
	m := v.Get(keys...)
	if m == nil {
		return ""
	}
	switch m.Type() {
	case fastjson.TypeString:
		return string(m.GetStringBytes())
	case fastjson.TypeNumber:
		return string(m.MarshalTo(nil))
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeFalse:
		return "false"
	}
	return ""
}

// StrRef returns the string at path in a JSON value without copying it (it aliases the record, which
// the Parser contract allows for the life of the event); "" when absent or not a string. Str is the
// copying variant that also renders numbers.
func StrRef(v *fastjson.Value, keys ...string) string {
	b := v.GetStringBytes(keys...)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// JSONPort returns a port given as a JSON number or numeric string, 0 for anything else.
func JSONPort(v *fastjson.Value) int {
	if v == nil {
		return 0
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		if n, err := v.Int(); err == nil && n > 0 && n <= 65535 {
			return n
		}
	case fastjson.TypeString:
		return ParsePort(StrRef(v))
	}
	return 0
}

// Int returns the integer at path, accepting numbers and numeric strings; 0 when absent.
func Int(v *fastjson.Value, keys ...string) int64 {
	m := v.Get(keys...)
	if m == nil {
		return 0
	}
	switch m.Type() {
	case fastjson.TypeNumber:
		if n, err := m.Int64(); err == nil {
			return n
		}
		f, _ := m.Float64()
		return int64(f)
	case fastjson.TypeString:
		n, _ := strconv.ParseInt(strings.TrimSpace(string(m.GetStringBytes())), 10, 64)
		return n
	}
	return 0
}

// Has reports whether the object has a member at path.
func Has(v *fastjson.Value, keys ...string) bool { return v.Get(keys...) != nil }

// SeverityFromScore maps a 0–10 vendor score (CEF, GuardDuty) to an OCSF severity_id.
func SeverityFromScore(score float64) int {
	switch {
	case score <= 0:
		return 1
	case score < 4:
		return 2
	case score < 7:
		return 3
	case score < 9:
		return 4
	default:
		return 5
	}
}
