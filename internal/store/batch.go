//go:build duckdb_arrow

package store

import (
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// batch accumulates the rows of one log type and one day as Arrow columns.
type batch struct {
	format  *parse.Format
	date    string
	schema  *arrow.Schema
	b       *array.RecordBuilder
	cols    []Column
	paths   [][]string // native column paths split on '.'
	rows    int
	bytes   int // approximate size of the appended data, to bound memory
	minTime time.Time
	maxTime time.Time
	scratch []byte
}

func arrowType(t event.ColumnType) arrow.DataType {
	switch t {
	case event.BigInt:
		return arrow.PrimitiveTypes.Int64
	case event.Integer:
		return arrow.PrimitiveTypes.Int32
	case event.Double:
		return arrow.PrimitiveTypes.Float64
	case event.Boolean:
		return arrow.FixedWidthTypes.Boolean
	case event.Timestamp:
		return arrow.FixedWidthTypes.Timestamp_us
	}
	return arrow.BinaryTypes.String
}

// schemaFor builds the Arrow schema of a log type once.
func schemaFor(f *parse.Format) (*arrow.Schema, []Column, [][]string) {
	var cols []Column
	for _, c := range Columns(f) {
		if !c.Virtual {
			cols = append(cols, c)
		}
	}
	fields := make([]arrow.Field, len(cols))
	paths := make([][]string, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.Type), Nullable: true}
		if !c.Core {
			paths[i] = strings.Split(c.Native.FieldPath(), ".")
		}
	}
	return arrow.NewSchema(fields, nil), cols, paths
}

