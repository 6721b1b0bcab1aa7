// Package cloudfront parses Amazon CloudFront standard access logs.
package cloudfront
