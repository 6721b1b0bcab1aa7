//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ErrNotReadOnly is returned for statements that would change something.
var ErrNotReadOnly = errors.New("only read-only statements (SELECT, WITH … SELECT, DESCRIBE, SHOW, EXPLAIN, SUMMARIZE) are allowed")

// Query runs one read-only SQL statement with bound args and returns its rows. The statement is
// prepared first and refused unless DuckDB classifies it as a read (so COPY … TO, INSERT, CREATE,
// ATTACH, SET and PRAGMA are refused), and in a read-only store DuckDB may touch no file outside the
// data directory.
func (s *Store) Query(ctx context.Context, q string, args ...any) (*Rows, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var typ duckdb.StmtType
	err = conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		typ, err = st.(*duckdb.Stmt).StatementType()
		return err
	})
	if err != nil {
		_ = conn.Close()
		if !readVerb(q) {
			return nil, fmt.Errorf("%w (%v)", ErrNotReadOnly, cleanDuckError(err))
		}
		return nil, fmt.Errorf("query: %w", cleanDuckError(err))
	}
	switch typ {
	case duckdb.STATEMENT_TYPE_SELECT, duckdb.STATEMENT_TYPE_EXPLAIN:
	default:
		_ = conn.Close()
		return nil, ErrNotReadOnly
	}
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("query: %w", cleanDuckError(err))
	}
	return &Rows{Rows: rows, conn: conn}, nil
}

// Rows is a query's result; Close also releases the connection the statement was checked on.
type Rows struct {
	*sql.Rows
	conn *sql.Conn
}

// Close closes the rows and the connection.
func (r *Rows) Close() error {
	err := r.Rows.Close()
	return errors.Join(err, r.conn.Close())
}

// readVerb reports whether q starts like a read, so that a statement DuckDB refuses to prepare is
// reported for what it is (a write) rather than with DuckDB's binder message only.
func readVerb(q string) bool {
	f := strings.Fields(strings.TrimLeft(q, "( \t\n"))
	if len(f) == 0 {
		return true
	}
	switch strings.ToUpper(f[0]) {
	case "SELECT", "WITH", "FROM", "DESCRIBE", "SHOW", "EXPLAIN", "SUMMARIZE", "VALUES", "TABLE":
		return true
	}
	return false
}

// LockDown forbids DuckDB from reading or writing files outside the data directory for the rest of
// the store's life. Query front ends call it once the views exist.
func (s *Store) LockDown() error {
	for _, q := range []string{
		fmt.Sprintf("SET allowed_directories = [%s]", quoteLiteral(s.dir+"/")),
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	} {
		if _, err := s.db.Exec(q); err != nil {
			return fmt.Errorf("lock down: %w", err)
		}
	}
	return nil
}

// cleanDuckError trims DuckDB's multi-line error text to what a user needs.
func cleanDuckError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "database/sql/driver: ")
	if i := strings.Index(msg, "\n\nLINE"); i > 0 {
		msg = msg[:i] + " " + strings.Join(strings.Fields(msg[i:]), " ")
	}
	return errors.New(msg)
}
