package cef

import (
	"strconv"
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/parse"
)

// The helpers below are exported because LEEF travels the same way as CEF (a syslog header, a
// pipe-delimited header, key/value attributes) and package leef uses them too.

// SyslogHeader reads the syslog header that precedes a CEF or LEEF payload: RFC 5424
// ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD") or RFC 3164 ("<PRI>MMM dd HH:mm:ss HOST TAG:"), also
// with a year or a zone after the time and with an RFC 3339 time in place of the BSD one. It returns
// the host and the time it names; either is zero when the header does not carry it. zoned says
// whether the time carried a zone (RFC 3164 times are the sender's local time). now supplies the
// year of RFC 3164 times, which have none.
func SyslogHeader(prefix string, now time.Time) (host string, t time.Time, zoned bool) {
	s := strings.TrimSpace(prefix)
	if len(s) > 0 && s[0] == '<' {
		if i := strings.IndexByte(s, '>'); i > 1 && i <= 4 && allDigits(s[1:i]) {
			s = s[i+1:]
		}
	}
	var arr [8]string
	f := fieldsN(arr[:0], s, 8)
	if len(f) == 0 {
		return "", time.Time{}, false
	}
	// RFC 5424: a version number right after the priority.
	if len(f) >= 3 && allDigits(f[0]) && len(f[0]) <= 2 {
		if ts, ok := parse.ParseTime(f[1]); ok {
			return nilDash(f[2]), ts, true
		}
		if f[1] == "-" {
			return nilDash(f[2]), time.Time{}, false
		}
	}
	// RFC 3339 time then host.
	// Only tried on a leading digit: each layout parse.ParseTime tries in vain costs an allocation.
	if c := f[0][0]; c >= '0' && c <= '9' && strings.ContainsAny(f[0], "-:") {
		if ts, ok := parse.ParseTime(f[0]); ok {
			if len(f) >= 2 && !isTag(f[1]) {
				host = f[1]
			}
			return host, ts, hasZone(f[0])
		}
	}
	// BSD time: "Jan _2 15:04:05", optionally "Jan _2 2006 15:04:05", optionally a zone.
	if len(f) >= 3 && monthIndex(f[0]) > 0 {
		i := 3
		if len(f[2]) == 4 && allDigits(f[2]) && len(f) >= 4 {
			i = 4
		}
		ts, ok := bsdFields(f[:i], monthIndex(f[0]), now)
		if !ok {
			return "", time.Time{}, false
		}
		if i < len(f) {
			if loc, ok := zone(f[i]); ok && !strings.Contains(f[i], ".") {
				ts = time.Date(ts.Year(), ts.Month(), ts.Day(), ts.Hour(), ts.Minute(), ts.Second(), ts.Nanosecond(), loc).UTC()
				zoned = true
				i++
			}
		}
		if i < len(f) && !isTag(f[i]) {
			host = f[i]
		}
		return host, ts, zoned
	}
	return "", time.Time{}, false
}

// hasZone reports whether an RFC 3339 time ends in a zone.
func hasZone(s string) bool {
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		return true
	}
	if i := strings.LastIndexAny(s, "+-"); i > 10 {
		return true
	}
	return false
}

// isTag reports whether a header token is a program tag ("sshd[12]:", "KSMG:") rather than a host.
func isTag(s string) bool { return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "]") }

func nilDash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// fieldsN appends to out the first n fields of s split on runs of spaces (the last one is not kept
// whole: the callers only look at the first few).
func fieldsN(out []string, s string, n int) []string {
	for len(out) < n {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthIndex returns 1–12 for an English month name or abbreviation, 0 otherwise.
func monthIndex(s string) int {
	if len(s) < 3 {
		return 0
	}
	for i, m := range months {
		if strings.EqualFold(s[:3], m) {
			return i + 1
		}
	}
	return 0
}

// ParseTime reads the device times of CEF (rt, start, end) and LEEF (devTime without a format):
// milliseconds since the epoch, "MMM dd yyyy HH:mm:ss[.SSS] [zone]", "MMM dd HH:mm:ss[.SSS] [zone]"
// (the year taken from now: the latest such date not more than a month after now), and the shapes
// parse.ParseTime knows. A missing zone means UTC; zones are "UTC", "GMT", "Z", "GMT+08:00",
// "+0800", "+08:00" and time zone abbreviations Go knows (others are taken as UTC).
func ParseTime(s string, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if allDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		// CEF times are milliseconds; tell seconds apart by magnitude for senders that use them.
		if n < 1e11 {
			return time.Unix(n, 0).UTC(), true
		}
		return time.UnixMilli(n).UTC(), true
	}
	if m := monthIndex(s); m > 0 {
		if t, ok := parseBSD(s, m, now); ok {
			return t, true
		}
	}
	return parse.ParseTime(s)
}

// parseBSD reads "Mon dd [yyyy] HH:mm:ss[.fff] [zone]" by hand: time.Parse cannot express the
// optional parts without trying a dozen layouts, and these times are read for every record.
func parseBSD(s string, month int, now time.Time) (time.Time, bool) {
	var arr [5]string
	return bsdFields(fieldsN(arr[:0], s, 5), month, now)
}

// bsdFields reads the fields of a BSD time: month, day, optional year, clock, optional zone.
func bsdFields(f []string, month int, now time.Time) (time.Time, bool) {
	if len(f) < 3 {
		return time.Time{}, false
	}
	day, err := strconv.Atoi(strings.TrimSuffix(f[1], ","))
	if err != nil || day < 1 || day > 31 {
		return time.Time{}, false
	}
	i := 2
	year := -1
	if len(f[2]) == 4 && allDigits(f[2]) {
		year, _ = strconv.Atoi(f[2])
		i = 3
	}
	if i >= len(f) {
		return time.Time{}, false
	}
	hh, mm, ss, ns, ok := clock(f[i])
	if !ok {
		return time.Time{}, false
	}
	loc := time.UTC
	if i+1 < len(f) {
		l, ok := zone(f[i+1])
		if !ok {
			return time.Time{}, false
		}
		loc = l
	}
	if year < 0 {
		n := now.UTC()
		year = n.Year()
		t := time.Date(year, time.Month(month), day, hh, mm, ss, ns, loc)
		if t.After(n.AddDate(0, 1, 0)) {
			t = time.Date(year-1, time.Month(month), day, hh, mm, ss, ns, loc)
		}
		return t.UTC(), true
	}
	return time.Date(year, time.Month(month), day, hh, mm, ss, ns, loc).UTC(), true
}

// clock reads "HH:mm:ss[.fff]".
func clock(s string) (hh, mm, ss, ns int, ok bool) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return 0, 0, 0, 0, false
	}
	var err1, err2, err3 error
	hh, err1 = strconv.Atoi(s[0:2])
	mm, err2 = strconv.Atoi(s[3:5])
	ss, err3 = strconv.Atoi(s[6:8])
	if err1 != nil || err2 != nil || err3 != nil || hh > 23 || mm > 59 || ss > 60 {
		return 0, 0, 0, 0, false
	}
	if rest := s[8:]; rest != "" {
		if rest[0] != '.' && rest[0] != ',' || len(rest) < 2 || len(rest) > 10 || !allDigits(rest[1:]) {
			return 0, 0, 0, 0, false
		}
		frac, _ := strconv.Atoi(rest[1:])
		for d := len(rest) - 1; d < 9; d++ {
			frac *= 10
		}
		ns = frac
	}
	return hh, mm, ss, ns, true
}

