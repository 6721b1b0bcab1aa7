// Package vpcflow parses AWS VPC Flow Logs, versions 2 to 10, as delivered to S3 (files that start
// with a header line naming the fields, possibly concatenated so that headers recur mid-input) or to
// CloudWatch Logs (lines in the default version 2 format, without a header).
//
// Flow logs are the highest-volume AWS log, so Parse splits the line by hand into slices that alias
// the record and reuses one Row per parser: it allocates nothing per record.
package vpcflow

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// field describes one documented flow log field.
type field struct {
	name    string
	typ     event.ColumnType
	version int
	doc     string
}

// fields lists every documented field in the order of the AWS "available fields" table; the default
// format is the first 14 of them.
var fields = []field{
	{"version", event.Integer, 2, "Flow log version: the highest version among the fields of the format."},
	{"account-id", event.Varchar, 2, "Account that owns the network interface (\"unknown\" for interfaces of AWS services)."},
	{"interface-id", event.Varchar, 2, "Network interface the traffic was recorded on."},
	{"srcaddr", event.Varchar, 2, "Source address (for outgoing traffic the interface's private address); see pkt_srcaddr."},
	{"dstaddr", event.Varchar, 2, "Destination address (for incoming traffic the interface's private address); see pkt_dstaddr."},
	{"srcport", event.Integer, 2, "Source port."},
	{"dstport", event.Integer, 2, "Destination port."},
	{"protocol", event.Integer, 2, "IANA protocol number (6 TCP, 17 UDP, 1 ICMP)."},
	{"packets", event.BigInt, 2, "Packets transferred during the flow."},
	{"bytes", event.BigInt, 2, "Bytes transferred during the flow."},
	{"start", event.BigInt, 2, "Time of the first packet of the flow in the aggregation interval, Unix seconds."},
	{"end", event.BigInt, 2, "Time of the last packet of the flow in the aggregation interval, Unix seconds."},
	{"action", event.Varchar, 2, "ACCEPT or REJECT (security groups and network ACLs)."},
	{"log-status", event.Varchar, 2, "OK, NODATA (no traffic in the interval) or SKIPDATA (records skipped)."},
	{"vpc-id", event.Varchar, 3, "VPC of the network interface."},
	{"subnet-id", event.Varchar, 3, "Subnet of the network interface."},
	{"instance-id", event.Varchar, 3, "Instance the network interface is attached to, if you own it."},
	{"tcp-flags", event.Integer, 3, "Bitmask of the TCP flags seen in the interval (FIN 1, SYN 2, RST 4, SYN-ACK 18)."},
	{"type", event.Varchar, 3, "Traffic type: IPv4, IPv6 or EFA."},
	{"pkt-srcaddr", event.Varchar, 3, "Packet-level source address (the original source behind a NAT gateway or middlebox)."},
	{"pkt-dstaddr", event.Varchar, 3, "Packet-level destination address."},
	{"region", event.Varchar, 4, "Region of the network interface."},
	{"az-id", event.Varchar, 4, "Availability Zone id of the network interface."},
	{"sublocation-type", event.Varchar, 4, "wavelength, outpost or localzone when the interface is in a sublocation."},
	{"sublocation-id", event.Varchar, 4, "Id of the sublocation."},
	{"pkt-src-aws-service", event.Varchar, 5, "AWS service owning the packet-level source address (S3, EC2, ROUTE53 ...)."},
	{"pkt-dst-aws-service", event.Varchar, 5, "AWS service owning the packet-level destination address."},
	{"flow-direction", event.Varchar, 5, "ingress or egress, relative to the interface."},
	{"traffic-path", event.Integer, 5, "Path egress traffic took: 1 same VPC, 2 internet gateway, 3 virtual private gateway, 4 intra-region peering, 5 inter-region peering, 6 local gateway, 7 VPC endpoint, 8 internet gateway."},
	{"ecs-cluster-arn", event.Varchar, 7, "ECS cluster of the task the traffic belongs to."},
	{"ecs-cluster-name", event.Varchar, 7, "ECS cluster name."},
	{"ecs-container-instance-arn", event.Varchar, 7, "ECS container instance (EC2 launch type)."},
	{"ecs-container-instance-id", event.Varchar, 7, "ECS container instance id."},
	{"ecs-container-id", event.Varchar, 7, "Docker id of the task's container."},
	{"ecs-second-container-id", event.Varchar, 7, "Docker id of a second container of the task."},
	{"ecs-service-name", event.Varchar, 7, "ECS service of the task."},
	{"ecs-task-definition-arn", event.Varchar, 7, "ECS task definition."},
	{"ecs-task-arn", event.Varchar, 7, "ECS task."},
	{"ecs-task-id", event.Varchar, 7, "ECS task id."},
	{"reject-reason", event.Varchar, 8, "Why traffic was rejected (BPA: blocked by VPC Block Public Access)."},
	{"resource-id", event.Varchar, 9, "Resource behind the interface (a NAT gateway's id)."},
	{"encryption-status", event.Varchar, 10, "Whether the traffic was encrypted in transit (0 not encrypted, 1 Nitro-encrypted, 2 application-encrypted, 3 both)."},
}

