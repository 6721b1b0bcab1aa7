// Package sshesame parses sshesame SSH honeypot logs.
package sshesame
