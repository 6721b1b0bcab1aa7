// Package syslog parses syslog (RFC 3164/5424) with sshd auth messages.
package syslog
