package syslog

import (
	"net/netip"
	"strings"

	"github.com/yagura-dev/yagura/internal/parse"
)

// The sshd message shapes below follow the log strings of openssh-portable (auth.c, sshd.c,
// sshd-session.c, packet.c, kex.c, auth-pam.c) and of pam_unix. They are matched with prefix checks
// and hand splitting rather than regular expressions: sshd lines are the bulk of what a honeypot or an
// exposed server logs, and this path has to keep up with hundreds of thousands of lines a second.

// parseSSHD fills a from one sshd message; a.event stays empty for messages it does not know.
func parseSSHD(msg string, a *auth) {
	// "message repeated N times: [ Failed password for …]" is rsyslog's repeat compression.
	if rest, ok := strings.CutPrefix(msg, "message repeated "); ok {
		n, tail, ok := strings.Cut(rest, " times: [")
		if ok && isNumber(n) {
			a.repeat = n
			msg = strings.TrimSuffix(strings.TrimLeft(tail, " "), "]")
		}
	}
	preauth := false
	if m, ok := strings.CutSuffix(msg, " [preauth]"); ok {
		msg, preauth = m, true
	}
	for _, p := range [...]string{"error: ", "fatal: ", "warning: "} {
		if m, ok := strings.CutPrefix(msg, p); ok {
			msg = m
			break
		}
	}
	if msg == "" {
		return
	}
	switch msg[0] {
	case 'F':
		if rest, ok := strings.CutPrefix(msg, "Failed "); ok {
			authResult(rest, a, "failed")
		}
	case 'A':
		if rest, ok := strings.CutPrefix(msg, "Accepted "); ok {
			authResult(rest, a, "accepted")
		} else if rest, ok := strings.CutPrefix(msg, "Address "); ok {
			// "Address IP maps to HOST, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!"
			ip, tail, _ := strings.Cut(rest, " maps to ")
			host, _, _ := strings.Cut(tail, ", but")
			a.set("reverse_mapping_failed", classSSH, "")
			a.src = parse.ParseIP(ip)
			a.remoteHost = host
		}
	case 'P':
		switch {
		case strings.HasPrefix(msg, "Postponed "):
			authResult(msg[len("Postponed "):], a, "postponed")
		case strings.HasPrefix(msg, "PAM service("):
			a.set("pam_ignoring_max_retries", classAuth, "")
			_, a.reason, _ = strings.Cut(msg, "; ")
		case strings.HasPrefix(msg, "PAM: Authentication failure for "):
			// auth-pam.c: "PAM: Authentication failure for [illegal user ]USER from HOST"
			rest := msg[len("PAM: Authentication failure for "):]
			a.set("pam_auth_failure", classAuth, "failure")
			if r, ok := strings.CutPrefix(rest, "illegal user "); ok {
				rest, a.invalid, a.hasInvalid = r, true, true
			}
			user, host := cutLast(rest, " from ")
			a.user = user
			a.hostOrIP(host)
		case strings.HasPrefix(msg, "PAM ") && strings.Contains(msg, " more authentication failure"):
			parsePAM(msg, a)
		}
	case 'I':
		if rest, ok := strings.CutPrefix(msg, "Invalid user "); ok {
			a.set("invalid_user", classAuth, "failure")
			a.invalid, a.hasInvalid = true, true
			user, tail := cutLast(rest, " from ")
			a.user = user
			a.addrPort(tail)
		}
	case 'i':
		if rest, ok := strings.CutPrefix(msg, "input_userauth_request: invalid user "); ok {
			a.set("userauth_invalid_user", classAuth, "failure")
			a.invalid, a.hasInvalid = true, true
			a.user = rest
		}
	case 'C':
		switch {
		case strings.HasPrefix(msg, "Connection closed by "):
			a.connEnd("connection_closed", msg[len("Connection closed by "):], preauth)
		case strings.HasPrefix(msg, "Connection reset by "):
			a.connEnd("connection_reset", msg[len("Connection reset by "):], preauth)
		case strings.HasPrefix(msg, "Connection from "):
			// "Connection from IP port P on IP port P[ rdomain "…"]" (LogLevel VERBOSE)
			a.set("connection", classSSH, "")
			src, dst, _ := strings.Cut(msg[len("Connection from "):], " on ")
			a.addrPort(src)
			a.dst, a.dstPort = addrPort(dst)
		case strings.HasPrefix(msg, "Close session: "):
			// "Close session: user U from IP port P id N"
			a.set("close_session", classAuth, "")
			rest := strings.TrimPrefix(msg[len("Close session: "):], "user ")
			user, tail := cutLast(rest, " from ")
			a.user = user
			a.addrPort(tail)
		}
	case 'D':
		switch {
		case strings.HasPrefix(msg, "Disconnected from "):
			a.connEnd("disconnected", msg[len("Disconnected from "):], preauth)
		case strings.HasPrefix(msg, "Did not receive identification string from "):
			a.set("no_identification", classSSH, "failure")
			a.addrPort(msg[len("Did not receive identification string from "):])
		case strings.HasPrefix(msg, "Disconnecting: Too many authentication failures"):
			// Older sshd: "Disconnecting: Too many authentication failures for [invalid user ]USER"
			a.set("max_auth_attempts", classAuth, "failure")
			if rest, ok := strings.CutPrefix(msg, "Disconnecting: Too many authentication failures for "); ok {
				a.userMaybeInvalid(rest)
			}
		case strings.HasPrefix(msg, "Disconnecting "):
			// Newer sshd: "Disconnecting authenticating user U IP port P: Too many authentication failures"
			who, reason, _ := strings.Cut(msg[len("Disconnecting "):], ": ")
			a.set("disconnecting", classSSH, "")
			if strings.HasPrefix(reason, "Too many authentication failures") {
				a.set("max_auth_attempts", classAuth, "failure")
			}
			a.reason = reason
			a.userAddr(who)
		}
	case 'R':
		switch {
		case strings.HasPrefix(msg, "Received disconnect from "):
			a.receivedDisconnect(msg[len("Received disconnect from "):])
		case strings.HasPrefix(msg, "Received signal "):
			a.set("server_terminating", classSSH, "")
			a.reason = msg[len("Received "):]
		}
	case 'U':
		switch {
		case strings.HasPrefix(msg, "Unable to negotiate with "):
			// "Unable to negotiate with IP port P: no matching key exchange method found. Their offer: …"
			a.set("negotiation_failed", classSSH, "failure")
			who, reason, _ := strings.Cut(msg[len("Unable to negotiate with "):], ": ")
			a.addrPort(who)
			a.reason = reason
		case strings.HasPrefix(msg, "User "):
			// "User U from IP not allowed because not listed in AllowUsers"
			rest, reason, ok := strings.Cut(msg[len("User "):], " not allowed because ")
			if !ok {
				return
			}
			a.set("user_not_allowed", classAuth, "failure")
			user, host := cutLast(rest, " from ")
			a.user = user
			a.hostOrIP(host)
			a.reason = reason
		}
	case 'B':
		if rest, ok := strings.CutPrefix(msg, "Bad protocol version identification '"); ok {
			a.set("bad_protocol_version", classSSH, "failure")
			version, tail := cutLast(rest, "' from ")
			a.clientVersion = version
			a.addrPort(tail)
		}
	case 'r':
		switch {
		case strings.HasPrefix(msg, "reverse mapping checking getaddrinfo for "):
			// "reverse mapping checking getaddrinfo for HOST [IP] failed - POSSIBLE BREAK-IN ATTEMPT!"
			a.set("reverse_mapping_failed", classSSH, "")
			rest := msg[len("reverse mapping checking getaddrinfo for "):]
			host, tail, _ := strings.Cut(rest, " [")
			ip, _, _ := strings.Cut(tail, "]")
			a.remoteHost = host
			a.src = parse.ParseIP(ip)
		case strings.HasPrefix(msg, "refused connect from "):
			// tcp_wrappers: "refused connect from HOST (IP)"
			a.set("refused_connect", classSSH, "failure")
			rest := msg[len("refused connect from "):]
			host, ip := cutLast(rest, " (")
			a.src = parse.ParseIP(strings.TrimSuffix(ip, ")"))
			if host != ip {
				a.remoteHost = host
			}
		}
	case 'b':
		if msg == "beginning MaxStartups throttling" {
			a.set("maxstartups_throttling", classSSH, "")
		} else if rest, ok := strings.CutPrefix(msg, "banner exchange: Connection from "); ok {
			// "banner exchange: Connection from IP port P: invalid format"
			who, reason, _ := strings.Cut(rest, ": ")
			a.addrPort(who)
			a.reason = reason
			if reason == "invalid format" {
				a.set("banner_exchange_invalid", classSSH, "failure")
			} else {
				a.set("banner_exchange_failed", classSSH, "failure")
			}
		}
	case 'k':
		if rest, ok := strings.CutPrefix(msg, "kex_exchange_identification: "); ok {
			a.set("kex_identification_failed", classSSH, "failure")
			a.reason = rest
		}
	case 'T':
		if rest, ok := strings.CutPrefix(msg, "Timeout before authentication for "); ok {
			// "… for IP port P", or since OpenSSH 9.8 "… for connection from IP to IP, pid = N"
			a.set("preauth_timeout", classSSH, "failure")
			if r, ok := strings.CutPrefix(rest, "connection from "); ok {
				src, dst, _ := strings.Cut(r, " to ")
				a.addrPort(src)
				dst, _, _ = strings.Cut(dst, ",")
				a.dst, a.dstPort = addrPort(dst)
			} else {
				a.addrPort(rest)
			}
		}
	case 's':
		if rest, ok := strings.CutPrefix(msg, "ssh_dispatch_run_fatal: Connection from "); ok {
			a.set("dispatch_fatal", classSSH, "failure")
			who, reason := cutLast(rest, ": ")
			a.userAddr(who)
			a.reason = reason
		}
	case 'm':
		if rest, ok := strings.CutPrefix(msg, "maximum authentication attempts exceeded for "); ok {
			// "maximum authentication attempts exceeded for [invalid user ]U from IP port P ssh2"
			a.set("max_auth_attempts", classAuth, "failure")
			user, tail := cutLast(rest, " from ")
			a.userMaybeInvalid(user)
			a.addrPort(tail)
		}
	case 'M':
		if rest, ok := strings.CutPrefix(msg, "Magic value check failed "); ok {
			// "Magic value check failed (N) on obfuscated handshake from IP port P"
			a.set("obfuscated_handshake_failed", classSSH, "failure")
			_, tail := cutLast(rest, " from ")
			a.addrPort(tail)
		}
	case 'W':
		if rest, ok := strings.CutPrefix(msg, "Write failed: "); ok {
			a.set("write_failed", classSSH, "failure")
			a.reason = rest
		}
	case 'S':
		switch {
		case strings.HasPrefix(msg, "Starting session: "):
			// "Starting session: shell on pts/0 for U from IP port P id 0"
			a.set("session_started", classAuth, "success")
			rest := msg[len("Starting session: "):]
			_, rest, _ = strings.Cut(rest, " for ")
			user, tail := cutLast(rest, " from ")
			a.user = user
			a.addrPort(tail)
		case strings.HasPrefix(msg, "Server listening on "):
			a.set("server_listening", classSSH, "")
			a.dst, a.dstPort = addrPort(strings.TrimSuffix(msg[len("Server listening on "):], "."))
		}
	case 'd':
		if rest, ok := strings.CutPrefix(msg, "drop connection #"); ok {
			// "drop connection #N from [IP]:P on [IP]:P past MaxStartups"
			a.set("maxstartups_drop", classSSH, "failure")
			_, rest, _ = strings.Cut(rest, " from ")
			src, rest, _ := strings.Cut(rest, " on ")
			dst, _, _ := strings.Cut(rest, " ")
			a.src, a.srcPort = bracketHostPort(src)
			a.dst, a.dstPort = bracketHostPort(dst)
			a.reason = "past MaxStartups"
		}
	case 'p':
		if strings.HasPrefix(msg, "pam_unix(") {
			parsePAM(msg, a)
		}
	}
}