func newBatch(f *parse.Format, date string, schema *arrow.Schema, cols []Column, paths [][]string) *batch {
	return &batch{format: f, date: date, schema: schema, cols: cols, paths: paths,
		b: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
}

// jsonBacked is implemented by Fields over a parsed JSON object; it lets the batch read nested
// columns with one walk instead of a dotted-path lookup.
type jsonBacked interface {
	JSON() *fastjson.Value
}

// append adds one event.
func (bt *batch) append(ev *event.Event) {
	if bt.rows == 0 || ev.Time.Before(bt.minTime) {
		bt.minTime = ev.Time
	}
	if ev.Time.After(bt.maxTime) {
		bt.maxTime = ev.Time
	}
	var jv *fastjson.Value
	if jb, ok := ev.Fields.(jsonBacked); ok {
		jv = jb.JSON()
	}
	for i, c := range bt.cols {
		fb := bt.b.Field(i)
		if c.Core {
			bt.appendCore(fb, event.CoreField(i), ev)
			continue
		}
		if jv != nil {
			bt.appendJSONValue(fb, c.Type, jv.Get(bt.paths[i]...))
			continue
		}
		v, ok := ev.Fields.Lookup(c.Native.FieldPath())
		if !ok || v.IsNull() {
			fb.AppendNull()
			continue
		}
		bt.appendValue(fb, c.Type, v)
	}
	bt.rows++
	// Raw is stored once more in parsed columns, more or less: count it twice, plus the fixed cost
	// of a row in every column (offsets, values, validity), which dominates for short records.
	bt.bytes += 2*len(ev.Raw) + 16*len(bt.cols)
}

func (bt *batch) appendCore(fb array.Builder, f event.CoreField, ev *event.Event) {
	str := func(s string) {
		if s == "" {
			fb.AppendNull()
			return
		}
		appendString(fb, s)
	}
	i32 := func(n int) {
		if n == 0 {
			fb.AppendNull()
			return
		}
		fb.(*array.Int32Builder).Append(int32(n))
	}
	i64 := func(n int64, ok bool) {
		if !ok {
			fb.AppendNull()
			return
		}
		fb.(*array.Int64Builder).Append(n)
	}
	ip := func(a netip.Addr) {
		if !a.IsValid() {
			fb.AppendNull()
			return
		}
		bt.scratch = a.AppendTo(bt.scratch[:0])
		fb.(*array.StringBuilder).BinaryBuilder.Append(bt.scratch)
	}
	switch f {
	case event.FieldTime:
		fb.(*array.TimestampBuilder).Append(arrow.Timestamp(ev.Time.UnixMicro()))
	case event.FieldLogType:
		str(ev.LogType)
	case event.FieldSource:
		str(ev.Source)
	case event.FieldEventID:
		// Hash ids are recomputed by the view (see parse.HashID); keep them only when the stored raw
		// differs from the hashed bytes (invalid UTF-8 is escaped in storage).
		if ev.IDFromHash && utf8.Valid(ev.Raw) {
			fb.AppendNull()
		} else {
			str(ev.EventID)
		}
	case event.FieldClassName:
		str(ev.ClassName)
	case event.FieldActivity:
		str(ev.Activity)
	case event.FieldOutcome:
		str(ev.Outcome)
	case event.FieldSeverityID:
		i32(ev.SeverityID)
	case event.FieldDisposition:
		str(ev.Disposition)
	case event.FieldSrcIP:
		ip(ev.SrcIP)
	case event.FieldSrcPort:
		i32(ev.SrcPort)
	case event.FieldDstIP:
		ip(ev.DstIP)
	case event.FieldDstPort:
		i32(ev.DstPort)
	case event.FieldIPProtocol:
		str(ev.IPProtocol)
	case event.FieldHost:
		str(ev.Host)
	case event.FieldActorUser:
		str(ev.ActorUser)
	case event.FieldActorUID:
		str(ev.ActorUID)
	case event.FieldUserAgent:
		str(ev.UserAgent)
	case event.FieldCloudAccount:
		str(ev.CloudAccount)
	case event.FieldCloudRegion:
		str(ev.CloudRegion)
	case event.FieldAPIService:
		str(ev.APIService)
	case event.FieldAPIOperation:
		str(ev.APIOperation)
	case event.FieldHTTPMethod:
		str(ev.HTTPMethod)
	case event.FieldURL:
		str(ev.URL)
	case event.FieldHTTPStatus:
		i32(ev.HTTPStatus)
	case event.FieldDNSQuery:
		str(ev.DNSQuery)
	case event.FieldDNSType:
		str(ev.DNSType)
	case event.FieldDNSRcode:
		str(ev.DNSRcode)
	case event.FieldBytes:
		i64(ev.Bytes, ev.HasTraffic)
	case event.FieldPackets:
		i64(ev.Packets, ev.HasTraffic)
	case event.FieldFileHash:
		str(ev.FileHash)
	case event.FieldSrcCountry:
		str(ev.SrcGeo.Country)
	case event.FieldSrcCity:
		str(ev.SrcGeo.City)
	case event.FieldSrcASN:
		i64(int64(ev.SrcGeo.ASN), ev.SrcGeo.ASN != 0)
	case event.FieldSrcOrg:
		str(ev.SrcGeo.Org)
	case event.FieldSrcNet:
		str(ev.SrcGeo.Net)
	case event.FieldDstCountry:
		str(ev.DstGeo.Country)
	case event.FieldDstCity:
		str(ev.DstGeo.City)
	case event.FieldDstASN:
		i64(int64(ev.DstGeo.ASN), ev.DstGeo.ASN != 0)
	case event.FieldDstOrg:
		str(ev.DstGeo.Org)
	case event.FieldDstNet:
		str(ev.DstGeo.Net)
	case event.FieldIntel:
		if len(ev.Intel) == 0 {
			fb.AppendNull()
		} else {
			bt.scratch = event.AppendIntelJSON(bt.scratch[:0], ev.Intel)
			appendBytes(fb, bt.scratch)
		}
	case event.FieldWarnings:
		warnings := ev.Warnings
		if !utf8.Valid(ev.Raw) {
			warnings = append(warnings[:len(warnings):len(warnings)], "raw record is not valid UTF-8: invalid bytes are shown as \\xNN")
		}
		if len(warnings) == 0 {
			fb.AppendNull()
		} else {
			appendString(fb, strings.Join(warnings, "; "))
		}
	case event.FieldRaw:
		if utf8.Valid(ev.Raw) {
			fb.(*array.StringBuilder).BinaryBuilder.Append(ev.Raw)
		} else {
			bt.scratch = escapeInvalidUTF8(bt.scratch[:0], ev.Raw)
			fb.(*array.StringBuilder).BinaryBuilder.Append(bt.scratch)
		}
	default:
		fb.AppendNull()
	}
}

// appendJSONValue converts a native JSON value to the column's type. Values that do not convert
// (a string in a BIGINT column) are stored as NULL; the raw record keeps them.
func (bt *batch) appendJSONValue(fb array.Builder, t event.ColumnType, v *fastjson.Value) {
	if v == nil || v.Type() == fastjson.TypeNull {
		fb.AppendNull()
		return
	}
	if t == event.JSONType {
		bt.scratch = v.MarshalTo(bt.scratch[:0])
		appendBytes(fb, bt.scratch)
		return
	}
	bt.appendValue(fb, t, event.JSON(v))
}

func (bt *batch) appendValue(fb array.Builder, t event.ColumnType, v event.Value) {
	switch t {
	case event.Varchar:
		if k := v.Kind(); k == event.KindArray || k == event.KindObject {
			bt.scratch = v.AppendJSON(bt.scratch[:0])
			appendBytes(fb, bt.scratch)
			return
		}
		appendString(fb, v.Str())
	case event.JSONType:
		bt.scratch = v.AppendJSON(bt.scratch[:0])
		appendBytes(fb, bt.scratch)
	case event.BigInt:
		if n, ok := v.Int64(); ok {
			fb.(*array.Int64Builder).Append(n)
		} else {
			fb.AppendNull()
		}
	case event.Integer:
		if n, ok := v.Int64(); ok && n >= -1<<31 && n < 1<<31 {
			fb.(*array.Int32Builder).Append(int32(n))
		} else {
			fb.AppendNull()
		}
	case event.Double:
		if f, ok := v.Float(); ok {
			fb.(*array.Float64Builder).Append(f)
		} else {
			fb.AppendNull()
		}
	case event.Boolean:
		if b, ok := v.Bool(); ok {
			fb.(*array.BooleanBuilder).Append(b)
		} else {
			fb.AppendNull()
		}
	case event.Timestamp:
		var ts time.Time
		ok := false
		if v.Kind() == event.KindNumber {
			ts, ok = parse.ParseEpoch(v.Str())
		} else {
			ts, ok = parse.ParseTime(v.Str())
		}
		if ok {
			fb.(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixMicro()))
		} else {
			fb.AppendNull()
		}
	default:
		fb.AppendNull()
	}
}

// appendString stores s, replacing invalid UTF-8 (DuckDB and Parquet strings must be valid).
func appendString(fb array.Builder, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	fb.(*array.StringBuilder).Append(s)
}

func appendBytes(fb array.Builder, b []byte) {
	if !utf8.Valid(b) {
		appendString(fb, string(b))
		return
	}
	fb.(*array.StringBuilder).BinaryBuilder.Append(b)
}

// escapeInvalidUTF8 keeps valid text as is and writes each invalid byte as \xNN, so the raw column
// stays valid UTF-8 and the original bytes can still be read off it.
func escapeInvalidUTF8(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, '\\', 'x', hex[b[0]>>4], hex[b[0]&0xf])
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
}
