//go:build duckdb_arrow

package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Compaction thresholds: the files of a partition smaller than compactSmall are merged, in groups of
// up to compactTarget bytes (a group is sorted in memory, so it stays small), once there are
// compactMinFiles of them. Many small files (one per five-minute CloudTrail
// object) would otherwise make every query open thousands of files.
const (
	compactMinFiles = 4
	compactSmall    = 4 << 20
	compactTarget   = 16 << 20
)

type partFile struct {
	path       string
	rows, size int64
	input      int64
	min, max   time.Time
	columns    sql.NullString
}

// Compact merges the small Parquet files of each partition (log type and day) into larger ones. Only
// files that are their input's only file in the partition qualify: a large input already wrote files
// as big as a batch allows, and rewriting them would only cost time.
// The merged file replaces the small ones in one catalog transaction; the old files are removed
// afterwards, and a crash in between only leaves files the next open removes.
func (s *Store) Compact() error {
	type part struct{ logType, date string }
	parts := map[part][]partFile{}
	rows, err := s.db.Query(`SELECT log_type, strftime(date, '%Y-%m-%d'), path, rows, bytes, coalesce(input_id, 0), min_time, max_time, columns FROM cat.files
		WHERE bytes < ? AND (input_id IS NULL OR input_id IN (
			SELECT input_id FROM cat.files WHERE input_id IS NOT NULL GROUP BY input_id, log_type, date HAVING count(*) = 1))
		ORDER BY log_type, date, path`, compactSmall)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p part
		var f partFile
		if err := rows.Scan(&p.logType, &p.date, &f.path, &f.rows, &f.size, &f.input, &f.min, &f.max, &f.columns); err != nil {
			rows.Close()
			return err
		}
		parts[p] = append(parts[p], f)
	}
	rows.Close()
	seq := 0
	for p, files := range parts {
		if len(files) < compactMinFiles {
			continue
		}
		// Merge in groups that stay under the target size.
		var group []partFile
		var size int64
		flush := func() error {
			defer func() { group, size = nil, 0 }()
			if len(group) < 2 {
				return nil
			}
			seq++
			return s.merge(p.logType, p.date, group, seq)
		}
		for _, f := range files {
			if size+f.size > compactTarget {
				if err := flush(); err != nil {
					return err
				}
			}
			group = append(group, f)
			size += f.size
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) merge(logType, date string, files []partFile, seq int) error {
	quoted := make([]string, len(files))
	var rowsTotal int64
	minT, maxT := files[0].min, files[0].max
	// The merged file holds the union of its parts' columns (union_by_name fills the gaps with NULL).
	union := map[string]bool{}
	allCols := false
	for _, f := range files {
		if !f.columns.Valid {
			allCols = true
		}
		for _, c := range strings.Split(f.columns.String, ",") {
			union[c] = true
		}
	}
	var cols any
	if !allCols {
		cols = strings.Join(sortedKeys(union), ",")
	}
	for i, f := range files {
		quoted[i] = quoteLiteral(filepath.Join(s.dir, filepath.FromSlash(f.path)))
		rowsTotal += f.rows
		if f.min.Before(minT) {
			minT = f.min
		}
		if f.max.After(maxT) {
			maxT = f.max
		}
	}
	name := fmt.Sprintf("c%d-%d.parquet", time.Now().UnixNano(), seq)
	final := filepath.ToSlash(filepath.Join("events", "type="+logType, "date="+date, name))
	dst := filepath.Join(s.dir, filepath.FromSlash(final))
	tmp := filepath.Join(s.dir, "staging", name)
	var order []string
	for _, c := range sortColumns {
		if allCols || union[c] {
			order = append(order, quoteIdent(c))
		}
	}
	q := fmt.Sprintf("COPY (SELECT * FROM read_parquet([%s], union_by_name = true) ORDER BY %s) TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)",
		strings.Join(quoted, ", "), strings.Join(order, ", "), quoteLiteral(tmp))
	if _, err := s.db.Exec(q); err != nil {
		return fmt.Errorf("merge %s/%s: %w", logType, date, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	st, err := os.Stat(dst)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, f := range files {
		if _, err := tx.Exec(`DELETE FROM cat.files WHERE path = ?`, f.path); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO cat.files (path, log_type, date, rows, bytes, input_id, min_time, max_time, created_at, columns) VALUES (?, ?, ?::DATE, ?, ?, NULL, ?, ?, ?, ?)`,
		final, logType, date, rowsTotal, st.Size(), minT, maxT, now(), cols); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, f := range files {
		_ = os.Remove(filepath.Join(s.dir, filepath.FromSlash(f.path)))
	}
	return nil
}
