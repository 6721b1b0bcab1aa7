// Package apigateway parses Amazon API Gateway access logs.
package apigateway