func (a *auth) set(event, class, outcome string) {
	a.event, a.class, a.outcome = event, class, outcome
}

// authResult parses what follows "Failed ", "Accepted " or "Postponed ":
// "METHOD for [invalid user ]USER from IP port P ssh2[: KEYTYPE FINGERPRINT …]".
func authResult(rest string, a *auth, verdict string) {
	method, rest, ok := strings.Cut(rest, " for ")
	if !ok {
		return
	}
	a.method = method
	a.event, a.class = methodEvent(verdict, method), classAuth
	switch verdict {
	case "failed":
		a.outcome = "failure"
	case "accepted":
		a.outcome = "success"
	}
	user, tail := cutLast(rest, " from ")
	a.userMaybeInvalid(user)
	if !a.hasInvalid {
		a.hasInvalid = true // sshd says "invalid user" whenever the user is unknown
	}
	addr, key, _ := strings.Cut(tail, ": ")
	a.addrPort(addr)
	if key != "" {
		kt, fp, _ := strings.Cut(key, " ")
		fp, _, _ = strings.Cut(fp, " ")
		a.keyType, a.keyFP = kt, fp
	}
}

// methodEvent names "<verdict>_<method>" with constant strings, so that no event allocates.
func methodEvent(verdict, method string) string {
	m := 5
	switch method {
	case "password":
		m = 0
	case "publickey":
		m = 1
	case "none":
		m = 2
	case "keyboard-interactive", "keyboard-interactive/pam":
		m = 3
	case "hostbased":
		m = 4
	case "gssapi-with-mic", "gssapi-keyex", "gssapi":
		m = 6
	}
	switch verdict {
	case "failed":
		return methodEvents[0][m]
	case "accepted":
		return methodEvents[1][m]
	}
	return methodEvents[2][m]
}

