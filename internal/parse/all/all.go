// Package all imports every built-in log format; importing it decides what the binary can parse.
package all

import (
	_ "github.com/yagura-dev/yagura/internal/parse/cloudtrail" // AWS CloudTrail
)