// defaultFields is the number of leading fields that make up the default format.
const defaultFields = 14

// knownField maps a documented field name to its position in fields.
var knownField = func() map[string]int {
	m := make(map[string]int, len(fields))
	for i, f := range fields {
		m[f.name] = i
	}
	return m
}()

// Format is the vpcflow log type.
var Format = &parse.Format{
	Name:  "vpcflow",
	Title: "AWS VPC Flow Logs",
	Doc: "Network flows recorded on the network interfaces of a VPC, versions 2 to 10. Accepted as delivered to S3 " +
		"(a header line naming the fields, then one flow per line; the header sets the field order for the lines " +
		"that follow and may recur when files are concatenated), or as CloudWatch Logs lines in the default version 2 " +
		"format (version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action " +
		"log-status) without a header, also inside CloudWatch Logs subscription payloads. A custom format without its " +
		"header cannot be read and is dead-lettered. '-' marks an absent value. The event time is the flow's start.",
	Kind:    parse.Text,
	Detect:  detect,
	Columns: columns(),
	New:     func() parse.Parser { return newParser() },
}

func init() { parse.Register(Format) }

// coreAliases are the fields whose value a core column holds verbatim: the store keeps them once.
var coreAliases = map[string]string{"srcaddr": "src_ip", "dstaddr": "dst_ip", "account-id": "cloud_account", "region": "cloud_region"}

// columns lists every documented field except packets and bytes, which the core columns hold.
func columns() []parse.Column {
	out := make([]parse.Column, 0, len(fields))
	for _, f := range fields {
		if f.name == "packets" || f.name == "bytes" {
			continue
		}
		out = append(out, parse.Column{Name: strings.ReplaceAll(f.name, "-", "_"), Type: f.typ, Doc: f.doc, Core: coreAliases[f.name]})
	}
	return out
}

// layout is a field order with what Parse needs to read it: the shared Schema, the kind of each
// field, and the positions of the fields the core columns come from (-1 when absent).
type layout struct {
	schema  *event.Schema
	typed   []event.Kind
	numeric []bool
	// fromHeader says whether a header named the fields; it only changes the wording of errors.
	fromHeader bool

	version, account, iface, src, dst, sport, dport, proto, packets, bytes, start, end,
	action, status, region, instance int
}

func newLayout(names []string, fromHeader bool) *layout {
	l := &layout{schema: event.NewSchema(names...), typed: make([]event.Kind, len(names)), numeric: make([]bool, len(names)), fromHeader: fromHeader}
	pos := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		return -1
	}
	for i, n := range names {
		l.typed[i] = event.KindString
		if k, ok := knownField[n]; ok && fields[k].typ != event.Varchar {
			l.typed[i] = event.KindNumber
			l.numeric[i] = true
		}
	}
	l.version, l.account, l.iface = pos("version"), pos("account-id"), pos("interface-id")
	l.src, l.dst, l.sport, l.dport, l.proto = pos("srcaddr"), pos("dstaddr"), pos("srcport"), pos("dstport"), pos("protocol")
	l.packets, l.bytes, l.start, l.end = pos("packets"), pos("bytes"), pos("start"), pos("end")
	l.action, l.status, l.region, l.instance = pos("action"), pos("log-status"), pos("region"), pos("instance-id")
	return l
}

