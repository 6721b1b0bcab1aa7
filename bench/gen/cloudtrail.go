package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// CloudTrail model: a few accounts and regions; principals grouped by persona (people at a terminal
// or in the console, Terraform in CI, instance and Lambda roles, AWS services, a third-party auditor
// scanning every region, a leaked key used from abroad, the root user); each persona draws API calls
// from its own weighted mix, so Describe*/List*/Get* dominate and writes are rare.

// ctAPI describes one API call.
type ctAPI struct {
	source    string  // eventSource
	name      string  // eventName
	write     bool    // readOnly is false
	data      bool    // data event (eventCategory Data, managementEvent false)
	global    bool    // always logged in us-east-1 (IAM, Route 53, sign-in)
	errCode   string  // a non-permission error this call sometimes returns
	errMsg    string  // its message
	errRate   float64 // how often
	version   string  // eventVersion
	prefix    string  // IAM action prefix (ec2, s3, iam …)
	denyStyle int     // 0 AccessDenied, 1 Client.UnauthorizedOperation (EC2), 2 AccessDeniedException
}

var ctAPIs = []ctAPI{
	// EC2
	{source: "ec2", name: "DescribeInstances", errCode: "Client.InvalidInstanceID.NotFound", errMsg: "The instance ID 'i-0%s' does not exist", errRate: 0.004, denyStyle: 1},
	{source: "ec2", name: "DescribeSecurityGroups", denyStyle: 1},
	{source: "ec2", name: "DescribeVolumes", denyStyle: 1},
	{source: "ec2", name: "DescribeSnapshots", denyStyle: 1},
	{source: "ec2", name: "DescribeNetworkInterfaces", denyStyle: 1},
	{source: "ec2", name: "DescribeVpcs", denyStyle: 1},
	{source: "ec2", name: "DescribeSubnets", denyStyle: 1},
	{source: "ec2", name: "DescribeRegions", denyStyle: 1},
	{source: "ec2", name: "DescribeImages", denyStyle: 1},
	{source: "ec2", name: "DescribeTags", denyStyle: 1},
	{source: "ec2", name: "DescribeAddresses", denyStyle: 1},
	{source: "ec2", name: "DescribeInstanceStatus", denyStyle: 1},
	{source: "ec2", name: "RunInstances", write: true, denyStyle: 1, errCode: "Client.InsufficientInstanceCapacity", errMsg: "We currently do not have sufficient capacity in the Availability Zone you requested.", errRate: 0.01},
	{source: "ec2", name: "StartInstances", write: true, denyStyle: 1},
	{source: "ec2", name: "StopInstances", write: true, denyStyle: 1},
	{source: "ec2", name: "TerminateInstances", write: true, denyStyle: 1},
	{source: "ec2", name: "CreateTags", write: true, denyStyle: 1},
	{source: "ec2", name: "AuthorizeSecurityGroupIngress", write: true, denyStyle: 1, errCode: "Client.InvalidPermission.Duplicate", errMsg: "the specified rule already exists", errRate: 0.05},
	{source: "ec2", name: "CreateSnapshot", write: true, denyStyle: 1},
	// S3
	{source: "s3", name: "ListBuckets"},
	{source: "s3", name: "GetBucketAcl"},
	{source: "s3", name: "GetBucketPolicy", errCode: "NoSuchBucketPolicy", errMsg: "The bucket policy does not exist", errRate: 0.3},
	{source: "s3", name: "GetBucketLocation"},
	{source: "s3", name: "GetBucketVersioning"},
	{source: "s3", name: "GetBucketEncryption", errCode: "ServerSideEncryptionConfigurationNotFoundError", errMsg: "The server side encryption configuration was not found", errRate: 0.1},
	{source: "s3", name: "GetBucketTagging", errCode: "NoSuchTagSet", errMsg: "The TagSet does not exist", errRate: 0.3},
	{source: "s3", name: "GetBucketPublicAccessBlock"},
	{source: "s3", name: "GetObject", data: true, errCode: "NoSuchKey", errMsg: "The specified key does not exist.", errRate: 0.01},
	{source: "s3", name: "PutObject", data: true, write: true},
	{source: "s3", name: "HeadObject", data: true},
	// IAM
	{source: "iam", name: "GetUser", global: true, errCode: "NoSuchEntityException", errMsg: "The user with name %s cannot be found.", errRate: 0.02},
	{source: "iam", name: "ListUsers", global: true},
	{source: "iam", name: "ListRoles", global: true},
	{source: "iam", name: "GetRole", global: true, errCode: "NoSuchEntityException", errMsg: "The role with name %s cannot be found.", errRate: 0.02},
	{source: "iam", name: "ListAttachedRolePolicies", global: true},
	{source: "iam", name: "ListRolePolicies", global: true},
	{source: "iam", name: "GetPolicy", global: true},
	{source: "iam", name: "GetPolicyVersion", global: true},
	{source: "iam", name: "ListAccessKeys", global: true},
	{source: "iam", name: "GetAccountSummary", global: true},
	{source: "iam", name: "GetAccountAuthorizationDetails", global: true},
	{source: "iam", name: "ListMFADevices", global: true},
	{source: "iam", name: "CreateUser", write: true, global: true, errCode: "EntityAlreadyExistsException", errMsg: "User with name %s already exists.", errRate: 0.05},
	{source: "iam", name: "CreateAccessKey", write: true, global: true, errCode: "LimitExceededException", errMsg: "Cannot exceed quota for AccessKeysPerUser: 2", errRate: 0.05},
	{source: "iam", name: "AttachUserPolicy", write: true, global: true},
	{source: "iam", name: "PutRolePolicy", write: true, global: true},
	{source: "iam", name: "DeleteUser", write: true, global: true},
	// STS
	{source: "sts", name: "AssumeRole"},
	{source: "sts", name: "GetCallerIdentity"},
	{source: "sts", name: "AssumeRoleWithWebIdentity"},
	{source: "sts", name: "GetSessionToken"},
	// Sign-in
	{source: "signin", name: "ConsoleLogin", write: true, global: true},
	// KMS
	{source: "kms", name: "Decrypt", denyStyle: 2},
	{source: "kms", name: "GenerateDataKey", denyStyle: 2},
	{source: "kms", name: "Encrypt", denyStyle: 2},
	{source: "kms", name: "DescribeKey", denyStyle: 2},
	{source: "kms", name: "ListAliases", denyStyle: 2},
	{source: "kms", name: "GetKeyPolicy", denyStyle: 2},
	// Lambda
	{source: "lambda", name: "ListFunctions20150331", denyStyle: 2, prefix: "lambda"},
	{source: "lambda", name: "GetFunction20150331v2", denyStyle: 2, errCode: "ResourceNotFoundException", errMsg: "Function not found: arn:aws:lambda:%s", errRate: 0.01},
	{source: "lambda", name: "ListVersionsByFunction20150331", denyStyle: 2},
	{source: "lambda", name: "UpdateFunctionCode20150331v2", write: true, denyStyle: 2},
	// CloudTrail
	{source: "cloudtrail", name: "DescribeTrails"},
	{source: "cloudtrail", name: "GetTrailStatus"},
	{source: "cloudtrail", name: "LookupEvents"},
	{source: "cloudtrail", name: "StopLogging", write: true},
	{source: "cloudtrail", name: "DeleteTrail", write: true},
	// CloudWatch Logs, CloudWatch
	{source: "logs", name: "DescribeLogGroups", denyStyle: 2},
	{source: "logs", name: "DescribeLogStreams", denyStyle: 2},
	{source: "logs", name: "FilterLogEvents", denyStyle: 2},
	{source: "logs", name: "CreateLogStream", write: true, denyStyle: 2, errCode: "ResourceAlreadyExistsException", errMsg: "The specified log stream already exists", errRate: 0.02},
	{source: "logs", name: "ListTagsLogGroup", denyStyle: 2},
	{source: "monitoring", name: "DescribeAlarms", prefix: "cloudwatch"},
	{source: "monitoring", name: "GetMetricData", prefix: "cloudwatch"},
	// SSM
	{source: "ssm", name: "GetParameter", denyStyle: 2, errCode: "ParameterNotFound", errMsg: "", errRate: 0.03},
	{source: "ssm", name: "GetParameters", denyStyle: 2},
	{source: "ssm", name: "UpdateInstanceInformation", write: true, denyStyle: 2},
	{source: "ssm", name: "ListInstanceAssociations", denyStyle: 2},
	{source: "ssm", name: "DescribeInstanceInformation", denyStyle: 2},
	{source: "ssm", name: "StartSession", write: true, denyStyle: 2},
	// Secrets Manager
	{source: "secretsmanager", name: "GetSecretValue", denyStyle: 2, errCode: "ResourceNotFoundException", errMsg: "Secrets Manager can't find the specified secret.", errRate: 0.01},
	{source: "secretsmanager", name: "ListSecrets", denyStyle: 2},
	// DynamoDB
	{source: "dynamodb", name: "DescribeTable", denyStyle: 2},
	{source: "dynamodb", name: "ListTables", denyStyle: 2},
	// ELB, Route 53, ECR, GuardDuty, SES
	{source: "elasticloadbalancing", name: "DescribeLoadBalancers"},
	{source: "elasticloadbalancing", name: "DescribeTargetGroups"},
	{source: "elasticloadbalancing", name: "DescribeTargetHealth"},
	{source: "route53", name: "ListHostedZones", global: true},
	{source: "route53", name: "GetHostedZone", global: true},
	{source: "route53", name: "ListResourceRecordSets", global: true},
	{source: "route53", name: "ChangeResourceRecordSets", write: true, global: true},
	{source: "ecr", name: "GetAuthorizationToken", denyStyle: 2},
	{source: "ecr", name: "BatchGetImage", denyStyle: 2},
	{source: "guardduty", name: "ListDetectors"},
	{source: "guardduty", name: "GetFindings"},
	{source: "ses", name: "GetSendQuota"},
	{source: "config", name: "DescribeConfigRules", denyStyle: 2},
	{source: "config", name: "DescribeConfigurationRecorders", denyStyle: 2},
}