var methodEvents = [...][7]string{
	{"failed_password", "failed_publickey", "failed_none", "failed_keyboard_interactive", "failed_hostbased", "failed_other", "failed_gssapi"},
	{"accepted_password", "accepted_publickey", "accepted_none", "accepted_keyboard_interactive", "accepted_hostbased", "accepted_other", "accepted_gssapi"},
	{"postponed_password", "postponed_publickey", "postponed_none", "postponed_keyboard_interactive", "postponed_hostbased", "postponed_other", "postponed_gssapi"},
}

// connEnd parses the end of "Connection closed by", "Connection reset by" and "Disconnected from":
// "[authenticating |invalid ]user U IP port P" or "IP port P".
func (a *auth) connEnd(base, rest string, preauth bool) {
	var name string
	switch base {
	case "connection_closed":
		name = "connection_closed"
		if preauth {
			name = "connection_closed_preauth"
		}
	case "connection_reset":
		name = "connection_reset"
		if preauth {
			name = "connection_reset_preauth"
		}
	default:
		name = "disconnected"
		if preauth {
			name = "disconnected_preauth"
		}
	}
	a.set(name, classSSH, "")
	a.userAddr(rest)
}

// userAddr parses "[QUALIFIER ]user U IP[ port P]" or "IP[ port P]".
func (a *auth) userAddr(s string) {
	port := 0
	if i := strings.LastIndex(s, " port "); i >= 0 {
		if n, ok := atoi(s[i+6:]); ok && n <= 65535 {
			port = n
			s = s[:i]
		}
	}
	sp := strings.LastIndexByte(s, ' ')
	a.src, a.srcPort = parse.ParseIP(s[sp+1:]), port
	if sp < 0 {
		return
	}
	head := s[:sp]
	if i := strings.Index(head, "user "); i >= 0 {
		a.user = head[i+5:]
		if strings.TrimSpace(head[:i]) == "invalid" {
			a.invalid, a.hasInvalid = true, true
		}
	}
}

