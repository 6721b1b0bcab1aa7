package intel

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Kind is the type of an indicator.
type Kind uint8

// Indicator kinds. KindAuto asks the loader to detect the kind from the value; KindHash accepts any
// of the three digests, told apart by length.
const (
	KindAuto Kind = iota
	KindIP
	KindCIDR
	KindDomain
	KindURL
	KindMD5
	KindSHA1
	KindSHA256
	KindHash
)

var kindNames = [...]string{"auto", "ip", "cidr", "domain", "url", "md5", "sha1", "sha256", "hash"}

// String returns the kind's name, as used in event.IntelMatch.Kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// ParseKind reads a kind name as found in configuration and in the kind column of CSV feeds. It
// accepts common synonyms (ipv4, ip-dst, domain-name, hostname, sha-256, filehash …).
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return KindAuto, nil
	case "ip", "ipv4", "ipv6", "ip-dst", "ip-src", "ipv4-addr", "ipv6-addr", "ipaddress", "ip_address", "address":
		return KindIP, nil
	case "cidr", "network", "netblock", "subnet", "ip-range":
		return KindCIDR, nil
	case "domain", "domain-name", "hostname", "host", "fqdn", "domain_name":
		return KindDomain, nil
	case "url", "uri", "link":
		return KindURL, nil
	case "md5":
		return KindMD5, nil
	case "sha1", "sha-1":
		return KindSHA1, nil
	case "sha256", "sha-256":
		return KindSHA256, nil
	case "hash", "filehash", "file-hash", "file_hash", "sha256_hash", "md5_hash", "sha1_hash":
		return KindHash, nil
	}
	return KindAuto, fmt.Errorf("unknown indicator kind %q", s)
}

// refang undoes the usual defanging of published indicators (hxxp://, evil[.]example, 1.2.3[.]4),
// so feeds written for humans load as they are.
func refang(s string) string {
	if strings.ContainsAny(s, "[({") {
		s = defang.Replace(s)
	}
	if len(s) > 4 && (strings.HasPrefix(s, "hxxp") || strings.HasPrefix(s, "hXXp")) {
		s = "http" + s[4:]
	}
	return s
}

var defang = strings.NewReplacer("[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "[:]", ":", "[://]", "://")

// indicator is a normalized indicator, ready to index.
type indicator struct {
	kind   Kind
	key    string       // domain, url: normalized text; hashes: raw digest bytes
	prefix netip.Prefix // ip and cidr
}

var errEmpty = errors.New("empty value")

// normalize classifies (when kind is KindAuto or KindHash) and normalizes one indicator value.
func normalize(kind Kind, v string) (indicator, error) {
	v = refang(strings.TrimSpace(v))
	if v == "" {
		return indicator{}, errEmpty
	}
	switch kind {
	case KindIP, KindCIDR:
		return normIP(v)
	case KindDomain:
		d, ok := normDomain(v)
		if !ok {
			return indicator{}, fmt.Errorf("not a domain name: %q", clip(v))
		}
		return indicator{kind: KindDomain, key: d}, nil
	case KindURL:
		u, ok := normURL(v)
		if !ok {
			return indicator{}, fmt.Errorf("not a URL: %q", clip(v))
		}
		return indicator{kind: KindURL, key: u}, nil
	case KindMD5, KindSHA1, KindSHA256, KindHash:
		k, d, ok := normHash(v)
		if !ok || kind != KindHash && k != kind {
			return indicator{}, fmt.Errorf("not a %s digest: %q", kind, clip(v))
		}
		return indicator{kind: k, key: d}, nil
	}
	// Auto-detection, cheapest and least ambiguous tests first.
	if strings.Contains(v, "://") {
		return normalize(KindURL, v)
	}
	if in, err := normIP(v); err == nil {
		return in, nil
	}
	if k, d, ok := normHash(v); ok {
		return indicator{kind: k, key: d}, nil
	}
	if d, ok := normDomain(v); ok && strings.IndexByte(d, '.') > 0 {
		return indicator{kind: KindDomain, key: d}, nil
	}
	return indicator{}, fmt.Errorf("unrecognised indicator %q", clip(v))
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func normIP(v string) (indicator, error) {
	if strings.IndexByte(v, '/') >= 0 {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return indicator{}, fmt.Errorf("not an address or network: %q", clip(v))
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		p = p.Masked()
		if p.IsSingleIP() {
			return indicator{kind: KindIP, prefix: p}, nil
		}
		return indicator{kind: KindCIDR, prefix: p}, nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return indicator{}, fmt.Errorf("not an address or network: %q", clip(v))
	}
	a = a.Unmap().WithZone("")
	return indicator{kind: KindIP, prefix: netip.PrefixFrom(a, a.BitLen())}, nil
}

// normDomain lower-cases, drops a trailing dot and a leading "*." or ".", and checks the name is
// made of DNS labels (letters, digits, '-', '_'; internationalized names must be in punycode).
func normDomain(v string) (string, bool) {
	v = strings.TrimSuffix(v, ".")
	v = strings.TrimPrefix(v, "*.")
	v = strings.TrimPrefix(v, ".")
	if v == "" || len(v) > 253 {
		return "", false
	}
	v = strings.ToLower(v)
	label := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '.':
			if label == 0 {
				return "", false
			}
			label = 0
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			label++
			if label > 63 {
				return "", false
			}
		default:
			return "", false
		}
	}
	if label == 0 {
		return "", false
	}
	// A numeric top-level label means an address (valid or not, like 999.1.1.1), not a name.
	tld := v[strings.LastIndexByte(v, '.')+1:]
	if strings.Trim(tld, "0123456789") == "" {
		return "", false
	}
	return v, true
}

// normHash decodes a hex digest of 32, 40 or 64 digits (any case; an "md5:"/"sha1:"/"sha256:"
// prefix is allowed) into its raw bytes.
func normHash(v string) (Kind, string, bool) {
	if i := strings.IndexByte(v, ':'); i > 0 && i < 8 {
		v = v[i+1:]
	}
	var k Kind
	switch len(v) {
	case 32:
		k = KindMD5
	case 40:
		k = KindSHA1
	case 64:
		k = KindSHA256
	default:
		return 0, "", false
	}
	var buf [32]byte
	n, err := hex.Decode(buf[:], []byte(v))
	if err != nil {
		return 0, "", false
	}
	return k, string(buf[:n]), true
}