// persona kinds
const (
	pHuman = iota
	pCI
	pApp
	pLambda
	pService
	pAuditor
	pAttacker
	pRoot
	nPersonas
)

// personaShare is the fraction of all events each persona produces.
var personaShare = [nPersonas]float64{
	pHuman: 0.13, pCI: 0.12, pApp: 0.30, pLambda: 0.10, pService: 0.18, pAuditor: 0.16, pAttacker: 0.004, pRoot: 0.0005,
}

// personaDeny is the probability that a call by the persona is denied.
var personaDeny = [nPersonas]float64{
	pHuman: 0.04, pCI: 0.01, pApp: 0.006, pLambda: 0.008, pService: 0, pAuditor: 0.10, pAttacker: 0.6, pRoot: 0,
}

// personaMix lists eventName weights per persona.
var personaMix = [nPersonas]map[string]float64{
	pHuman: {
		"DescribeInstances": 10, "GetCallerIdentity": 6, "ListBuckets": 4, "DescribeSecurityGroups": 4, "GetBucketPolicy": 1,
		"GetBucketAcl": 1, "DescribeVpcs": 2, "DescribeSubnets": 2, "ListRoles": 2, "GetRole": 2, "ListUsers": 1, "GetUser": 1,
		"ListAttachedRolePolicies": 1, "GetPolicyVersion": 1, "DescribeLogGroups": 2, "FilterLogEvents": 2, "DescribeLogStreams": 1,
		"GetParameter": 1, "DescribeAlarms": 2, "GetMetricData": 2, "LookupEvents": 1, "DescribeTrails": 0.5, "ConsoleLogin": 0.8,
		"StartInstances": 0.3, "StopInstances": 0.3, "RunInstances": 0.2, "TerminateInstances": 0.1, "AuthorizeSecurityGroupIngress": 0.2,
		"CreateTags": 0.3, "PutObject": 0.5, "GetObject": 2, "HeadObject": 1, "ListFunctions20150331": 1, "GetFunction20150331v2": 0.5,
		"UpdateFunctionCode20150331v2": 0.1, "DescribeTable": 0.5, "ListTables": 0.5, "AssumeRole": 1, "CreateUser": 0.03,
		"CreateAccessKey": 0.05, "AttachUserPolicy": 0.03, "PutRolePolicy": 0.05, "GetSecretValue": 0.3, "ListSecrets": 0.3,
		"DescribeLoadBalancers": 1, "DescribeTargetHealth": 1, "ListHostedZones": 0.3, "ChangeResourceRecordSets": 0.05,
		"DescribeKey": 0.3, "ListAliases": 0.3, "StartSession": 0.2, "GetFindings": 0.2, "ListDetectors": 0.2, "ListMFADevices": 0.2,
		"DescribeInstanceStatus": 1, "DescribeImages": 0.5, "CreateSnapshot": 0.05, "DescribeSnapshots": 0.3, "DescribeVolumes": 0.5,
		"GetSessionToken": 0.1,
	},
	pCI: {
		"DescribeInstances": 3, "DescribeSecurityGroups": 5, "DescribeVpcs": 4, "DescribeSubnets": 4, "DescribeNetworkInterfaces": 2,
		"DescribeVolumes": 1, "DescribeImages": 2, "GetRole": 5, "ListAttachedRolePolicies": 3, "ListRolePolicies": 3, "GetPolicy": 3,
		"GetPolicyVersion": 3, "GetBucketPolicy": 2, "GetBucketAcl": 2, "GetBucketVersioning": 2, "GetBucketEncryption": 2,
		"GetBucketLocation": 2, "GetBucketTagging": 1, "GetBucketPublicAccessBlock": 1, "DescribeKey": 2, "GetKeyPolicy": 1,
		"ListAliases": 1, "DescribeLogGroups": 2, "ListTagsLogGroup": 1, "DescribeTable": 1, "GetFunction20150331v2": 2,
		"ListVersionsByFunction20150331": 1, "DescribeLoadBalancers": 2, "DescribeTargetGroups": 2, "ListHostedZones": 1,
		"GetHostedZone": 1, "ListResourceRecordSets": 1, "GetCallerIdentity": 3, "GetObject": 1, "PutObject": 0.5,
		"AuthorizeSecurityGroupIngress": 0.1, "CreateTags": 0.3, "RunInstances": 0.05, "UpdateFunctionCode20150331v2": 0.1,
		"PutRolePolicy": 0.05, "ChangeResourceRecordSets": 0.05, "AssumeRoleWithWebIdentity": 0.3, "DescribeTags": 1,
	},
	pApp: {
		"GetObject": 12, "PutObject": 5, "HeadObject": 3, "Decrypt": 6, "GenerateDataKey": 2, "UpdateInstanceInformation": 6,
		"ListInstanceAssociations": 3, "GetParameter": 3, "GetParameters": 2, "GetSecretValue": 2, "GetCallerIdentity": 1,
		"CreateLogStream": 2, "DescribeLogStreams": 1, "DescribeTags": 2, "DescribeInstances": 1, "GetAuthorizationToken": 1,
		"BatchGetImage": 1, "AssumeRole": 0.5,
	},
	pLambda: {
		"GetObject": 5, "PutObject": 3, "HeadObject": 1, "Decrypt": 4, "GetSecretValue": 2, "GetParameter": 2, "DescribeTable": 1,
		"GetCallerIdentity": 0.5, "DescribeInstances": 0.5, "AssumeRole": 0.5,
	},
	pService: {
		"AssumeRole": 10, "Decrypt": 6, "GenerateDataKey": 4, "Encrypt": 0.5, "CreateLogStream": 1,
	},
	pAuditor: {
		"DescribeInstances": 2, "DescribeSecurityGroups": 2, "DescribeVolumes": 2, "DescribeSnapshots": 2, "DescribeNetworkInterfaces": 2,
		"DescribeVpcs": 2, "DescribeSubnets": 2, "DescribeRegions": 1, "DescribeImages": 1, "DescribeAddresses": 1,
		"ListBuckets": 1, "GetBucketAcl": 2, "GetBucketPolicy": 2, "GetBucketLocation": 1, "GetBucketVersioning": 1,
		"GetBucketEncryption": 1, "GetBucketPublicAccessBlock": 1, "GetBucketTagging": 1, "ListUsers": 1, "ListRoles": 1,
		"GetRole": 1, "ListAttachedRolePolicies": 2, "ListRolePolicies": 1, "GetPolicy": 1, "GetPolicyVersion": 1,
		"ListAccessKeys": 1, "ListMFADevices": 1, "GetAccountSummary": 0.5, "GetAccountAuthorizationDetails": 0.2,
		"DescribeKey": 1, "ListAliases": 1, "GetKeyPolicy": 1, "ListFunctions20150331": 1, "DescribeTrails": 1, "GetTrailStatus": 1,
		"DescribeLogGroups": 1, "DescribeAlarms": 1, "DescribeInstanceInformation": 1, "ListSecrets": 1, "ListTables": 1,
		"DescribeLoadBalancers": 1, "ListHostedZones": 0.5, "ListDetectors": 1, "DescribeConfigRules": 1,
		"DescribeConfigurationRecorders": 1, "GetCallerIdentity": 0.5,
	},
	pAttacker: {
		"GetCallerIdentity": 5, "ListBuckets": 5, "ListUsers": 4, "ListRoles": 2, "DescribeInstances": 3,
		"GetAccountAuthorizationDetails": 1, "ListAccessKeys": 2, "CreateUser": 0.5, "CreateAccessKey": 0.5,
		"AttachUserPolicy": 0.5, "DescribeRegions": 2, "GetSendQuota": 1, "ListSecrets": 1, "GetSecretValue": 0.5,
		"StopLogging": 0.1, "DeleteTrail": 0.05, "RunInstances": 0.3, "ListFunctions20150331": 1, "GetObject": 1,
	},
	pRoot: {
		"ConsoleLogin": 3, "GetAccountSummary": 1, "ListUsers": 1, "DescribeInstances": 1, "ListMFADevices": 1,
	},
}

