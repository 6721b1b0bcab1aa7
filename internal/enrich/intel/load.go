package intel

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Formats of indicator files.
const (
	FormatList = "list"
	FormatCSV  = "csv"
	FormatSTIX = "stix"
)

// FileOptions says how to read one file.
type FileOptions struct {
	SetOptions
	// Format is FormatList, FormatCSV or FormatSTIX; "" detects it from the extension (.csv,
	// .json/.stix) and else from the content.
	Format string
	// Kind forces the kind of every indicator of a list or CSV file (KindAuto: detect per value).
	Kind Kind
	// Column names the CSV column holding the indicator (case-insensitive header match, or a
	// 1-based number for files without a header); "" means the first column.
	Column string
	// KindColumn optionally names a CSV column holding each row's kind ("ip", "domain", "sha256" …).
	KindColumn string
}

// maxReported bounds the bad-line messages kept per file; the rest are only counted.
const maxReported = 20

// FileReport says what loading one file did.
type FileReport struct {
	Path   string
	Format string
	// Loaded counts indicators accepted (before duplicates are merged).
	Loaded  int
	Expired int
	Skipped int
	// Ignored counts things not meant as indicators: other STIX object types, the unsupported
	// alternatives of a partly supported pattern.
	Ignored int
	// Reasons counts skipped and ignored values per reason ("not a URL", "unsupported pattern: AND" …).
	Reasons map[string]int
	// Errors holds the first bad lines as "file:line: problem".
	Errors []string
}

func (r *FileReport) skip(line int, reason string, err error) {
	r.Skipped++
	if r.Reasons == nil {
		r.Reasons = map[string]int{}
	}
	r.Reasons[reason]++
	if len(r.Errors) < maxReported {
		msg := reason
		if err != nil {
			msg = err.Error()
		}
		if line > 0 {
			r.Errors = append(r.Errors, fmt.Sprintf("%s:%d: %s", r.Path, line, msg))
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %s", r.Path, msg))
		}
	}
}

// ReasonList returns the skip reasons sorted by count, for printing.
func (r *FileReport) ReasonList() []string {
	keys := make([]string, 0, len(r.Reasons))
	for k := range r.Reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if r.Reasons[keys[i]] != r.Reasons[keys[j]] {
			return r.Reasons[keys[i]] > r.Reasons[keys[j]]
		}
		return keys[i] < keys[j]
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s: %d", k, r.Reasons[k])
	}
	return out
}

var errExpired = errors.New("expired")

// sink receives raw indicators from a parser, with the 1-based line they came from.
type sink func(line int, ind Indicator)

// LoadFile reads one indicator file into set (created on first use; several files of one set are
// merged). Bad lines are counted in the report and never stop the load; only an unreadable file
// (or a STIX file that is not JSON at all) is an error.
func (b *Builder) LoadFile(set, path string, opts FileOptions) (FileReport, error) {
	rep := FileReport{Path: path}
	data, err := os.ReadFile(path)
	if err != nil {
		return rep, fmt.Errorf("intel set %s: %w", set, err)
	}
	rep, err = b.Load(set, path, data, opts)
	if err != nil {
		return rep, fmt.Errorf("intel set %s: %w", set, err)
	}
	return rep, nil
}

// Load is LoadFile on data already read; name is used in messages and for format detection.
func (b *Builder) Load(set, name string, data []byte, opts FileOptions) (FileReport, error) {
	rep := FileReport{Path: name, Format: opts.Format}
	if rep.Format == "" {
		rep.Format = DetectFormat(name, data)
	}
	setID, st, err := b.set(set)
	if err != nil {
		return rep, err
	}
	add := func(line int, ind Indicator) {
		if ind.Kind == KindAuto {
			ind.Kind = opts.Kind
		}
		switch err := b.add(setID, st, opts.SetOptions, ind); {
		case err == nil:
			rep.Loaded++
		case errors.Is(err, errExpired):
			rep.Expired++
		case errors.Is(err, errEmpty):
			// blank CSV cells are not worth a report
		default:
			reason := err.Error()
			if i := strings.IndexByte(reason, ':'); i > 0 {
				reason = reason[:i]
			}
			rep.skip(line, reason, err)
		}
	}
	switch rep.Format {
	case FormatList:
		err = parseList(data, add)
	case FormatCSV:
		err = parseCSV(data, opts, &rep, add)
	case FormatSTIX:
		err = parseSTIX(data, &rep, add)
	default:
		err = fmt.Errorf("unknown format %q", rep.Format)
	}
	st.Expired += rep.Expired
	st.Skipped += rep.Skipped
	st.Files = append(st.Files, rep)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", name, err)
	}
	return rep, nil
}

// DetectFormat picks a format from the file name, then from the first non-blank byte: JSON means
// STIX; a first line with a comma and no '#' means CSV; anything else is a list.
func DetectFormat(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".stix":
		return FormatSTIX
	case ".csv":
		return FormatCSV
	case ".txt", ".list", ".lst":
		return FormatList
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return FormatSTIX
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	if bytes.IndexByte(first, ',') >= 0 && !bytes.HasPrefix(first, []byte("#")) {
		return FormatCSV
	}
	return FormatList
}

// parseList reads one indicator per line; '#' starts a comment (whole-line or after the value,
// when preceded by a space), blank lines are ignored.
func parseList(data []byte, add sink) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if i := strings.Index(s, " #"); i >= 0 {
			s = s[:i]
		} else if i := strings.Index(s, "\t#"); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimSpace(s)
		if s == "" || s[0] == '#' || strings.HasPrefix(s, "//") || s[0] == ';' {
			continue
		}
		add(line, Indicator{Value: s, Confidence: -1})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than 1 MiB", line+1)
		}
		return err
	}
	return nil
}
