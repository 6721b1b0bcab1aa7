package syslog

import (
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/parse"
)

// parseCowrie parses a line of Cowrie's text log (cowrie.log) forwarded through syslog:
//
//	2020-12-08T06:28:43+0000 [cowrie.ssh.factory.CowrieSSHFactory] New connection: 4.2.3.1:47630 (1.2.3.4:2222) [session: 3e5a9212b91f]
//	2020-12-08T06:28:45+0000 [HoneyPotSSHTransport,0,4.2.3.1] login attempt [b'root'/b'123456'] failed
//
// Activities are named after Cowrie's JSON eventids (cowrie.session.connect, cowrie.login.failed …) so
// that queries over this table and the cowrie table agree. It returns Cowrie's own timestamp, which,
// unlike the syslog header, has a year and a zone.
func parseCowrie(msg string, a *auth) (time.Time, bool) {
	var t time.Time
	if ts, rest, ok := strings.Cut(msg, " "); ok && len(ts) >= 19 && isDigit(ts[0]) {
		if tt, ok := parseRFC3339(ts); ok {
			t = tt
			msg = rest
		}
	}
	if len(msg) == 0 || msg[0] != '[' {
		return t, false
	}
	system, text, ok := strings.Cut(msg[1:], "] ")
	if !ok {
		return t, false
	}
	// Transport systems end with the client address: "HoneyPotSSHTransport,0,4.2.3.1".
	if i := strings.LastIndexByte(system, ','); i >= 0 {
		a.src = parse.ParseIP(system[i+1:])
	}
	switch {
	case strings.HasPrefix(text, "New connection: "):
		// "New connection: SRC:PORT (DST:PORT) [session: ID]"
		a.set("cowrie.session.connect", classSSH, "")
		if strings.Contains(system, "elnet") {
			a.class = classNetwork
		}
		rest := text[len("New connection: "):]
		src, rest, _ := strings.Cut(rest, " (")
		dst, rest, _ := strings.Cut(rest, ")")
		a.src, a.srcPort = parse.SplitHostPort(src)
		a.dst, a.dstPort = parse.SplitHostPort(dst)
		if _, s, ok := strings.Cut(rest, "[session: "); ok {
			a.session = strings.TrimSuffix(s, "]")
		}
	case strings.HasPrefix(text, "login attempt ["):
		// "login attempt [USER/PASS] failed|succeeded"; Python 3 versions print bytes: [b'USER'/b'PASS'].
		rest := text[len("login attempt ["):]
		creds, verdict := cutLast(rest, "] ")
		switch verdict {
		case "succeeded":
			a.set("cowrie.login.success", classAuth, "success")
		case "failed":
			a.set("cowrie.login.failed", classAuth, "failure")
		default:
			return t, true
		}
		if strings.HasPrefix(creds, "b'") || strings.HasPrefix(creds, "b\"") {
			q, sep := "'", "'/b'"
			if creds[1] == '"' {
				q, sep = `"`, `"/b"`
			}
			if u, p, ok := strings.Cut(creds[2:], sep); ok {
				a.user = u
				a.password = strings.TrimSuffix(p, q)
			}
		} else {
			a.user, a.password, _ = strings.Cut(creds, "/")
		}
		a.method = "password"
	case strings.HasPrefix(text, "Remote SSH version: "):
		a.set("cowrie.client.version", classSSH, "")
		a.clientVersion = text[len("Remote SSH version: "):]
	case strings.HasPrefix(text, "Connection lost after "):
		a.set("cowrie.session.closed", classSSH, "")
	case strings.HasPrefix(text, "CMD: "):
		a.set("cowrie.command.input", classSSH, "")
		a.command = text[len("CMD: "):]
	}
	return t, true
}