// userMaybeInvalid sets the user of "invalid user U" or "U".
func (a *auth) userMaybeInvalid(s string) {
	if u, ok := strings.CutPrefix(s, "invalid user "); ok {
		a.user, a.invalid, a.hasInvalid = u, true, true
		return
	}
	a.user = s
}

// receivedDisconnect parses "IP port P:CODE: REASON" (OpenSSH 7.3+) or "IP: CODE: REASON".
func (a *auth) receivedDisconnect(rest string) {
	a.set("received_disconnect", classSSH, "")
	if i := strings.Index(rest, " port "); i >= 0 {
		a.src = parse.ParseIP(rest[:i])
		p, n := digits(rest[i+6:], 5)
		if n > 0 && p <= 65535 {
			a.srcPort = p
		}
		rest = rest[i+6+n:]
	} else {
		ip, tail, _ := strings.Cut(rest, ": ")
		a.src = parse.ParseIP(ip)
		rest = ":" + tail
	}
	// rest is ":CODE: REASON"
	if _, reason, ok := strings.Cut(rest, ": "); ok {
		a.reason = reason
	}
}

// addrPort sets the source from "IP", "IP port P" or "IP port P ssh2".
func (a *auth) addrPort(s string) {
	a.src, a.srcPort = addrPort(s)
}