// defaultLayout is shared by every parser: CloudWatch Logs lines and header-less files use it.
var defaultLayout = func() *layout {
	names := make([]string, defaultFields)
	for i := range names {
		names[i] = fields[i].name
	}
	return newLayout(names, false)
}()

type parser struct {
	lay *layout
	// layouts caches the layouts of the headers seen, so that concatenated files repeating one
	// header do not rebuild it.
	layouts map[string]*layout
	row     event.Row
	missing []bool
	values  []string
	hashBuf []byte
	// idBuf holds the event id; each event's id aliases it until the next record.
	idBuf [32]byte
}

func newParser() *parser {
	p := &parser{lay: defaultLayout}
	p.use(defaultLayout)
	return p
}

func (p *parser) use(l *layout) {
	p.lay = l
	n := len(l.typed)
	if cap(p.values) < n {
		p.values = make([]string, n)
		p.missing = make([]bool, n)
	}
	p.values, p.missing = p.values[:n], p.missing[:n]
	p.row = event.Row{Schema: l.schema, Values: p.values, Missing: p.missing, Typed: l.typed}
}

var errEmpty = errors.New("vpcflow: expected a flow log record, found an empty line")

// Parse implements parse.Parser.
func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	if len(rec.Data) == 0 {
		return errEmpty
	}
	// The strings below alias rec.Data, which the contract allows for the lifetime of the event.
	line := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	// Data lines start with a digit or '-', headers with a field name: skip the header check for
	// the common case.
	if c := line[0]; c >= 'a' && c <= 'z' && isHeader(line) {
		p.header(line)
		return parse.ErrSkip
	}
	l := p.lay
	n, bad := 0, -1
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		if n < len(p.values) {
			v := line[i:j]
			if v == "-" {
				p.values[n], p.missing[n] = "", true
			} else {
				if l.numeric[n] && !digits(v) && bad < 0 {
					bad = n
				}
				p.values[n], p.missing[n] = v, false
			}
		}
		n++
		i = j
	}
	// A wrong field count explains a misplaced non-number too, so it is reported first.
	if n != len(p.values) {
		if l.fromHeader {
			return fmt.Errorf("vpcflow: expected %d fields as named by the header line, got %d", len(p.values), n)
		}
		return fmt.Errorf("vpcflow: expected %d fields of the default v2 format, got %d (a custom format needs its header line)", len(p.values), n)
	}
	if bad >= 0 {
		return fmt.Errorf("vpcflow: %s should be a number, found %q", l.schema.Names()[bad], clip(p.values[bad]))
	}
	ev.Fields = &p.row
	ev.ClassName = "Network Activity"
	if l.start >= 0 && !p.missing[l.start] {
		ev.Time = time.Unix(atoi(p.values[l.start]), 0).UTC()
	} else if l.end >= 0 && !p.missing[l.end] {
		ev.Time = time.Unix(atoi(p.values[l.end]), 0).UTC()
	}
	ev.SrcIP = p.addr(l.src)
	ev.DstIP = p.addr(l.dst)
	ev.SrcPort = p.port(l.sport)
	ev.DstPort = p.port(l.dport)
	if s := p.get(l.proto); s != "" {
		ev.IPProtocol = protocolName(s)
	}
	if s := p.get(l.bytes); s != "" {
		ev.Bytes, ev.HasTraffic = atoi(s), true
	}
	if s := p.get(l.packets); s != "" {
		ev.Packets, ev.HasTraffic = atoi(s), true
	}
	switch action := p.get(l.action); action {
	case "ACCEPT":
		ev.Activity, ev.Disposition = action, "allowed"
	case "REJECT":
		ev.Activity, ev.Disposition = action, "denied"
	case "":
		ev.Activity = p.get(l.status)
	default:
		ev.Activity = action
	}
	ev.CloudAccount = p.get(l.account)
	ev.CloudRegion = p.get(l.region)
	if ev.Host = p.get(l.instance); ev.Host == "" {
		ev.Host = p.get(l.iface)
	}
	ev.EventID = p.eventID(rec.Data)
	ev.IDFromHash = true
	return nil
}

