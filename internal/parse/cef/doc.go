// Package cef parses ArcSight Common Event Format.
package cef