// zone reads a zone designator.
func zone(s string) (*time.Location, bool) {
	switch strings.ToUpper(s) {
	case "UTC", "GMT", "Z", "UT":
		return time.UTC, true
	}
	off := s
	if len(s) > 3 && (strings.EqualFold(s[:3], "GMT") || strings.EqualFold(s[:3], "UTC")) {
		off = s[3:]
	}
	if len(off) >= 2 && (off[0] == '+' || off[0] == '-') {
		digits := strings.ReplaceAll(off[1:], ":", "")
		if !allDigits(digits) || len(digits) > 4 {
			return nil, false
		}
		var h, m int
		switch len(digits) {
		case 1, 2:
			h, _ = strconv.Atoi(digits)
		case 3:
			h, _ = strconv.Atoi(digits[:1])
			m, _ = strconv.Atoi(digits[1:])
		default:
			h, _ = strconv.Atoi(digits[:2])
			m, _ = strconv.Atoi(digits[2:])
		}
		if h > 14 || m > 59 {
			return nil, false
		}
		sec := h*3600 + m*60
		if off[0] == '-' {
			sec = -sec
		}
		return time.FixedZone("", sec), true
	}
	if len(s) >= 2 && len(s) <= 5 && isUpperAlpha(s) {
		// A zone abbreviation: Go resolves only the ones of the local zone; the offset of the others
		// is unknown, so the time is read as UTC rather than dropped.
		return time.UTC, true
	}
	return nil, false
}

func isUpperAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// SeverityID maps a CEF or LEEF severity to an OCSF severity_id: 0–3 low, 4–6 medium, 7–8 high,
// 9–10 critical, and the words Unknown, Low, Medium, High and Very-High. It returns 0 when the
// severity is none of these.
func SeverityID(s string) int {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		switch {
		case n < 0 || n != n:
			return 0
		case n < 4:
			return 2
		case n < 7:
			return 3
		case n < 9:
			return 4
		default:
			return 5
		}
	}
	switch strings.ToLower(s) {
	case "low":
		return 2
	case "medium":
		return 3
	case "high":
		return 4
	case "very-high", "very high", "veryhigh", "critical":
		return 5
	}
	return 0
}

// Disposition maps a device action (CEF act, LEEF action) to "allowed" or "denied", "" when the
// action is not a verdict (Log, Alert, Quarantine).
func Disposition(act string) string {
	a := strings.ToLower(strings.TrimSpace(act))
	switch {
	case a == "":
		return ""
	case strings.HasPrefix(a, "block"), strings.HasPrefix(a, "den"), strings.HasPrefix(a, "drop"),
		strings.HasPrefix(a, "reject"), strings.HasPrefix(a, "reset"), a == "prevent", a == "prevented":
		return "denied"
	case strings.HasPrefix(a, "allow"), strings.HasPrefix(a, "permit"), strings.HasPrefix(a, "accept"),
		a == "pass", a == "passed":
		return "allowed"
	}
	return ""
}

// Outcome maps an outcome word (CEF outcome) to "success" or "failure", "" when it is neither.
func Outcome(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "success", "succeeded", "successful", "ok", "true", "allowed", "/success":
		return "success"
	case "failure", "failed", "fail", "false", "error", "denied", "/failure":
		return "failure"
	}
	return ""
}

// Protocol normalizes a transport protocol given as a name ("TCP") or an IANA number ("6").
func Protocol(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if allDigits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || n > 255 {
			return ""
		}
		return parse.ProtocolName(n)
	}
	// The common names without the allocation of ToLower.
	for _, p := range [...]string{"tcp", "udp", "icmp", "icmpv6", "gre", "esp", "sctp"} {
		if strings.EqualFold(s, p) {
			return p
		}
	}
	return strings.ToLower(s)
}
