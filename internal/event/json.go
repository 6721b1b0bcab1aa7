package event

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends e as one compact JSON object: the core fields that are set (by their SQL
// names), then "fields" with the native fields in record order, and "raw" when withRaw is set.
func (e *Event) AppendJSON(dst []byte, withRaw bool) []byte {
	dst = append(dst, '{')
	first := true
	kv := func(k string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, k)
		dst = append(dst, ':')
	}
	s := func(k, v string) {
		if v != "" {
			kv(k)
			dst = appendString(dst, v)
		}
	}
	n := func(k string, v int64, ok bool) {
		if ok {
			kv(k)
			dst = strconv.AppendInt(dst, v, 10)
		}
	}
	kv("time")
	dst = appendString(dst, e.Time.UTC().Format(time.RFC3339Nano))
	s("log_type", e.LogType)
	s("source", e.Source)
	s("event_id", e.EventID)
	s("class_name", e.ClassName)
	s("activity", e.Activity)
	s("outcome", e.Outcome)
	n("severity_id", int64(e.SeverityID), e.SeverityID != 0)
	s("disposition", e.Disposition)
	if e.SrcIP.IsValid() {
		s("src_ip", e.SrcIP.String())
	}
	n("src_port", int64(e.SrcPort), e.SrcPort != 0)
	if e.DstIP.IsValid() {
		s("dst_ip", e.DstIP.String())
	}
	n("dst_port", int64(e.DstPort), e.DstPort != 0)
	s("ip_protocol", e.IPProtocol)
	s("host", e.Host)
	s("actor_user", e.ActorUser)
	s("actor_uid", e.ActorUID)
	s("user_agent", e.UserAgent)
	s("cloud_account", e.CloudAccount)
	s("cloud_region", e.CloudRegion)
	s("api_service", e.APIService)
	s("api_operation", e.APIOperation)
	s("http_method", e.HTTPMethod)
	s("url", e.URL)
	n("http_status", int64(e.HTTPStatus), e.HTTPStatus != 0)
	s("dns_query", e.DNSQuery)
	s("dns_type", e.DNSType)
	s("dns_rcode", e.DNSRcode)
	n("bytes", e.Bytes, e.HasTraffic)
	n("packets", e.Packets, e.HasTraffic)
	s("file_hash", e.FileHash)
	geo := func(prefix string, g Geo) {
		s(prefix+"_country", g.Country)
		s(prefix+"_city", g.City)
		n(prefix+"_asn", int64(g.ASN), g.ASN != 0)
		s(prefix+"_org", g.Org)
		s(prefix+"_net", g.Net)
	}
	geo("src", e.SrcGeo)
	geo("dst", e.DstGeo)
	if len(e.Intel) > 0 {
		kv("intel")
		dst = AppendIntelJSON(dst, e.Intel)
	}
	if len(e.Warnings) > 0 {
		kv("warnings")
		dst = append(dst, '[')
		for i, w := range e.Warnings {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, w)
		}
		dst = append(dst, ']')
	}
	if e.Fields != nil {
		kv("fields")
		dst = append(dst, '{')
		i := 0
		e.Fields.Range(func(name string, v Value) bool {
			if i > 0 {
				dst = append(dst, ',')
			}
			i++
			dst = appendString(dst, name)
			dst = append(dst, ':')
			dst = v.AppendJSON(dst)
			return true
		})
		dst = append(dst, '}')
	}
	if withRaw {
		kv("raw")
		dst = appendString(dst, string(e.Raw))
	}
	return append(dst, '}')
}

// AppendIntelJSON appends intel matches as a JSON array.
func AppendIntelJSON(dst []byte, ms []IntelMatch) []byte {
	dst = append(dst, '[')
	for i, m := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"set":`...)
		dst = appendString(dst, m.Set)
		dst = append(dst, `,"indicator":`...)
		dst = appendString(dst, m.Indicator)
		dst = append(dst, `,"field":`...)
		dst = appendString(dst, m.Field)
		dst = append(dst, `,"kind":`...)
		dst = appendString(dst, m.Kind)
		if m.Confidence != 0 {
			dst = append(dst, `,"confidence":`...)
			dst = strconv.AppendInt(dst, int64(m.Confidence), 10)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
