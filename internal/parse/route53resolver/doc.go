// Package route53resolver parses Amazon Route 53 Resolver query logs.
package route53resolver