func addrPort(s string) (netip.Addr, int) {
	ip, rest, _ := strings.Cut(s, " ")
	addr := parse.ParseIP(ip)
	if r, ok := strings.CutPrefix(rest, "port "); ok {
		p, n := digits(r, 5)
		if n > 0 && p <= 65535 {
			return addr, p
		}
	}
	return addr, 0
}

// bracketHostPort splits "[IP]:PORT", which sshd writes for IPv4 too (parse.SplitHostPort accepts
// brackets around IPv6 addresses only).
func bracketHostPort(s string) (netip.Addr, int) {
	if len(s) > 0 && s[0] == '[' {
		if ip, port, ok := strings.Cut(s[1:], "]:"); ok {
			return parse.ParseIP(ip), parse.ParsePort(port)
		}
	}
	return parse.SplitHostPort(s)
}

// hostOrIP sets the source address, or remote_host when s is a host name.
func (a *auth) hostOrIP(s string) {
	if ip := parse.ParseIP(s); ip.IsValid() {
		a.src = ip
	} else {
		a.remoteHost = s
	}
}

// cutLast splits s around the last sep; without sep, the whole of s is the tail.
func cutLast(s, sep string) (string, string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return "", s
}

func isNumber(s string) bool {
	_, ok := atoi(s)
	return ok
}

// parsePAM parses pam_unix messages of any service, written either "pam_unix(SERVICE:TYPE): TEXT"
// (modern) or with the module in the tag, "sshd(pam_unix)[pid]: TEXT" (older Red Hat), and sshd's
// "PAM N more authentication failures; …".
func parsePAM(msg string, a *auth) {
	if strings.HasPrefix(msg, "pam_unix(") {
		i := strings.Index(msg, "): ")
		if i < 0 {
			return
		}
		msg = msg[i+3:]
	}
	switch {
	case strings.HasPrefix(msg, "authentication failure; "):
		a.set("pam_auth_failure", classAuth, "failure")
		a.pamKV(msg[len("authentication failure; "):])
	case strings.HasPrefix(msg, "PAM "):
		// "PAM 2 more authentication failures; logname= uid=0 … rhost=IP  user=root"
		n, rest, _ := strings.Cut(msg[len("PAM "):], " ")
		_, kv, ok := strings.Cut(rest, "; ")
		if !ok || !isNumber(n) {
			return
		}
		a.set("pam_more_failures", classAuth, "failure")
		a.repeat = n
		a.pamKV(kv)
	case strings.HasPrefix(msg, "check pass; user unknown"):
		a.set("pam_user_unknown", classAuth, "failure")
		a.invalid, a.hasInvalid = true, true
	case strings.HasPrefix(msg, "session opened for user "):
		// "session opened for user U by (uid=0)" or "… for user U(uid=1000) by U2(uid=0)"
		a.set("session_opened", classAuth, "success")
		user, _, _ := strings.Cut(msg[len("session opened for user "):], " by ")
		a.user, _, _ = strings.Cut(user, "(uid=")
	case strings.HasPrefix(msg, "session closed for user "):
		a.set("session_closed", classAuth, "")
		a.user = msg[len("session closed for user "):]
	}
}

// pamKV reads pam_unix's "logname= uid=0 euid=0 tty=ssh ruser= rhost=IP  user=U".
func (a *auth) pamKV(s string) {
	for s != "" {
		var kv string
		kv, s = cutSpace(s)
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			continue
		}
		switch k {
		case "rhost":
			a.hostOrIP(v)
		case "user":
			a.user = v
		case "ruser":
			a.ruser = v
		}
	}
}
