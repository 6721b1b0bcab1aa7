// Package s3access parses Amazon S3 server access logs.
package s3access
