// Package all imports every built-in log format; importing it decides what the binary can parse.
package all

import (
	_ "github.com/yagura-dev/yagura/internal/parse/alb"             // AWS Application Load Balancer
	_ "github.com/yagura-dev/yagura/internal/parse/apigateway"      // Amazon API Gateway
	_ "github.com/yagura-dev/yagura/internal/parse/asff"            // AWS Security Hub (ASFF)
	_ "github.com/yagura-dev/yagura/internal/parse/cef"             // ArcSight CEF
	_ "github.com/yagura-dev/yagura/internal/parse/cloudfront"      // Amazon CloudFront
	_ "github.com/yagura-dev/yagura/internal/parse/cloudtrail"      // AWS CloudTrail
	_ "github.com/yagura-dev/yagura/internal/parse/cowrie"          // Cowrie honeypot
	_ "github.com/yagura-dev/yagura/internal/parse/csvlog"          // generic CSV
	_ "github.com/yagura-dev/yagura/internal/parse/dionaea"         // Dionaea honeypot
	_ "github.com/yagura-dev/yagura/internal/parse/endlessh"        // Endlessh tarpit
	_ "github.com/yagura-dev/yagura/internal/parse/guardduty"       // Amazon GuardDuty
	_ "github.com/yagura-dev/yagura/internal/parse/jsonlog"         // generic JSON
	_ "github.com/yagura-dev/yagura/internal/parse/leef"            // IBM LEEF
	_ "github.com/yagura-dev/yagura/internal/parse/route53resolver" // Amazon Route 53 Resolver
	_ "github.com/yagura-dev/yagura/internal/parse/s3access"        // Amazon S3 server access
	_ "github.com/yagura-dev/yagura/internal/parse/sshesame"        // sshesame honeypot
	_ "github.com/yagura-dev/yagura/internal/parse/syslog"          // syslog, OpenSSH
	_ "github.com/yagura-dev/yagura/internal/parse/vpcflow"         // AWS VPC Flow Logs
	_ "github.com/yagura-dev/yagura/internal/parse/waf"             // AWS WAF
)