var (
	ctAccounts      = []string{"482913607251", "739104582216", "205861349970", "918273645501"}
	ctAccountWeight = newWeighted([]float64{0.6, 0.2, 0.12, 0.08})
	ctRegions       = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"}
	ctRegionWeight  = newWeighted([]float64{0.6, 0.2, 0.12, 0.08})
	ctAllRegions    = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
		"eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
		"ap-southeast-2", "ap-south-1", "sa-east-1"}
	ctUserNames = []string{"alice", "bob", "carol.smith", "dave", "erin", "frank.ops", "grace", "heidi", "ivan", "judy",
		"mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "deploy-bot", "backup-svc",
		"grafana-reader", "legacy-etl", "jenkins", "datadog-integration"}
	ctSSORoles = []string{"AWSReservedSSO_AdministratorAccess_5f2c8e1a9b3d4c71", "AWSReservedSSO_PowerUserAccess_a81d0c2e4f6b9d33",
		"AWSReservedSSO_ReadOnlyAccess_0e9b7c5a3d1f2e48", "AWSReservedSSO_DeveloperAccess_c4e6a8b0d2f41357"}
	ctAppRoles = []string{"prod-web-instance-role", "prod-api-instance-role", "prod-worker-instance-role", "eks-nodegroup-role",
		"bastion-instance-role", "batch-compute-instance-role", "staging-web-instance-role", "AmazonSSMRoleForInstancesQuickSetup"}
	ctLambdaFns = []string{"image-resizer", "order-events-consumer", "s3-object-indexer", "nightly-report", "slack-notifier",
		"cognito-post-confirmation", "log-shipper", "thumbnail-generator", "stripe-webhook", "cleanup-old-snapshots"}
	ctServices = []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "s3.amazonaws.com",
		"secretsmanager.amazonaws.com", "cloudformation.amazonaws.com", "autoscaling.amazonaws.com", "logs.amazonaws.com",
		"ssm.amazonaws.com", "config.amazonaws.com"}
	ctBuckets = []string{"acme-prod-assets", "acme-prod-logs", "acme-data-lake-raw", "acme-data-lake-curated",
		"acme-terraform-state", "acme-backups-prod", "acme-ml-artifacts", "acme-static-site", "acme-user-uploads",
		"aws-cloudtrail-logs-482913607251-8c1f2b7e", "cf-templates-1x9k2m7q4z-us-east-1", "elasticbeanstalk-us-east-1-482913607251",
		"acme-athena-results", "acme-vpc-flow-logs", "acme-config-snapshots"}
	ctKeyPrefixes = []string{"uploads/", "exports/daily/", "thumbs/", "logs/app/", "raw/events/", "models/", "reports/",
		"AWSLogs/482913607251/CloudTrail/us-east-1/", "env:/prod/", "backups/db/"}
	ctKeySuffixes = []string{".json.gz", ".parquet", ".jpg", ".png", ".csv", ".tfstate", ".tar.gz", ".log", ".pdf", ".bin"}
	ctSecrets     = []string{"prod/db/postgres", "prod/stripe/api-key", "prod/sendgrid", "staging/db/postgres", "prod/jwt-signing-key",
		"prod/redis/auth", "shared/github-app"}
	ctParams = []string{"/prod/app/config", "/prod/app/feature-flags", "/prod/db/host", "/staging/app/config",
		"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "/prod/app/log-level", "/cwagent/config"}
	ctLogGroups = []string{"/aws/lambda/image-resizer", "/aws/lambda/order-events-consumer", "/ecs/prod-api", "/var/log/messages",
		"/aws/eks/prod/cluster", "API-Gateway-Execution-Logs_8k2j4h6g1f/prod", "/aws/rds/instance/prod-db/postgresql"}
	ctTables        = []string{"orders", "sessions", "users", "terraform-locks", "idempotency-keys", "feature-flags"}
	ctInstanceTypes = []string{"t3.micro", "t3.medium", "m6i.large", "c6i.xlarge", "r6g.large", "t4g.small"}
	ctHumanUAs      = []string{
		"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/%s",
		"aws-cli/2.17.20 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off command/%s",
		"aws-cli/2.13.7 Python/3.11.4 Windows/10 exe/AMD64 prompt/off command/%s",
		"console.amazonaws.com",
		"AWS Internal",
		"Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
	}
	ctBrowserUAs = []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.0.0",
		"Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
	}
	ctCIUAs = []string{
		"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/%s#1.152.0",
		"APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.49.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/%s#1.161.1",
		"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1017-azure exe/x86_64.ubuntu.22 prompt/off command/%s",
	}
	ctAppUAs = []string{
		"Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
		"aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/%s#1.28.4",
		"aws-sdk-java/2.25.16 Linux/6.1.79-99.164.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
		"aws-sdk-nodejs/2.1583.0 linux/v18.19.1 exec-env/AWS_ECS_EC2 promise",
	}
	ctSSMAgentUA = "aws-sdk-go/1.44.260 (go1.20.11; linux; amd64) amazon-ssm-agent/3.2.1241.0"
	ctLambdaUAs  = []string{
		"Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.214-223.823.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.42",
		"aws-sdk-js/3.535.0 ua/2.0 os/linux#5.10.214-223.823.amzn2.x86_64 lang/js md/nodejs#20.11.1 exec-env/AWS_Lambda_nodejs20.x api/%s#3.535.0",
		"aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 exec-env/AWS_Lambda_provided.al2023 api/%s#1.30.0",
	}
	ctAuditorUAs = []string{
		"Boto3/1.28.57 Python/3.9.18 Linux/5.10.192-183.736.amzn2.x86_64 exec-env/AWS_Lambda_python3.9 Botocore/1.31.57",
		"aws-sdk-go-v2/1.21.0 os/linux lang/go#1.20.8 md/GOOS#linux md/GOARCH#amd64 api/%s#1.24.1",
	}
	ctAttackerUAs = []string{
		"aws-cli/1.18.69 Python/3.8.10 Linux/5.4.0-150-generic botocore/1.16.19",
		"Boto3/1.9.253 Python/2.7.18 Linux/4.19.0-25-amd64 Botocore/1.12.253",
		"python-requests/2.31.0",
		"aws-cli/2.9.0 Python/3.9.11 Windows/10 exe/AMD64 prompt/off command/%s",
	}
	ctTLS = []string{
		`"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256"`,
		`"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_256_GCM_SHA384"`,
		`"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256"`,
	}
	ctTLSWeight = newWeighted([]float64{0.8, 0.05, 0.15})
)

// ctPrincipal is one identity making calls.
type ctPrincipal struct {
	persona   int
	kind      string // IAMUser, AssumedRole, AWSService, Root
	account   string
	name      string // user name, role name or service
	session   string // role session name
	roleID    string // AROA… id of the role
	userID    string // AIDA… id of the user
	arn       string
	region    string   // home region for instance and Lambda roles
	ips       []string // addresses the principal calls from
	uas       []string // user agents it uses
	console   bool     // console session (sessionCredentialFromConsole)
	mfa       bool
	webID     bool // web identity federation (GitHub OIDC)
	accessKey string
	sessStart int64  // session creation, Unix seconds
	identity  []byte // rendered userIdentity object
	vpce      string // VPC endpoint id for calls made through one
	privateIP string
}

// cloudTrail generates CloudTrail events.
type cloudTrail struct {
	r          *rand.Rand
	now        float64 // Unix seconds
	meanGap    float64
	clk        clock
	principals [nPersonas][]*ctPrincipal
	pickPrin   [nPersonas]weighted
	pickPers   weighted
	apis       [nPersonas][]int
	pickAPI    [nPersonas]weighted
	instances  []string
	keys       []string
	sgs        []string
	vpcs       []string
	subnets    []string
	amis       []string
	scratch    []byte

	// resources of the event being rendered
	curBucket, curKMS string
	curKey            []byte

	// role and session of the AssumeRole call being rendered, for its response
	assumedRole, assumedSession []byte
}

