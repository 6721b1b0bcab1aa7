// Package alb parses AWS Application Load Balancer access logs.
package alb
