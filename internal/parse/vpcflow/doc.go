// Package vpcflow parses AWS VPC Flow Logs.
package vpcflow