// eventID computes the id the decoder would give the record (parse.HashID) into a buffer the parser
// reuses: at hundreds of thousands of flows a second the decoder's two allocations per record show.
func (p *parser) eventID(raw []byte) string {
	p.hashBuf = append(append(append(p.hashBuf[:0], Format.Name...), ':'), raw...)
	sum := md5.Sum(p.hashBuf)
	hex.Encode(p.idBuf[:], sum[:])
	return unsafe.String(&p.idBuf[0], len(p.idBuf))
}

// protocolName names the common protocols without the map lookup of parse.ProtocolName.
func protocolName(s string) string {
	switch s {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	}
	return parse.ProtocolName(int(atoi(s)))
}

// get returns the value at position i, "" when the layout lacks the field or the value is absent.
func (p *parser) get(i int) string {
	if i < 0 || p.missing[i] {
		return ""
	}
	return p.values[i]
}

func (p *parser) addr(i int) netip.Addr {
	s := p.get(i)
	if s == "" {
		return netip.Addr{}
	}
	return parse.ParseIP(s)
}

func (p *parser) port(i int) int {
	n := atoi(p.get(i))
	if n > 65535 {
		return 0
	}
	return int(n)
}

// header switches to the field order a header line names.
func (p *parser) header(line string) {
	if l, ok := p.layouts[line]; ok {
		p.use(l)
		return
	}
	// The layout outlives this record, and line aliases the decoder's read buffer: copy it first.
	names := strings.Fields(strings.Clone(line))
	l := newLayout(names, true)
	if p.layouts == nil {
		p.layouts = map[string]*layout{}
	}
	// Bound the cache: an input with ever-changing headers is not worth remembering.
	if len(p.layouts) < 64 {
		p.layouts[strings.Clone(line)] = l
	}
	p.use(l)
}

// isHeader reports whether line is a field list: its first word a documented field name and every
// word shaped like one (lower-case letters, digits and '-'), so that fields AWS adds later are kept.
func isHeader(line string) bool {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	for j < len(line) && line[j] != ' ' && line[j] != '\t' {
		j++
	}
	if _, ok := knownField[line[i:j]]; !ok {
		return false
	}
	for k := j; k < len(line); k++ {
		c := line[k]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == ' ' || c == '\t') {
			return false
		}
	}
	return true
}

// digits reports whether s is a non-empty run of ASCII digits short enough for an int64 and without
// leading zeros: numeric fields go into the event's JSON as their text, which must be a JSON number.
func digits(s string) bool {
	if len(s) == 0 || len(s) > 18 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string that digits accepted (Parse checks every numeric field while splitting);
// for anything else the result is meaningless but harmless.
func atoi(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// detect scores a header line 100 and a line of the default format 90. Other lines get at most 40
// when they carry flow-log tokens (an eni- id and an action or status), so that a custom-format line
// whose header is missing is dead-lettered by this type with a reason saying so.
func detect(rec *parse.Record) int {
	line := string(rec.Data)
	if isHeader(line) {
		if len(strings.Fields(line)) >= 2 {
			return 100
		}
		return 0
	}
	var f [defaultFields + 1]string
	n := 0
	eni, verdict := false, false
	for _, w := range strings.Fields(line) {
		if n < len(f) {
			f[n] = w
		}
		n++
		if strings.HasPrefix(w, "eni-") {
			eni = true
		}
		switch w {
		case "ACCEPT", "REJECT", "NODATA", "SKIPDATA":
			verdict = true
		}
	}
	if n == defaultFields && isDefault(f[:defaultFields]) {
		return 90
	}
	if eni && verdict {
		return 40
	}
	return 0
}

// isDefault checks the fields of a default-format line that have a fixed shape.
func isDefault(f []string) bool {
	if len(f[0]) > 2 || !digits(f[0]) || atoi(f[0]) < 2 {
		return false
	}
	if f[1] != "unknown" && f[1] != "-" && (len(f[1]) != 12 || !digits(f[1])) {
		return false
	}
	if !strings.HasPrefix(f[2], "eni-") && f[2] != "-" {
		return false
	}
	for _, i := range []int{5, 6, 7, 8, 9, 10, 11} {
		if f[i] != "-" && !digits(f[i]) {
			return false
		}
	}
	switch f[12] {
	case "ACCEPT", "REJECT", "-":
	default:
		return false
	}
	switch f[13] {
	case "OK", "NODATA", "SKIPDATA":
		return true
	}
	return false
}