func newCloudTrail(r *rand.Rand) *cloudTrail {
	g := &cloudTrail{r: r, now: float64(baseTime.Unix()), meanGap: 86400.0 / 2e6, clk: clock{layout: "2006-01-02T15:04:05Z"}}
	byName := map[string]int{}
	for i := range ctAPIs {
		a := &ctAPIs[i]
		byName[a.name] = i
		if a.version == "" {
			a.version = "1.09"
			if a.source == "s3" || a.source == "signin" {
				a.version = "1.10"
			} else if a.source == "ec2" {
				a.version = "1.10"
			}
		}
		if a.prefix == "" {
			a.prefix = a.source
		}
	}
	for p := range nPersonas {
		// Sort names so the weights do not depend on map iteration order.
		names := make([]string, 0, len(personaMix[p]))
		for n := range personaMix[p] {
			names = append(names, n)
		}
		sortStrings(names)
		w := make([]float64, len(names))
		for i, n := range names {
			idx, ok := byName[n]
			if !ok {
				panic("unknown API " + n)
			}
			g.apis[p] = append(g.apis[p], idx)
			w[i] = personaMix[p][n]
		}
		g.pickAPI[p] = newWeighted(w)
	}
	g.pickPers = newWeighted(personaShare[:])
	for range 300 {
		g.instances = append(g.instances, "i-0"+hexString(r, 16))
	}
	for range 12 {
		g.keys = append(g.keys, uuidString(r))
	}
	for range 40 {
		g.sgs = append(g.sgs, "sg-0"+hexString(r, 16))
	}
	for range 6 {
		g.vpcs = append(g.vpcs, "vpc-0"+hexString(r, 16))
	}
	for range 24 {
		g.subnets = append(g.subnets, "subnet-0"+hexString(r, 16))
	}
	for range 10 {
		g.amis = append(g.amis, "ami-0"+hexString(r, 16))
	}
	g.makePrincipals()
	return g
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func (g *cloudTrail) account() string { return ctAccounts[ctAccountWeight.pick(g.r)] }

func (g *cloudTrail) makePrincipals() {
	r := g.r
	office := []string{randPublicIP(r, nil), randPublicIP(r, nil), randPublicIP(r, nil)}
	add := func(p *ctPrincipal) { g.principals[p.persona] = append(g.principals[p.persona], p) }
	// People: IAM users with access keys, plus SSO sessions.
	for i, u := range ctUserNames {
		if strings.HasSuffix(u, "-bot") || strings.HasSuffix(u, "-svc") || strings.HasPrefix(u, "legacy") ||
			u == "jenkins" || u == "grafana-reader" || u == "datadog-integration" {
			// Machine users with long-lived keys behave like apps.
			p := &ctPrincipal{persona: pApp, kind: "IAMUser", account: ctAccounts[i%2], name: u, userID: "AIDA" + upperString(r, 17),
				accessKey: "AKIA" + upperString(r, 16), ips: []string{randPublicIP(r, []int{3, 18, 34, 35, 52, 54})}, uas: ctAppUAs, region: "us-east-1"}
			add(p)
			continue
		}
		p := &ctPrincipal{persona: pHuman, kind: "IAMUser", account: g.account(), name: u, userID: "AIDA" + upperString(r, 17),
			accessKey: "AKIA" + upperString(r, 16), ips: []string{office[r.IntN(3)], randPublicIP(r, nil)}, uas: ctHumanUAs, mfa: r.IntN(4) != 0}
		add(p)
	}
	for i := range 14 {
		u := ctUserNames[i]
		p := &ctPrincipal{persona: pHuman, kind: "AssumedRole", account: g.account(), name: ctSSORoles[r.IntN(len(ctSSORoles))],
			session: u + "@acme.example", roleID: "AROA" + upperString(r, 17), ips: []string{office[r.IntN(3)], randPublicIP(r, nil)},
			uas: ctHumanUAs, console: r.IntN(2) == 0, mfa: true}
		add(p)
	}
	// CI: GitHub Actions via OIDC, running Terraform.
	for i := range 4 {
		p := &ctPrincipal{persona: pCI, kind: "AssumedRole", account: ctAccounts[i%3], name: []string{"github-actions-terraform", "github-actions-deploy"}[i%2],
			session: "GitHubActions", roleID: "AROA" + upperString(r, 17), uas: ctCIUAs, webID: true}
		for range 40 {
			p.ips = append(p.ips, randPublicIP(r, []int{4, 13, 20, 40, 52, 104}))
		}
		add(p)
	}
	// Instance roles: one principal per instance.
	for i := range 60 {
		role := ctAppRoles[r.IntN(len(ctAppRoles))]
		acct := g.account()
		reg := ctRegions[ctRegionWeight.pick(r)]
		p := &ctPrincipal{persona: pApp, kind: "AssumedRole", account: acct, name: role, session: g.instances[i], roleID: "AROA" + upperString(r, 17),
			region: reg, uas: ctAppUAs, privateIP: privateIP(r, r.IntN(4))}
		nat := randPublicIP(r, []int{3, 18, 34, 44, 52, 54})
		p.ips = []string{nat}
		if r.IntN(3) == 0 {
			p.vpce = "vpce-0" + hexString(r, 16)
			p.ips = []string{p.privateIP}
		}
		add(p)
	}
	// Lambda roles.
	for _, fn := range ctLambdaFns {
		p := &ctPrincipal{persona: pLambda, kind: "AssumedRole", account: g.account(), name: fn + "-role-" + hexString(r, 8), session: fn,
			roleID: "AROA" + upperString(r, 17), region: ctRegions[ctRegionWeight.pick(r)], uas: ctLambdaUAs}
		for range 8 {
			p.ips = append(p.ips, randPublicIP(r, []int{3, 18, 34, 44, 52, 54}))
		}
		add(p)
	}
	// AWS services.
	for _, s := range ctServices {
		add(&ctPrincipal{persona: pService, kind: "AWSService", account: g.account(), name: s, ips: []string{s}, uas: []string{s}})
	}
	// Third-party auditor (CSPM) role in each account.
	for _, acct := range ctAccounts {
		p := &ctPrincipal{persona: pAuditor, kind: "AssumedRole", account: acct, name: "SecurityAuditRole-ExternalScanner",
			session: "scanner-" + hexString(r, 12), roleID: "AROA" + upperString(r, 17), uas: ctAuditorUAs}
		for range 6 {
			p.ips = append(p.ips, randPublicIP(r, []int{3, 18, 34, 52, 54}))
		}
		add(p)
	}
	// A leaked key of a human user, used from a few foreign addresses.
	leaked := g.principals[pHuman][3]
	att := *leaked
	att.persona = pAttacker
	att.ips = []string{randPublicIP(r, []int{5, 45, 91, 185, 193, 194}), randPublicIP(r, []int{5, 45, 91, 185, 193, 194}), randPublicIP(r, []int{103, 175, 222})}
	att.uas = ctAttackerUAs
	att.mfa = false
	add(&att)
	// Root.
	add(&ctPrincipal{persona: pRoot, kind: "Root", account: ctAccounts[0], ips: []string{office[0]}, uas: ctBrowserUAs, mfa: true})

	for p := range nPersonas {
		g.pickPrin[p] = newWeighted(zipfWeights(len(g.principals[p]), 1.0))
		for _, pr := range g.principals[p] {
			g.finishPrincipal(pr)
		}
	}
}

// finishPrincipal sets the ARN and renders the userIdentity object (again after a session renewal).
func (g *cloudTrail) finishPrincipal(p *ctPrincipal) {
	r := g.r
	switch p.kind {
	case "IAMUser":
		p.arn = "arn:aws:iam::" + p.account + ":user/" + p.name
	case "AssumedRole":
		p.arn = "arn:aws:sts::" + p.account + ":assumed-role/" + p.name + "/" + p.session
		p.accessKey = "ASIA" + upperString(r, 16)
	case "Root":
		p.arn = "arn:aws:iam::" + p.account + ":root"
	}
	if p.sessStart == 0 {
		p.sessStart = int64(g.now) - int64(r.IntN(3000))
	} else {
		p.sessStart = int64(g.now) - int64(r.IntN(30))
	}
	b := p.identity[:0]
	b = append(b, `{"type":`...)
	b = appendQ(b, p.kind)
	switch p.kind {
	case "AWSService":
		b = append(b, `,"invokedBy":`...)
		b = appendQ(b, p.name)
	case "Root":
		b = append(b, `,"principalId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"arn":`...)
		b = appendQ(b, p.arn)
		b = append(b, `,"accountId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"accessKeyId":""`...)
	case "IAMUser":
		b = append(b, `,"principalId":`...)
		b = appendQ(b, p.userID)
		b = append(b, `,"arn":`...)
		b = appendQ(b, p.arn)
		b = append(b, `,"accountId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"accessKeyId":`...)
		b = appendQ(b, p.accessKey)
		b = append(b, `,"userName":`...)
		b = appendQ(b, p.name)
	case "AssumedRole":
		b = append(b, `,"principalId":"`...)
		b = append(b, p.roleID...)
		b = append(b, ':')
		b = append(b, p.session...)
		b = append(b, `","arn":`...)
		b = appendQ(b, p.arn)
		b = append(b, `,"accountId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"accessKeyId":`...)
		b = appendQ(b, p.accessKey)
		b = append(b, `,"sessionContext":{"sessionIssuer":{"type":"Role","principalId":`...)
		b = appendQ(b, p.roleID)
		b = append(b, `,"arn":"arn:aws:iam::`...)
		b = append(b, p.account...)
		b = append(b, `:role/`...)
		if strings.HasPrefix(p.name, "AWSReservedSSO") {
			b = append(b, "aws-reserved/sso.amazonaws.com/"...)
		}
		b = append(b, p.name...)
		b = append(b, `","accountId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"userName":`...)
		b = appendQ(b, p.name)
		b = append(b, `},"webIdFederationData":{`...)
		if p.webID {
			b = append(b, `"federatedProvider":"arn:aws:iam::`...)
			b = append(b, p.account...)
			b = append(b, `:oidc-provider/token.actions.githubusercontent.com","attributes":{}`...)
		}
		b = append(b, `},"attributes":{"creationDate":"`...)
		b = time.Unix(p.sessStart, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
		b = append(b, `","mfaAuthenticated":`...)
		if p.mfa {
			b = append(b, `"true"}`...)
		} else {
			b = append(b, `"false"}`...)
		}
		if p.persona == pApp && strings.HasPrefix(p.session, "i-") {
			b = append(b, `,"ec2RoleDelivery":"2.0"`...)
		}
		b = append(b, '}')
	}
	if p.kind == "IAMUser" && p.console {
		b = append(b, `,"sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":"`...)
		b = time.Unix(p.sessStart, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
		b = append(b, `","mfaAuthenticated":"true"}}`...)
	}
	b = append(b, '}')
	p.identity = b
}

// appendEvent renders the next event.
func (g *cloudTrail) appendEvent(b []byte) []byte {
	r := g.r
	g.now += expInterval(r, g.meanGap)
	sec := int64(g.now)
	pers := g.pickPers.pick(r)
	p := g.principals[pers][g.pickPrin[pers].pick(r)]
	api := &ctAPIs[g.apis[pers][g.pickAPI[pers].pick(r)]]
	if p.kind == "AssumedRole" && sec-p.sessStart > 3600 {
		g.finishPrincipal(p)
	}
	// Resources named several times in one event (request, resources, TLS host, error) must agree.
	switch api.source {
	case "s3":
		g.curBucket = g.bucket()
		g.curKey = g.appendObjectKey(g.curKey[:0])
	case "kms":
		g.curKMS = g.keys[r.IntN(len(g.keys))]
	}

	region := p.region
	switch {
	case api.global:
		region = "us-east-1"
	case pers == pAuditor || pers == pAttacker:
		region = ctAllRegions[r.IntN(len(ctAllRegions))]
	case region == "":
		region = ctRegions[ctRegionWeight.pick(r)]
	}
	ip := p.ips[r.IntN(len(p.ips))]
	ua := p.uas[r.IntN(len(p.uas))]
	console := p.console
	if pers == pHuman && ua == "console.amazonaws.com" {
		console = true
	}
	if api.source == "ssm" && pers == pApp && p.kind == "AssumedRole" && api.name != "GetParameter" && api.name != "GetParameters" {
		ua = ctSSMAgentUA
	}
	if api.name == "ConsoleLogin" {
		ua = ctBrowserUAs[r.IntN(len(ctBrowserUAs))]
	} else if pers == pHuman && console && p.kind == "AssumedRole" {
		ua = "console.amazonaws.com"
	}
	// Decide the outcome.
	denied := false
	errCode, errMsg := "", ""
	if x := r.Float64(); x < personaDeny[pers] && api.name != "ConsoleLogin" && api.name != "GetCallerIdentity" {
		denied = true
	} else if api.errRate > 0 && r.Float64() < api.errRate {
		errCode, errMsg = api.errCode, api.errMsg
	}
	loginFailed := api.name == "ConsoleLogin" && (pers == pAttacker || r.IntN(100) < 7)

	b = append(b, `{"eventVersion":"`...)
	b = append(b, api.version...)
	b = append(b, `","userIdentity":`...)
	if api.name == "ConsoleLogin" && p.kind == "IAMUser" {
		// Sign-in events carry no access key.
		b = append(b, `{"type":"IAMUser","principalId":`...)
		b = appendQ(b, p.userID)
		b = append(b, `,"arn":`...)
		b = appendQ(b, p.arn)
		b = append(b, `,"accountId":`...)
		b = appendQ(b, p.account)
		b = append(b, `,"userName":`...)
		b = appendQ(b, p.name)
		b = append(b, '}')
	} else {
		b = append(b, p.identity...)
	}
	b = append(b, `,"eventTime":"`...)
	b = g.clk.append(b, sec)
	b = append(b, `","eventSource":"`...)
	b = append(b, api.source...)
	b = append(b, `.amazonaws.com","eventName":"`...)
	b = append(b, api.name...)
	b = append(b, `","awsRegion":"`...)
	b = append(b, region...)
	b = append(b, `","sourceIPAddress":"`...)
	b = append(b, ip...)
	b = append(b, `","userAgent":`...)
	if strings.Contains(ua, "%s") {
		cmd := g.scratch[:0]
		if strings.HasPrefix(ua, "aws-cli") {
			cmd = append(cmd, api.prefix...)
			cmd = append(cmd, '.')
			cmd = appendKebab(cmd, api.name)
		} else {
			cmd = append(cmd, api.prefix...)
		}
		g.scratch = cmd
		i := strings.Index(ua, "%s")
		b = append(b, '"')
		b = append(b, ua[:i]...)
		b = append(b, cmd...)
		b = append(b, ua[i+2:]...)
		b = append(b, '"')
	} else {
		b = appendQ(b, ua)
	}
	if denied {
		b = g.appendDenied(b, p, api, region)
	} else if errCode != "" {
		b = append(b, `,"errorCode":"`...)
		b = append(b, errCode...)
		b = append(b, '"')
		if errMsg != "" {
			b = append(b, `,"errorMessage":`...)
			if strings.Contains(errMsg, "%s") {
				arg := p.name
				if api.source == "lambda" {
					arg = region + ":" + p.account + ":function:" + ctLambdaFns[r.IntN(len(ctLambdaFns))]
				} else if api.source == "ec2" {
					arg = hexString(r, 16)
				}
				errMsg = strings.Replace(errMsg, "%s", arg, 1)
			}
			b = appendJSONString(b, errMsg)
		}
	} else if loginFailed {
		b = append(b, `,"errorMessage":"Failed authentication"`...)
	}
	ok := !denied && errCode == ""

	b = append(b, `,"requestParameters":`...)
	b = g.appendRequest(b, p, api, region)
	b = append(b, `,"responseElements":`...)
	if ok || api.name == "ConsoleLogin" {
		b = g.appendResponse(b, p, api, region, sec, loginFailed)
	} else {
		b = append(b, "null"...)
	}
	b = g.appendAdditional(b, p, api)
	b = append(b, `,"requestID":"`...)
	if api.source == "s3" {
		b = appendUpper(b, r, 16)
	} else {
		b = appendUUID(b, r)
	}
	b = append(b, `","eventID":"`...)
	b = appendUUID(b, r)
	b = append(b, `","readOnly":`...)
	if api.write {
		b = append(b, "false"...)
	} else {
		b = append(b, "true"...)
	}
	b = g.appendResources(b, p, api, region)
	if api.name == "ConsoleLogin" {
		b = append(b, `,"eventType":"AwsConsoleSignIn"`...)
	} else {
		b = append(b, `,"eventType":"AwsApiCall"`...)
	}
	if api.source == "ec2" && !api.write {
		b = append(b, `,"apiVersion":"2016-11-15"`...)
	}
	if api.data {
		b = append(b, `,"managementEvent":false`...)
	} else {
		b = append(b, `,"managementEvent":true`...)
	}
	b = append(b, `,"recipientAccountId":"`...)
	b = append(b, p.account...)
	b = append(b, '"')
	if p.kind == "AWSService" {
		b = append(b, `,"sharedEventID":"`...)
		b = appendUUID(b, r)
		b = append(b, '"')
	}
	if p.vpce != "" && api.source != "iam" && !api.global {
		b = append(b, `,"vpcEndpointId":"`...)
		b = append(b, p.vpce...)
		b = append(b, '"')
	}
	if api.data {
		b = append(b, `,"eventCategory":"Data"`...)
	} else {
		b = append(b, `,"eventCategory":"Management"`...)
	}
	if p.kind != "AWSService" && api.name != "ConsoleLogin" {
		b = append(b, `,"tlsDetails":{`...)
		b = append(b, ctTLS[ctTLSWeight.pick(r)]...)
		b = append(b, `,"clientProvidedHostHeader":"`...)
		switch {
		case api.source == "s3" && api.name != "ListBuckets":
			b = append(b, g.curBucket...)
			b = append(b, ".s3."...)
			b = append(b, region...)
			b = append(b, ".amazonaws.com"...)
		case api.global || api.source == "sts" && r.IntN(3) == 0:
			b = append(b, api.source...)
			b = append(b, ".amazonaws.com"...)
		default:
			b = append(b, api.source...)
			b = append(b, '.')
			b = append(b, region...)
			b = append(b, ".amazonaws.com"...)
		}
		b = append(b, `"}`...)
	}
	if console && p.kind != "AWSService" && api.name != "ConsoleLogin" {
		b = append(b, `,"sessionCredentialFromConsole":"true"`...)
	}
	return append(b, '}')
}

// appendKebab appends CamelCase as kebab-case (DescribeInstances → describe-instances), dropping the
// date suffixes of Lambda API names.
func appendKebab(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			break
		}
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b = append(b, '-')
			}
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

func (g *cloudTrail) appendDenied(b []byte, p *ctPrincipal, api *ctAPI, region string) []byte {
	switch {
	case api.denyStyle == 1:
		b = append(b, `,"errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation. User: `...)
	case api.denyStyle == 2 && api.source != "ecr" && api.source != "config":
		b = append(b, `,"errorCode":"AccessDeniedException","errorMessage":"User: `...)
	default:
		b = append(b, `,"errorCode":"AccessDenied","errorMessage":"User: `...)
	}
	b = append(b, p.arn...)
	b = append(b, " is not authorized to perform: "...)
	b = append(b, api.prefix...)
	b = append(b, ':')
	b = append(b, strings.TrimRight(api.name, "0123456789v")...)
	if api.denyStyle != 1 {
		b = append(b, " on resource: "...)
		switch api.source {
		case "iam":
			b = append(b, "arn:aws:iam::"...)
			b = append(b, p.account...)
			b = append(b, ":user/"...)
		case "s3":
			b = append(b, "arn:aws:s3:::"...)
			b = append(b, g.curBucket...)
		case "kms":
			b = append(b, "arn:aws:kms:"...)
			b = append(b, region...)
			b = append(b, ':')
			b = append(b, p.account...)
			b = append(b, ":key/"...)
			b = append(b, g.curKMS...)
		default:
			b = append(b, '*')
		}
	}
	b = append(b, " because no identity-based policy allows the "...)
	b = append(b, api.prefix...)
	b = append(b, ':')
	b = append(b, strings.TrimRight(api.name, "0123456789v")...)
	b = append(b, ` action`...)
	if api.denyStyle == 1 {
		b = append(b, `. Encoded authorization failure message: `...)
		b = appendB64(b, g.r, 120)
	}
	return append(b, '"')
}

// bucketSubresource names the query parameter a bucket API call carries.
func bucketSubresource(name string) string {
	switch name {
	case "GetBucketAcl":
		return "acl"
	case "GetBucketPolicy":
		return "policy"
	case "GetBucketLocation":
		return "location"
	case "GetBucketVersioning":
		return "versioning"
	case "GetBucketEncryption":
		return "encryption"
	case "GetBucketTagging":
		return "tagging"
	}
	return "publicAccessBlock"
}

func (g *cloudTrail) bucket() string { return ctBuckets[g.r.IntN(len(ctBuckets))] }

func (g *cloudTrail) appendObjectKey(b []byte) []byte {
	r := g.r
	b = append(b, ctKeyPrefixes[r.IntN(len(ctKeyPrefixes))]...)
	b = append(b, "2025/03/"...)
	b = strconv.AppendInt(b, int64(1+r.IntN(28)), 10)
	b = append(b, '/')
	b = appendHex(b, r, 12)
	return append(b, ctKeySuffixes[r.IntN(len(ctKeySuffixes))]...)
}

func (g *cloudTrail) roleArn(b []byte, acct string) []byte {
	b = append(b, "arn:aws:iam::"...)
	b = append(b, acct...)
	b = append(b, ":role/"...)
	all := len(ctAppRoles) + len(ctLambdaFns)
	i := g.r.IntN(all + 2)
	switch {
	case i < len(ctAppRoles):
		b = append(b, ctAppRoles[i]...)
	case i < all:
		b = append(b, ctLambdaFns[i-len(ctAppRoles)]...)
		b = append(b, "-role"...)
	default:
		b = append(b, "OrganizationAccountAccessRole"...)
	}
	return b
}

// appendRequest renders requestParameters, shaped per API.
func (g *cloudTrail) appendRequest(b []byte, p *ctPrincipal, api *ctAPI, region string) []byte {
	r := g.r
	switch api.name {
	case "DescribeInstances":
		switch r.IntN(3) {
		case 0:
			b = append(b, `{"instancesSet":{"items":[{"instanceId":"`...)
			b = append(b, g.instances[r.IntN(len(g.instances))]...)
			return append(b, `"}]},"filterSet":{}}`...)
		case 1:
			b = append(b, `{"instancesSet":{},"filterSet":{"items":[{"name":"tag:Name","valueSet":{"items":[{"value":"`...)
			b = append(b, []string{"prod-web", "prod-api", "bastion", "worker", "eks-node"}[r.IntN(5)]...)
			return append(b, `"}]}}]}}`...)
		default:
			return append(b, `{"maxResults":1000,"instancesSet":{},"filterSet":{}}`...)
		}
	case "DescribeSecurityGroups":
		if r.IntN(2) == 0 {
			b = append(b, `{"securityGroupSet":{},"securityGroupIdSet":{"items":[{"groupId":"`...)
			b = append(b, g.sgs[r.IntN(len(g.sgs))]...)
			return append(b, `"}]},"filterSet":{}}`...)
		}
		b = append(b, `{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"`...)
		b = append(b, g.vpcs[r.IntN(len(g.vpcs))]...)
		return append(b, `"}]}}]}}`...)
	case "DescribeVolumes":
		return append(b, `{"volumeSet":{},"filterSet":{}}`...)
	case "DescribeSnapshots":
		return append(b, `{"snapshotSet":{},"ownersSet":{"items":[{"owner":"self"}]},"restorableBySet":{},"filterSet":{}}`...)
	case "DescribeNetworkInterfaces":
		b = append(b, `{"networkInterfaceIdSet":{},"filterSet":{"items":[{"name":"subnet-id","valueSet":{"items":[{"value":"`...)
		b = append(b, g.subnets[r.IntN(len(g.subnets))]...)
		return append(b, `"}]}}]}}`...)
	case "DescribeVpcs":
		return append(b, `{"vpcSet":{},"filterSet":{}}`...)
	case "DescribeSubnets":
		b = append(b, `{"subnetSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"`...)
		b = append(b, g.vpcs[r.IntN(len(g.vpcs))]...)
		return append(b, `"}]}}]}}`...)
	case "DescribeRegions":
		return append(b, `{"regionSet":{},"allRegions":false}`...)
	case "DescribeImages":
		b = append(b, `{"executableBySet":{},"imagesSet":{"items":[{"imageId":"`...)
		b = append(b, g.amis[r.IntN(len(g.amis))]...)
		return append(b, `"}]},"ownersSet":{},"includeDeprecated":false,"filterSet":{}}`...)
	case "DescribeTags":
		b = append(b, `{"filterSet":{"items":[{"name":"resource-id","valueSet":{"items":[{"value":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		return append(b, `"}]}}]}}`...)
	case "DescribeInstanceStatus":
		return append(b, `{"instancesSet":{},"filterSet":{},"includeAllInstances":true}`...)
	case "DescribeAddresses":
		return append(b, `{"publicIpsSet":{},"allocationIdsSet":{},"filterSet":{}}`...)
	case "RunInstances":
		b = append(b, `{"instancesSet":{"items":[{"imageId":"`...)
		b = append(b, g.amis[r.IntN(len(g.amis))]...)
		b = append(b, `","minCount":1,"maxCount":1}]},"instanceType":"`...)
		b = append(b, ctInstanceTypes[r.IntN(len(ctInstanceTypes))]...)
		b = append(b, `","blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"disableApiStop":false,"clientToken":"`...)
		b = appendUUID(b, r)
		b = append(b, `","networkInterfaceSet":{"items":[{"deviceIndex":0,"subnetId":"`...)
		b = append(b, g.subnets[r.IntN(len(g.subnets))]...)
		b = append(b, `","groupSet":{"items":[{"groupId":"`...)
		b = append(b, g.sgs[r.IntN(len(g.sgs))]...)
		return append(b, `"}]}}]},"metadataOptions":{"httpTokens":"required","httpPutResponseHopLimit":2}}`...)
	case "StartInstances", "StopInstances", "TerminateInstances":
		b = append(b, `{"instancesSet":{"items":[{"instanceId":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		if api.name == "StopInstances" {
			return append(b, `"}]},"force":false}`...)
		}
		return append(b, `"}]}}`...)
	case "CreateTags":
		b = append(b, `{"resourcesSet":{"items":[{"resourceId":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		b = append(b, `"}]},"tagSet":{"items":[{"key":"Owner","value":"`...)
		b = append(b, ctUserNames[r.IntN(len(ctUserNames))]...)
		return append(b, `"}]}}`...)
	case "AuthorizeSecurityGroupIngress":
		b = append(b, `{"groupId":"`...)
		b = append(b, g.sgs[r.IntN(len(g.sgs))]...)
		b = append(b, `","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":`...)
		port := []int{22, 443, 80, 3389, 5432, 8080}[r.IntN(6)]
		b = strconv.AppendInt(b, int64(port), 10)
		b = append(b, `,"toPort":`...)
		b = strconv.AppendInt(b, int64(port), 10)
		b = append(b, `,"groups":{},"ipRanges":{"items":[{"cidrIp":"`...)
		if r.IntN(4) == 0 {
			b = append(b, "0.0.0.0/0"...)
		} else {
			b = append(b, randPublicIP(r, nil)...)
			b = append(b, "/32"...)
		}
		return append(b, `"}]},"ipv6Ranges":{},"prefixListIds":{}}]}}`...)
	case "CreateSnapshot":
		b = append(b, `{"volumeId":"vol-0`...)
		b = appendHex(b, r, 16)
		return append(b, `","description":"nightly backup"}`...)
	case "ListBuckets", "GetCallerIdentity", "ConsoleLogin", "GetSessionToken", "GetAccountSummary", "DescribeTrails",
		"ListDetectors", "GetSendQuota", "DescribeConfigurationRecorders", "GetAuthorizationToken":
		return append(b, "null"...)
	case "GetBucketAcl", "GetBucketPolicy", "GetBucketLocation", "GetBucketVersioning", "GetBucketEncryption", "GetBucketTagging",
		"GetBucketPublicAccessBlock":
		bk := g.curBucket
		b = append(b, `{"bucketName":"`...)
		b = append(b, bk...)
		b = append(b, `","Host":"`...)
		b = append(b, bk...)
		b = append(b, ".s3."...)
		b = append(b, region...)
		b = append(b, `.amazonaws.com","`...)
		b = append(b, bucketSubresource(api.name)...)
		return append(b, `":""}`...)
	case "GetObject", "PutObject", "HeadObject":
		bk := g.curBucket
		b = append(b, `{"bucketName":"`...)
		b = append(b, bk...)
		b = append(b, `","Host":"`...)
		b = append(b, bk...)
		b = append(b, ".s3."...)
		b = append(b, region...)
		b = append(b, `.amazonaws.com","key":"`...)
		b = append(b, g.curKey...)
		if api.name == "PutObject" && r.IntN(2) == 0 {
			b = append(b, `","x-amz-server-side-encryption":"aws:kms`...)
		}
		return append(b, `"}`...)
	case "GetUser", "ListAccessKeys", "CreateUser", "CreateAccessKey", "DeleteUser", "ListMFADevices":
		if api.name == "ListMFADevices" && r.IntN(2) == 0 {
			return append(b, "null"...)
		}
		b = append(b, `{"userName":"`...)
		if api.name == "CreateUser" || api.name == "DeleteUser" {
			b = append(b, []string{"backup-admin", "svc-support", "temp-contractor", "ses-smtp-user.20250301", "admin2"}[r.IntN(5)]...)
		} else {
			b = append(b, ctUserNames[r.IntN(len(ctUserNames))]...)
		}
		return append(b, `"}`...)
	case "ListUsers", "ListRoles":
		if r.IntN(2) == 0 {
			return append(b, `{"maxItems":100}`...)
		}
		return append(b, "null"...)
	case "GetRole", "ListAttachedRolePolicies", "ListRolePolicies":
		b = append(b, `{"roleName":"`...)
		b = append(b, ctAppRoles[r.IntN(len(ctAppRoles))]...)
		return append(b, `"}`...)
	case "GetPolicy", "GetPolicyVersion":
		b = append(b, `{"policyArn":"arn:aws:iam::`...)
		if r.IntN(2) == 0 {
			b = append(b, "aws:policy/"...)
			b = append(b, []string{"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"}[r.IntN(4)]...)
		} else {
			b = append(b, p.account...)
			b = append(b, ":policy/"...)
			b = append(b, []string{"app-s3-access", "deploy-permissions", "kms-decrypt-prod", "boundary-developers"}[r.IntN(4)]...)
		}
		if api.name == "GetPolicyVersion" {
			b = append(b, `","versionId":"v`...)
			b = strconv.AppendInt(b, int64(1+r.IntN(6)), 10)
		}
		return append(b, `"}`...)
	case "GetAccountAuthorizationDetails":
		return append(b, `{"filter":["User","Role","Group","LocalManagedPolicy"]}`...)
	case "AttachUserPolicy":
		b = append(b, `{"userName":"`...)
		b = append(b, []string{"backup-admin", "svc-support", "temp-contractor", "admin2"}[r.IntN(4)]...)
		return append(b, `","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`...)
	case "PutRolePolicy":
		b = append(b, `{"roleName":"`...)
		b = append(b, ctAppRoles[r.IntN(len(ctAppRoles))]...)
		b = append(b, `","policyName":"inline-s3-access","policyDocument":"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n      \"Resource\": \"arn:aws:s3:::`...)
		b = append(b, g.bucket()...)
		return append(b, `/*\"\n    }\n  ]\n}"}`...)
	case "AssumeRole":
		b = append(b, `{"roleArn":"`...)
		i := len(b)
		b = g.roleArn(b, p.account)
		g.assumedRole = append(g.assumedRole[:0], b[i+len("arn:aws:iam::")+len(p.account)+len(":role/"):]...)
		b = append(b, `","roleSessionName":"`...)
		i = len(b)
		if p.kind == "AWSService" {
			if strings.HasPrefix(p.name, "lambda") {
				b = append(b, ctLambdaFns[r.IntN(len(ctLambdaFns))]...)
			} else {
				b = append(b, g.instances[r.IntN(len(g.instances))]...)
			}
		} else {
			b = append(b, "botocore-session-"...)
			b = strconv.AppendInt(b, int64(g.now)-int64(r.IntN(100)), 10)
		}
		g.assumedSession = append(g.assumedSession[:0], b[i:]...)
		return append(b, `","durationSeconds":3600}`...)
	case "AssumeRoleWithWebIdentity":
		b = append(b, `{"roleArn":"arn:aws:iam::`...)
		b = append(b, p.account...)
		b = append(b, `:role/`...)
		b = append(b, p.name...)
		return append(b, `","roleSessionName":"GitHubActions","durationSeconds":3600}`...)
	case "Decrypt":
		b = append(b, `{"encryptionContext":{`...)
		if r.IntN(2) == 0 {
			b = append(b, `"aws:lambda:FunctionArn":"arn:aws:lambda:`...)
			b = append(b, region...)
			b = append(b, ':')
			b = append(b, p.account...)
			b = append(b, ":function:"...)
			b = append(b, ctLambdaFns[r.IntN(len(ctLambdaFns))]...)
		} else {
			b = append(b, `"SecretARN":"arn:aws:secretsmanager:`...)
			b = append(b, region...)
			b = append(b, ':')
			b = append(b, p.account...)
			b = append(b, ":secret:"...)
			b = append(b, ctSecrets[r.IntN(len(ctSecrets))]...)
			b = append(b, '-')
			b = appendB64(b, r, 6)
			b = append(b, `","SecretVersionId":"`...)
			b = appendUUID(b, r)
		}
		return append(b, `"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`...)
	case "GenerateDataKey", "Encrypt":
		b = append(b, `{"keyId":"`...)
		if r.IntN(3) == 0 {
			b = append(b, "alias/aws/s3"...)
		} else {
			b = append(b, "arn:aws:kms:"...)
			b = append(b, region...)
			b = append(b, ':')
			b = append(b, p.account...)
			b = append(b, ":key/"...)
			b = append(b, g.curKMS...)
		}
		if api.name == "Encrypt" {
			return append(b, `","encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`...)
		}
		b = append(b, `","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::`...)
		b = append(b, g.bucket()...)
		return append(b, `"},"keySpec":"AES_256"}`...)
	case "DescribeKey", "GetKeyPolicy":
		b = append(b, `{"keyId":"`...)
		b = append(b, g.curKMS...)
		if api.name == "GetKeyPolicy" {
			return append(b, `","policyName":"default"}`...)
		}
		return append(b, `"}`...)
	case "ListAliases":
		return append(b, `{"limit":100}`...)
	case "ListFunctions20150331":
		return append(b, `{"functionVersion":"ALL"}`...)
	case "GetFunction20150331v2", "ListVersionsByFunction20150331", "UpdateFunctionCode20150331v2":
		b = append(b, `{"functionName":"`...)
		b = append(b, ctLambdaFns[r.IntN(len(ctLambdaFns))]...)
		if api.name == "UpdateFunctionCode20150331v2" {
			b = append(b, `","s3Bucket":"acme-ml-artifacts","s3Key":"lambda/`...)
			b = appendHex(b, r, 12)
			return append(b, `.zip","publish":true}`...)
		}
		return append(b, `"}`...)
	case "GetTrailStatus", "StopLogging", "DeleteTrail":
		b = append(b, `{"name":"arn:aws:cloudtrail:us-east-1:`...)
		b = append(b, p.account...)
		return append(b, `:trail/management-events"}`...)
	case "LookupEvents":
		b = append(b, `{"lookupAttributes":[{"attributeKey":"EventName","attributeValue":"`...)
		b = append(b, []string{"ConsoleLogin", "RunInstances", "DeleteBucket", "CreateUser"}[r.IntN(4)]...)
		return append(b, `"}],"maxResults":50}`...)
	case "DescribeLogGroups":
		return append(b, `{"limit":50}`...)
	case "DescribeLogStreams", "FilterLogEvents", "CreateLogStream", "ListTagsLogGroup":
		b = append(b, `{"logGroupName":"`...)
		b = append(b, ctLogGroups[r.IntN(len(ctLogGroups))]...)
		switch api.name {
		case "CreateLogStream":
			b = append(b, `","logStreamName":"2025/03/`...)
			b = strconv.AppendInt(b, int64(1+r.IntN(28)), 10)
			b = append(b, `/[$LATEST]`...)
			b = appendHex(b, r, 32)
		case "FilterLogEvents":
			b = append(b, `","filterPattern":"ERROR","startTime":`...)
			b = strconv.AppendInt(b, int64(g.now-3600)*1000, 10)
			b = append(b, `,"endTime":`...)
			b = strconv.AppendInt(b, int64(g.now)*1000, 10)
			return append(b, `,"interleaved":true}`...)
		case "DescribeLogStreams":
			return append(b, `","orderBy":"LastEventTime","descending":true,"limit":50}`...)
		}
		return append(b, `"}`...)
	case "DescribeAlarms":
		return append(b, `{"maxRecords":100}`...)
	case "GetMetricData":
		b = append(b, `{"metricDataQueries":[{"id":"m1","metricStat":{"metric":{"namespace":"AWS/EC2","metricName":"CPUUtilization","dimensions":[{"name":"InstanceId","value":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		return append(b, `"}]},"period":300,"stat":"Average"},"returnData":true}],"startTime":"Mar 1, 2025, 12:00:00 AM","endTime":"Mar 1, 2025, 3:00:00 AM"}`...)
	case "GetParameter":
		b = append(b, `{"name":"`...)
		b = append(b, ctParams[r.IntN(len(ctParams))]...)
		return append(b, `","withDecryption":true}`...)
	case "GetParameters":
		b = append(b, `{"names":["`...)
		b = append(b, ctParams[r.IntN(len(ctParams))]...)
		b = append(b, `","`...)
		b = append(b, ctParams[r.IntN(len(ctParams))]...)
		return append(b, `"],"withDecryption":true}`...)
	case "UpdateInstanceInformation":
		b = append(b, `{"instanceId":"`...)
		b = append(b, p.session...)
		b = append(b, `","agentVersion":"3.2.1241.0","agentStatus":"Active","platformType":"Linux","platformName":"Amazon Linux","platformVersion":"2023","iPAddress":"`...)
		b = append(b, p.privateIP...)
		b = append(b, `","computerName":"ip-`...)
		b = append(b, strings.ReplaceAll(p.privateIP, ".", "-")...)
		b = append(b, `.ec2.internal","agentName":"amazon-ssm-agent","availabilityZone":"`...)
		b = append(b, region...)
		b = append(b, 'a'+byte(r.IntN(3)))
		return append(b, `","ec2RoleDelivery":"2.0"}`...)
	case "ListInstanceAssociations":
		b = append(b, `{"instanceId":"`...)
		b = append(b, p.session...)
		return append(b, `","maxResults":50}`...)
	case "DescribeInstanceInformation":
		return append(b, `{"maxResults":50}`...)
	case "StartSession":
		b = append(b, `{"target":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		return append(b, `"}`...)
	case "GetSecretValue":
		b = append(b, `{"secretId":"`...)
		b = append(b, ctSecrets[r.IntN(len(ctSecrets))]...)
		return append(b, `"}`...)
	case "ListSecrets":
		return append(b, `{"maxResults":100}`...)
	case "DescribeTable":
		b = append(b, `{"tableName":"`...)
		b = append(b, ctTables[r.IntN(len(ctTables))]...)
		return append(b, `"}`...)
	case "ListTables":
		return append(b, `{"limit":100}`...)
	case "DescribeLoadBalancers", "DescribeTargetGroups":
		return append(b, `{"pageSize":400}`...)
	case "DescribeTargetHealth":
		b = append(b, `{"targetGroupArn":"arn:aws:elasticloadbalancing:`...)
		b = append(b, region...)
		b = append(b, ':')
		b = append(b, p.account...)
		b = append(b, `:targetgroup/prod-api-tg/`...)
		b = appendHex(b, r, 16)
		return append(b, `"}`...)
	case "ListHostedZones":
		return append(b, `{"maxItems":"100"}`...)
	case "GetHostedZone", "ListResourceRecordSets":
		return append(b, `{"id":"Z0718293ABCDEFGH1IJK2"}`...)
	case "ChangeResourceRecordSets":
		b = append(b, `{"hostedZoneId":"Z0718293ABCDEFGH1IJK2","changeBatch":{"changes":[{"action":"UPSERT","resourceRecordSet":{"name":"api.acme.example","type":"A","tTL":60,"resourceRecords":[{"value":"`...)
		b = append(b, randPublicIP(r, []int{3, 18, 52, 54})...)
		return append(b, `"}]}}]}}`...)
	case "BatchGetImage":
		b = append(b, `{"registryId":"`...)
		b = append(b, p.account...)
		b = append(b, `","repositoryName":"`...)
		b = append(b, []string{"prod/api", "prod/worker", "prod/web"}[r.IntN(3)]...)
		b = append(b, `","imageIds":[{"imageTag":"sha-`...)
		b = appendHex(b, r, 7)
		return append(b, `"}],"acceptedMediaTypes":["application/vnd.docker.distribution.manifest.v2+json"]}`...)
	case "GetFindings":
		b = append(b, `{"detectorId":"`...)
		b = appendHex(b, r, 32)
		b = append(b, `","findingIds":["`...)
		b = appendHex(b, r, 32)
		return append(b, `"]}`...)
	case "DescribeConfigRules":
		return append(b, `{}`...)
	}
	return append(b, "null"...)
}

// appendResponse renders responseElements; read-only calls have none, as in real logs.
func (g *cloudTrail) appendResponse(b []byte, p *ctPrincipal, api *ctAPI, region string, sec int64, loginFailed bool) []byte {
	r := g.r
	switch api.name {
	case "ConsoleLogin":
		if loginFailed {
			return append(b, `{"ConsoleLogin":"Failure"}`...)
		}
		return append(b, `{"ConsoleLogin":"Success"}`...)
	case "AssumeRole", "AssumeRoleWithWebIdentity", "GetSessionToken":
		b = append(b, `{"credentials":{"accessKeyId":"ASIA`...)
		b = appendUpper(b, r, 16)
		b = append(b, `","sessionToken":"IQoJb3JpZ2luX2Vj`...)
		b = appendB64(b, r, 380+r.IntN(300))
		b = append(b, `","expiration":"`...)
		b = time.Unix(sec+3600, 0).UTC().AppendFormat(b, "Jan 2, 2006, 3:04:05 PM")
		b = append(b, `"}`...)
		if api.name != "GetSessionToken" {
			role, sess := g.assumedRole, g.assumedSession
			if api.name == "AssumeRoleWithWebIdentity" {
				role, sess = []byte(p.name), []byte("GitHubActions")
			}
			b = append(b, `,"assumedRoleUser":{"assumedRoleId":"AROA`...)
			b = appendUpper(b, r, 17)
			b = append(b, ':')
			b = append(b, sess...)
			b = append(b, `","arn":"arn:aws:sts::`...)
			b = append(b, p.account...)
			b = append(b, `:assumed-role/`...)
			b = append(b, role...)
			b = append(b, '/')
			b = append(b, sess...)
			b = append(b, `"}`...)
		}
		if api.name == "AssumeRoleWithWebIdentity" {
			b = append(b, `,"subjectFromWebIdentityToken":"repo:acme/infrastructure:ref:refs/heads/main","audience":"sts.amazonaws.com","provider":"arn:aws:iam::`...)
			b = append(b, p.account...)
			b = append(b, `:oidc-provider/token.actions.githubusercontent.com"`...)
		}
		return append(b, '}')
	case "RunInstances":
		b = append(b, `{"requestId":"`...)
		b = appendUUID(b, r)
		b = append(b, `","reservationId":"r-0`...)
		b = appendHex(b, r, 16)
		b = append(b, `","ownerId":"`...)
		b = append(b, p.account...)
		b = append(b, `","groupSet":{},"instancesSet":{"items":[{"instanceId":"i-0`...)
		b = appendHex(b, r, 16)
		b = append(b, `","imageId":"`...)
		b = append(b, g.amis[r.IntN(len(g.amis))]...)
		b = append(b, `","currentInstanceBootMode":"legacy-bios","instanceState":{"code":0,"name":"pending"},"privateDnsName":"ip-10-0-`...)
		b = strconv.AppendInt(b, int64(r.IntN(256)), 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(r.IntN(256)), 10)
		b = append(b, `.ec2.internal","amiLaunchIndex":0,"productCodes":{},"instanceType":"`...)
		b = append(b, ctInstanceTypes[r.IntN(len(ctInstanceTypes))]...)
		b = append(b, `","launchTime":`...)
		b = strconv.AppendInt(b, sec*1000, 10)
		b = append(b, `,"placement":{"availabilityZone":"`...)
		b = append(b, region...)
		b = append(b, 'a')
		b = append(b, `","tenancy":"default"},"monitoring":{"state":"disabled"},"subnetId":"`...)
		b = append(b, g.subnets[r.IntN(len(g.subnets))]...)
		b = append(b, `","vpcId":"`...)
		b = append(b, g.vpcs[r.IntN(len(g.vpcs))]...)
		b = append(b, `","privateIpAddress":"`...)
		b = append(b, privateIP(r, 0)...)
		return append(b, `","stateReason":{"code":"pending","message":"pending"},"architecture":"x86_64","rootDeviceType":"ebs","rootDeviceName":"/dev/xvda","blockDeviceMapping":{},"virtualizationType":"hvm","hypervisor":"xen","enaSupport":true,"metadataOptions":{"state":"pending","httpTokens":"required","httpPutResponseHopLimit":2,"httpEndpoint":"enabled"}}]}}`...)
	case "StartInstances", "StopInstances", "TerminateInstances":
		b = append(b, `{"requestId":"`...)
		b = appendUUID(b, r)
		b = append(b, `","instancesSet":{"items":[{"instanceId":"`...)
		b = append(b, g.instances[r.IntN(len(g.instances))]...)
		switch api.name {
		case "StartInstances":
			return append(b, `","currentState":{"code":0,"name":"pending"},"previousState":{"code":80,"name":"stopped"}}]}}`...)
		case "StopInstances":
			return append(b, `","currentState":{"code":64,"name":"stopping"},"previousState":{"code":16,"name":"running"}}]}}`...)
		}
		return append(b, `","currentState":{"code":32,"name":"shutting-down"},"previousState":{"code":16,"name":"running"}}]}}`...)
	case "CreateTags", "AuthorizeSecurityGroupIngress":
		b = append(b, `{"requestId":"`...)
		b = appendUUID(b, r)
		return append(b, `","_return":true}`...)
	case "CreateSnapshot":
		b = append(b, `{"requestId":"`...)
		b = appendUUID(b, r)
		b = append(b, `","snapshotId":"snap-0`...)
		b = appendHex(b, r, 16)
		return append(b, `","status":"pending","progress":"","volumeSize":100,"encrypted":true}`...)
	case "CreateUser":
		b = append(b, `{"user":{"path":"/","userName":"temp-contractor","userId":"AIDA`...)
		b = appendUpper(b, r, 17)
		b = append(b, `","arn":"arn:aws:iam::`...)
		b = append(b, p.account...)
		b = append(b, `:user/temp-contractor","createDate":"`...)
		b = time.Unix(sec, 0).UTC().AppendFormat(b, "Jan 2, 2006, 3:04:05 PM")
		return append(b, `"}}`...)
	case "CreateAccessKey":
		b = append(b, `{"accessKey":{"userName":"temp-contractor","accessKeyId":"AKIA`...)
		b = appendUpper(b, r, 16)
		b = append(b, `","status":"Active","createDate":"`...)
		b = time.Unix(sec, 0).UTC().AppendFormat(b, "Jan 2, 2006, 3:04:05 PM")
		return append(b, `"}}`...)
	case "PutObject":
		b = append(b, `{"x-amz-server-side-encryption":"AES256","x-amz-version-id":"`...)
		b = appendB64(b, r, 32)
		return append(b, `"}`...)
	case "CreateLogStream", "AttachUserPolicy", "PutRolePolicy", "DeleteUser", "StopLogging", "DeleteTrail":
		return append(b, "null"...)
	case "StartSession":
		b = append(b, `{"sessionId":"`...)
		b = append(b, p.name...)
		b = append(b, '-')
		b = appendHex(b, r, 17)
		b = append(b, `","tokenValue":"Value hidden due to security reasons.","streamUrl":"wss://ssmmessages.`...)
		b = append(b, region...)
		return append(b, `.amazonaws.com/v1/data-channel/session"}`...)
	case "UpdateFunctionCode20150331v2":
		b = append(b, `{"functionName":"`...)
		b = append(b, ctLambdaFns[r.IntN(len(ctLambdaFns))]...)
		b = append(b, `","runtime":"python3.12","codeSize":`...)
		b = strconv.AppendInt(b, int64(10000+r.IntN(5000000)), 10)
		b = append(b, `,"codeSha256":"`...)
		b = appendB64(b, r, 43)
		return append(b, `=","version":"$LATEST","lastUpdateStatus":"InProgress"}`...)
	case "ChangeResourceRecordSets":
		b = append(b, `{"changeInfo":{"id":"/change/C`...)
		b = appendUpper(b, r, 20)
		return append(b, `","status":"PENDING","submittedAt":"Mar 1, 2025, 12:00:00 AM"}}`...)
	}
	return append(b, "null"...)
}

// appendAdditional renders additionalEventData where the API has it.
func (g *cloudTrail) appendAdditional(b []byte, p *ctPrincipal, api *ctAPI) []byte {
	r := g.r
	switch {
	case api.name == "ConsoleLogin":
		b = append(b, `,"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_`...)
		b = appendHex(b, r, 16)
		b = append(b, `","MobileVersion":"No","MFAUsed":"`...)
		if p.mfa {
			b = append(b, "Yes"...)
		} else {
			b = append(b, "No"...)
		}
		return append(b, `"}`...)
	case api.source == "s3":
		b = append(b, `,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":`...)
		if api.name == "PutObject" {
			b = strconv.AppendInt(b, int64(r.ExpFloat64()*200000), 10)
		} else {
			b = append(b, '0')
		}
		b = append(b, `,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"`...)
		b = appendB64(b, r, 76)
		b = append(b, `","bytesTransferredOut":`...)
		if api.name == "GetObject" {
			b = strconv.AppendInt(b, int64(r.ExpFloat64()*500000), 10)
		} else {
			b = append(b, '0')
		}
		return append(b, '}')
	case api.source == "kms" && p.kind == "AWSService":
		return append(b, `,"additionalEventData":{"customerMasterKey":"arn:aws:kms:us-east-1:`+"482913607251"+`:key/`+"e3b0c442-98fc-4c14-9afb-f4c8996fb924"+`"}`...)
	}
	return b
}

// appendResources renders the resources array for the APIs that log one.
func (g *cloudTrail) appendResources(b []byte, p *ctPrincipal, api *ctAPI, region string) []byte {
	r := g.r
	switch api.source {
	case "kms":
		if api.name == "ListAliases" {
			return b
		}
		b = append(b, `,"resources":[{"accountId":"`...)
		b = append(b, p.account...)
		b = append(b, `","type":"AWS::KMS::Key","ARN":"arn:aws:kms:`...)
		b = append(b, region...)
		b = append(b, ':')
		b = append(b, p.account...)
		b = append(b, ":key/"...)
		b = append(b, g.curKMS...)
		return append(b, `"}]`...)
	case "s3":
		if api.name == "ListBuckets" {
			return b
		}
		bk := g.curBucket
		b = append(b, `,"resources":[`...)
		if api.data {
			b = append(b, `{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::`...)
			b = append(b, bk...)
			b = append(b, '/')
			b = append(b, g.curKey...)
			b = append(b, `"},`...)
		}
		b = append(b, `{"accountId":"`...)
		b = append(b, p.account...)
		b = append(b, `","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::`...)
		b = append(b, bk...)
		return append(b, `"}]`...)
	case "sts":
		if api.name == "AssumeRole" {
			b = append(b, `,"resources":[{"accountId":"`...)
			b = append(b, p.account...)
			b = append(b, `","type":"AWS::IAM::Role","ARN":"`...)
			b = g.roleArn(b, p.account)
			return append(b, `"}]`...)
		}
	case "secretsmanager":
		if api.name == "GetSecretValue" {
			b = append(b, `,"resources":[{"accountId":"`...)
			b = append(b, p.account...)
			b = append(b, `","type":"AWS::SecretsManager::Secret","ARN":"arn:aws:secretsmanager:`...)
			b = append(b, region...)
			b = append(b, ':')
			b = append(b, p.account...)
			b = append(b, ":secret:"...)
			b = append(b, ctSecrets[r.IntN(len(ctSecrets))]...)
			return append(b, `"}]`...)
		}
	}
	return b
}
