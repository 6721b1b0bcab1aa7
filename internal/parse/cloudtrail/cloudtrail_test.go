package cloudtrail_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

func TestGolden(t *testing.T) {
	for _, file := range []string{"awsdocs_records.json", "stratus_iam_create_admin_user.jsonl", "eventbridge.json", "cloudwatch_subscription.json", "damaged.jsonl", "awsdocs_insight.json", "otrf_logstash_shipped.jsonl"} {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "cloudtrail", file) })
	}
}

func TestEnvelopes(t *testing.T) {
	res := parsetest.Golden(t, "cloudtrail", "cloudwatch_subscription.json")
	require.Equal(t, 3, res.Events, "three log events in the data message")
	require.Equal(t, 1, res.Skipped, "the control message is skipped, not dead-lettered")
	require.Empty(t, res.Dead)
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "cloudtrail", "damaged.jsonl")
	require.Equal(t, 2, res.Events, "the two intact lines around the damage are kept")
	require.Len(t, res.Dead, 5)
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Contains(t, reasons[0], "truncated JSON record")
	require.Contains(t, reasons[1], "not JSON")
	require.Contains(t, reasons[2], "not a CloudTrail event")
	require.Contains(t, reasons[3], "not an object")
	require.Contains(t, reasons[4], "not an object")
}

func TestGzipTruncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	require.NoError(t, zw.Close())
	whole := parsetest.Decode(t, buf.Bytes(), "")
	require.Equal(t, 3, whole.Events)
	cut := parsetest.Decode(t, buf.Bytes()[:buf.Len()*2/3], "")
	require.Error(t, cut.Err, "the decoder reports the truncated stream")
	require.Less(t, cut.Events, 3)
	require.NotEmpty(t, cut.Dead, "the cut record is a dead letter")
	require.Contains(t, cut.Dead[len(cut.Dead)-1].Reason, "input ends early")
}

func TestWrongTypeForced(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	res := parsetest.Decode(t, []byte("Jan  1 00:00:00 host sshd[1]: hello\n"+string(data)), "cloudtrail")
	require.Equal(t, 3, res.Events)
	require.Len(t, res.Dead, 1)
	require.True(t, strings.Contains(res.Dead[0].Reason, "not JSON"), res.Dead[0].Reason)
}

func TestStratusCorpus(t *testing.T) {
	dir := filepath.Join(parsetest.SharedDir(t), "corpus", "cloudtrail", "stratus_red_team_detonations")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 35)
	for _, f := range files {
		res := parsetest.DecodeCorpus(t, filepath.Join("cloudtrail", "stratus_red_team_detonations", filepath.Base(f)))
		require.Empty(t, res.Dead, f)
		require.Equal(t, map[string]int{"cloudtrail": res.Events}, res.Types, f)
		require.NotZero(t, res.Events, f)
	}
}

func FuzzCloudTrail(f *testing.F) {
	parsetest.Fuzz(f, "cloudtrail", "awsdocs_records.json", "stratus_iam_create_admin_user.jsonl", "eventbridge.json", "cloudwatch_subscription.json", "damaged.jsonl")
}
