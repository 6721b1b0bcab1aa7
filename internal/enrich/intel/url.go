package intel

import (
	"net/netip"
	"strings"
)

// appendNormURL appends the normalized form of raw to dst: scheme and host lower-cased, the
// default port of http, https and ftp dropped, the fragment dropped, an empty path written as "/";
// user info, path and query are kept as they are (servers treat paths case-sensitively). It
// returns the host (without port and brackets) as a substring of raw, and ok=false when raw is not
// an absolute URL with a host. It allocates only when dst must grow, so the matcher can normalize
// event URLs into a stack buffer.
func appendNormURL(dst []byte, raw string) (out []byte, host string, ok bool) {
	i := strings.Index(raw, "://")
	if i <= 0 || i > 16 {
		return dst, "", false
	}
	scheme := raw[:i]
	for j := 0; j < len(scheme); j++ {
		c := scheme[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return dst, "", false
		}
	}
	rest := raw[i+3:]
	if f := strings.IndexByte(rest, '#'); f >= 0 {
		rest = rest[:f]
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	hostport := authority
	port := ""
	if strings.HasPrefix(hostport, "[") {
		c := strings.IndexByte(hostport, ']')
		if c < 0 {
			return dst, "", false
		}
		host = hostport[1:c]
		if r := hostport[c+1:]; r != "" {
			if r[0] != ':' {
				return dst, "", false
			}
			port = r[1:]
		}
	} else if c := strings.LastIndexByte(hostport, ':'); c >= 0 {
		host, port = hostport[:c], hostport[c+1:]
	} else {
		host = hostport
	}
	if host == "" {
		return dst, "", false
	}
	for j := 0; j < len(port); j++ {
		if port[j] < '0' || port[j] > '9' {
			return dst, "", false
		}
	}
	port = strings.TrimLeft(port, "0")
	dst = appendLower(dst, scheme)
	dst = append(dst, "://"...)
	dst = append(dst, userinfo...)
	if strings.IndexByte(host, ':') >= 0 {
		dst = append(dst, '[')
		dst = appendLower(dst, host)
		dst = append(dst, ']')
	} else {
		dst = appendLower(dst, strings.TrimSuffix(host, "."))
	}
	if port != "" && !isDefaultPort(dst[:len(scheme)], port) {
		dst = append(dst, ':')
		dst = append(dst, port...)
	}
	if tail == "" || tail[0] == '?' {
		dst = append(dst, '/')
	}
	dst = append(dst, tail...)
	return dst, strings.TrimSuffix(host, "."), true
}

func isDefaultPort(scheme []byte, port string) bool {
	switch string(scheme) {
	case "http", "ws":
		return port == "80"
	case "https", "wss":
		return port == "443"
	case "ftp":
		return port == "21"
	}
	return false
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// normURL returns the normalized URL for indexing.
func normURL(v string) (string, bool) {
	b, host, ok := appendNormURL(nil, v)
	if !ok {
		return "", false
	}
	if _, err := netip.ParseAddr(host); err != nil {
		if _, ok := normDomain(host); !ok {
			return "", false
		}
	}
	return string(b), true
}
