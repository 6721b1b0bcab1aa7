package intel

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
)

// meta is what an indicator says besides its value. Feeds give most indicators the same meta, so
// metas are interned and an indicator costs a 4-byte reference.
type meta struct {
	set     uint16
	conf    uint8
	expires int64 // Unix seconds; 0 = never
}

func mergeMeta(a, b meta) meta {
	a.conf = max(a.conf, b.conf)
	if a.expires == 0 || b.expires == 0 {
		a.expires = 0
	} else {
		a.expires = max(a.expires, b.expires)
	}
	return a
}

// payloads stores, for a value found in one or more sets, one meta per set: a single meta
// reference inline, or listFlag|index of a list when several sets hold the value.
type payloads struct {
	metas   []meta
	metaIdx map[meta]uint32
	lists   [][]uint32
}

func (p *payloads) intern(m meta) uint32 {
	if id, ok := p.metaIdx[m]; ok {
		return id
	}
	id := uint32(len(p.metas))
	p.metas = append(p.metas, m)
	p.metaIdx[m] = id
	return id
}

// merge adds meta m to payload old and reports whether the value is new to m's set.
func (p *payloads) merge(old, m uint32) (uint32, bool) {
	mm := p.metas[m]
	if old&listFlag == 0 {
		om := p.metas[old]
		if om.set == mm.set {
			return p.intern(mergeMeta(om, mm)), false
		}
		p.lists = append(p.lists, []uint32{old, m})
		return listFlag | uint32(len(p.lists)-1), true
	}
	l := p.lists[old&^listFlag]
	for i, x := range l {
		if p.metas[x].set == mm.set {
			l[i] = p.intern(mergeMeta(p.metas[x], mm))
			return old, false
		}
	}
	p.lists[old&^listFlag] = append(l, m)
	return old, true
}

func (p *payloads) each(v uint32, fn func(meta)) {
	if v&listFlag == 0 {
		fn(p.metas[v])
		return
	}
	for _, x := range p.lists[v&^listFlag] {
		fn(p.metas[x])
	}
}

type ip4Ent struct{ addr, meta uint32 }

type ip6Ent struct {
	addr u128
	meta uint32
}

// Matcher answers "which indicators does this value match". It is immutable once built, so any
// number of goroutines may use it at once.
//
// Layout, chosen so that millions of indicators stay cheap in memory and a miss costs tens of
// nanoseconds: single IPv4 addresses in a sorted []uint32 with a 65,536-bucket index on the top
// 16 bits (a lookup is one index read and a binary search over ~N/65536 keys); single IPv6
// addresses in a sorted array; networks of both families as disjoint intervals (see intervals);
// domains, URLs and digests in hash maps, digests keyed by their raw bytes so case never matters.
type Matcher struct {
	sets []string
	payloads

	ip4keys []uint32
	ip4vals []uint32
	ip4idx  []uint32 // len 65537: ip4keys[ip4idx[h]:ip4idx[h+1]] have top 16 bits h
	ip6keys []u128
	ip6vals []uint32
	cidrs   []cidrEntry
	nets    intervals

	domains map[string]uint32
	urls    map[string]uint32
	md5     map[[16]byte]uint32
	sha1    map[[20]byte]uint32
	sha256  map[[32]byte]uint32
}

// Sets returns the names of the sets in the matcher.
func (m *Matcher) Sets() []string { return slices.Clone(m.sets) }

// Len returns the number of distinct indicator values indexed (across sets).
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.ip4keys) + len(m.ip6keys) + len(m.cidrs) + len(m.domains) + len(m.urls) + len(m.md5) + len(m.sha1) + len(m.sha256)
}

func alive(mt meta, at int64) bool { return mt.expires == 0 || at < mt.expires }

// hasSet reports whether found already holds a match of set, so that a value matching a host
// and a network of the same set, or several suffixes of a domain, is reported once per set (the
// most specific indicator, which is looked up first).
func hasSet(found []event.IntelMatch, set string) bool {
	for i := range found {
		if found[i].Set == set {
			return true
		}
	}
	return false
}

func (m *Matcher) appendMetas(dst []event.IntelMatch, start int, v uint32, field, indicator string, kind Kind, at int64) []event.IntelMatch {
	m.each(v, func(mt meta) {
		if !alive(mt, at) || hasSet(dst[start:], m.sets[mt.set]) {
			return
		}
		dst = append(dst, event.IntelMatch{Set: m.sets[mt.set], Indicator: indicator, Field: field, Kind: kind.String(), Confidence: int(mt.conf)})
	})
	return dst
}

// AppendIP appends to dst the matches of address a against IP and network indicators, one per set
// (the host indicator, else the most specific network), skipping indicators expired at at (Unix
// seconds). It allocates only when something matches.
func (m *Matcher) AppendIP(dst []event.IntelMatch, field string, a netip.Addr, at int64) []event.IntelMatch {
	if m == nil || !a.IsValid() {
		return dst
	}
	a = a.Unmap()
	start := len(dst)
	if a.Is4() {
		if len(m.ip4keys) > 0 {
			b := a.As4()
			x := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
			lo, hi := int(m.ip4idx[x>>16]), int(m.ip4idx[x>>16+1])
			for lo < hi {
				mid := int(uint(lo+hi) >> 1)
				if m.ip4keys[mid] < x {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			if lo < len(m.ip4keys) && m.ip4keys[lo] == x {
				dst = m.appendMetas(dst, start, m.ip4vals[lo], field, a.String(), KindIP, at)
			}
		}
	} else if len(m.ip6keys) > 0 {
		x := u128From(a)
		i, ok := slices.BinarySearchFunc(m.ip6keys, x, u128.cmp)
		if ok {
			dst = m.appendMetas(dst, start, m.ip6vals[i], field, a.WithZone("").String(), KindIP, at)
		}
	}
	if len(m.cidrs) > 0 {
		if p := m.nets.find(u128From(a)); p != noMatch {
			m.nets.each(p, func(ci uint32) {
				c := &m.cidrs[ci]
				mt := m.metas[c.meta]
				if !alive(mt, at) || hasSet(dst[start:], m.sets[mt.set]) {
					return
				}
				dst = append(dst, event.IntelMatch{Set: m.sets[mt.set], Indicator: c.prefix.String(), Field: field, Kind: KindCIDR.String(), Confidence: int(mt.conf)})
			})
		}
	}
	return dst
}

// AppendDomain appends the matches of a DNS name against domain indicators: an indicator matches
// the name itself and every name below it (evil.example matches a.b.evil.example, not
// notevil.example). The walk tries the name, then each parent, so the cost is one map lookup per
// label, without allocation unless the name has upper-case letters or something matches.
func (m *Matcher) AppendDomain(dst []event.IntelMatch, field, name string, at int64) []event.IntelMatch {
	if m == nil || len(m.domains) == 0 || name == "" {
		return dst
	}
	name = strings.TrimSuffix(name, ".")
	var buf [128]byte
	if hasUpper(name) {
		name = string(appendLower(buf[:0], name))
	}
	start := len(dst)
	for s := name; ; {
		if v, ok := m.domains[s]; ok {
			dst = m.appendMetas(dst, start, v, field, strings.Clone(s), KindDomain, at)
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	return dst
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// AppendURL appends the matches of a URL against URL indicators (after normalizing both the same
// way) and of its host against domain or IP indicators. A relative URL (a path, as in web server
// logs) matches nothing.
func (m *Matcher) AppendURL(dst []event.IntelMatch, field, raw string, at int64) []event.IntelMatch {
	if m == nil || raw == "" || len(m.urls) == 0 && len(m.domains) == 0 && len(m.ip4keys)+len(m.ip6keys)+len(m.cidrs) == 0 {
		return dst
	}
	var buf [256]byte
	norm, host, ok := appendNormURL(buf[:0], raw)
	if !ok {
		return dst
	}
	if len(m.urls) > 0 {
		if v, ok := m.urls[string(norm)]; ok {
			dst = m.appendMetas(dst, len(dst), v, field, string(norm), KindURL, at)
		}
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return m.AppendIP(dst, field, a, at)
	}
	return m.AppendDomain(dst, field, host, at)
}

// AppendHash appends the matches of a hex digest (any case, MD5, SHA-1 or SHA-256 told apart by
// length) against hash indicators.
func (m *Matcher) AppendHash(dst []event.IntelMatch, field, digest string, at int64) []event.IntelMatch {
	if m == nil || len(digest) < 32 || len(m.md5)+len(m.sha1)+len(m.sha256) == 0 {
		return dst
	}
	k, raw, ok := decodeHash(digest)
	if !ok {
		return dst
	}
	var v uint32
	switch k {
	case KindMD5:
		v, ok = m.md5[[16]byte(raw[:16])]
	case KindSHA1:
		v, ok = m.sha1[[20]byte(raw[:20])]
	case KindSHA256:
		v, ok = m.sha256[raw]
	}
	if !ok {
		return dst
	}
	n := 16
	switch k {
	case KindSHA1:
		n = 20
	case KindSHA256:
		n = 32
	}
	return m.appendMetas(dst, len(dst), v, field, hex.EncodeToString(raw[:n]), k, at)
}

// decodeHash decodes without allocating (normHash, for loading, returns a string).
func decodeHash(s string) (Kind, [32]byte, bool) {
	var out [32]byte
	var k Kind
	switch len(s) {
	case 32:
		k = KindMD5
	case 40:
		k = KindSHA1
	case 64:
		k = KindSHA256
	default:
		return 0, out, false
	}
	for i := 0; i < len(s); i += 2 {
		h, ok1 := unhex(s[i])
		l, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return 0, out, false
		}
		out[i/2] = h<<4 | l
	}
	return k, out, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// SetStats counts what one set holds.
type SetStats struct {
	Name string
	// Indicators is the number of distinct indicators loaded (duplicates within the set merged).
	Indicators int
	// ByKind counts them per kind name.
	ByKind map[string]int
	// Expired counts indicators dropped because they had expired when loaded.
	Expired int
	// Skipped counts values that could not be used (bad lines, unsupported STIX patterns).
	Skipped int
	Files   []FileReport
}

// Builder collects indicators of one or more sets and builds a Matcher. It is not safe for
// concurrent use.
type Builder struct {
	now  time.Time
	sets []*SetStats
	payloads
	ip4     []ip4Ent
	ip6     []ip6Ent
	cidrs   []cidrEntry
	domains map[string]uint32
	urls    map[string]uint32
	md5     map[[16]byte]uint32
	sha1    map[[20]byte]uint32
	sha256  map[[32]byte]uint32
}

// NewBuilder returns an empty Builder. Indicators that have expired at now are dropped and
// counted.
func NewBuilder(now time.Time) *Builder {
	return &Builder{
		now:      now,
		payloads: payloads{metaIdx: map[meta]uint32{}},
		domains:  map[string]uint32{},
		urls:     map[string]uint32{},
		md5:      map[[16]byte]uint32{},
		sha1:     map[[20]byte]uint32{},
		sha256:   map[[32]byte]uint32{},
	}
}

// MaxSets is the number of distinct sets a Matcher can hold.
const MaxSets = 1 << 16

func (b *Builder) set(name string) (uint16, *SetStats, error) {
	for i, s := range b.sets {
		if s.Name == name {
			return uint16(i), s, nil
		}
	}
	if len(b.sets) >= MaxSets {
		return 0, nil, fmt.Errorf("more than %d intel sets", MaxSets)
	}
	s := &SetStats{Name: name, ByKind: map[string]int{}}
	b.sets = append(b.sets, s)
	return uint16(len(b.sets) - 1), s, nil
}

// Indicator is one indicator as read from a feed, before normalization.
type Indicator struct {
	Value string
	// Kind is KindAuto to detect it from Value.
	Kind Kind
	// Confidence is 0–100, or -1 to use the set's.
	Confidence int
	// Expires is the zero Time for "as long as the set".
	Expires time.Time
}

// SetOptions are the properties of a set (or of one file of it) applied to every indicator.
type SetOptions struct {
	// Confidence is the default confidence, 0–100; 0 means 50.
	Confidence int
	// Expires, when not zero, ends the validity of every indicator.
	Expires time.Time
}

// DefaultConfidence is the confidence of indicators whose set and feed say nothing.
const DefaultConfidence = 50

// add normalizes and indexes one indicator. It returns errExpired for an expired indicator.
func (b *Builder) add(setID uint16, st *SetStats, opts SetOptions, ind Indicator) error {
	n, err := normalize(ind.Kind, ind.Value)
	if err != nil {
		return err
	}
	conf := opts.Confidence
	if conf == 0 {
		conf = DefaultConfidence
	}
	if ind.Confidence >= 0 {
		conf = ind.Confidence
	}
	conf = min(max(conf, 0), 100)
	exp := opts.Expires
	if !ind.Expires.IsZero() && (exp.IsZero() || ind.Expires.Before(exp)) {
		exp = ind.Expires
	}
	if !exp.IsZero() && !b.now.Before(exp) {
		return errExpired
	}
	mt := meta{set: setID, conf: uint8(conf)}
	if !exp.IsZero() {
		mt.expires = exp.Unix()
	}
	id := b.intern(mt)
	switch n.kind {
	case KindIP:
		a := n.prefix.Addr()
		if a.Is4() {
			v := a.As4()
			b.ip4 = append(b.ip4, ip4Ent{uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3]), id})
		} else {
			b.ip6 = append(b.ip6, ip6Ent{u128From(a), id})
		}
		return nil // counted in Build, after duplicates are merged
	case KindCIDR:
		p := n.prefix
		bits := p.Bits()
		if p.Addr().Is4() {
			bits += 96
		}
		s := u128From(p.Addr())
		b.cidrs = append(b.cidrs, cidrEntry{start: s, end: lastOf(s, bits), bits6: bits, prefix: p, meta: id})
		return nil
	case KindDomain:
		addMap(b, st, b.domains, n.key, id, n.kind)
	case KindURL:
		addMap(b, st, b.urls, n.key, id, n.kind)
	case KindMD5:
		addMap(b, st, b.md5, [16]byte([]byte(n.key)), id, n.kind)
	case KindSHA1:
		addMap(b, st, b.sha1, [20]byte([]byte(n.key)), id, n.kind)
	case KindSHA256:
		addMap(b, st, b.sha256, [32]byte([]byte(n.key)), id, n.kind)
	}
	return nil
}

func addMap[K comparable](b *Builder, st *SetStats, m map[K]uint32, k K, id uint32, kind Kind) {
	old, ok := m[k]
	if !ok {
		m[k] = id
		st.Indicators++
		st.ByKind[kind.String()]++
		return
	}
	v, isNew := b.merge(old, id)
	m[k] = v
	if isNew {
		st.Indicators++
		st.ByKind[kind.String()]++
	}
}

// Build sorts and indexes everything added and returns the Matcher. The Builder must not be used
// afterwards.
func (b *Builder) Build() *Matcher {
	m := &Matcher{
		domains: b.domains, urls: b.urls, md5: b.md5, sha1: b.sha1, sha256: b.sha256,
	}
	count := func(id uint32, kind Kind) {
		st := b.sets[b.metas[id].set]
		st.Indicators++
		st.ByKind[kind.String()]++
	}

	slices.SortFunc(b.ip4, func(x, y ip4Ent) int {
		return cmp.Or(cmp.Compare(x.addr, y.addr), cmp.Compare(b.metas[x.meta].set, b.metas[y.meta].set))
	})
	m.ip4keys = make([]uint32, 0, len(b.ip4))
	m.ip4vals = make([]uint32, 0, len(b.ip4))
	for _, e := range b.ip4 {
		if n := len(m.ip4keys); n > 0 && m.ip4keys[n-1] == e.addr {
			v, isNew := b.merge(m.ip4vals[n-1], e.meta)
			m.ip4vals[n-1] = v
			if isNew {
				count(e.meta, KindIP)
			}
			continue
		}
		m.ip4keys = append(m.ip4keys, e.addr)
		m.ip4vals = append(m.ip4vals, e.meta)
		count(e.meta, KindIP)
	}
	b.ip4 = nil
	m.ip4keys, m.ip4vals = slices.Clip(m.ip4keys), slices.Clip(m.ip4vals)
	if len(m.ip4keys) > 0 {
		m.ip4idx = make([]uint32, 1<<16+1)
		j := 0
		for h := range 1 << 16 {
			for j < len(m.ip4keys) && int(m.ip4keys[j]>>16) < h {
				j++
			}
			m.ip4idx[h] = uint32(j)
		}
		m.ip4idx[1<<16] = uint32(len(m.ip4keys))
	}

	slices.SortFunc(b.ip6, func(x, y ip6Ent) int {
		return cmp.Or(x.addr.cmp(y.addr), cmp.Compare(b.metas[x.meta].set, b.metas[y.meta].set))
	})
	for _, e := range b.ip6 {
		if n := len(m.ip6keys); n > 0 && m.ip6keys[n-1] == e.addr {
			v, isNew := b.merge(m.ip6vals[n-1], e.meta)
			m.ip6vals[n-1] = v
			if isNew {
				count(e.meta, KindIP)
			}
			continue
		}
		m.ip6keys = append(m.ip6keys, e.addr)
		m.ip6vals = append(m.ip6vals, e.meta)
		count(e.meta, KindIP)
	}
	b.ip6 = nil

	// Networks: one entry per (network, set); the sweep needs outer networks before inner ones.
	slices.SortFunc(b.cidrs, func(x, y cidrEntry) int {
		return cmp.Or(x.start.cmp(y.start), cmp.Compare(x.bits6, y.bits6), cmp.Compare(b.metas[x.meta].set, b.metas[y.meta].set))
	})
	cidrs := b.cidrs[:0]
	for _, c := range b.cidrs {
		if n := len(cidrs); n > 0 && cidrs[n-1].start == c.start && cidrs[n-1].bits6 == c.bits6 && b.metas[cidrs[n-1].meta].set == b.metas[c.meta].set {
			cidrs[n-1].meta = b.intern(mergeMeta(b.metas[cidrs[n-1].meta], b.metas[c.meta]))
			continue
		}
		cidrs = append(cidrs, c)
		count(c.meta, KindCIDR)
	}
	m.cidrs = slices.Clip(cidrs)
	b.cidrs = nil
	m.nets = buildIntervals(m.cidrs, b.metas)

	m.payloads = payloads{metas: b.metas, lists: b.lists}
	for _, s := range b.sets {
		m.sets = append(m.sets, s.Name)
	}
	return m
}

// Stats returns the per-set counts. After Build they include every indicator.
func (b *Builder) Stats() []SetStats {
	out := make([]SetStats, len(b.sets))
	for i, s := range b.sets {
		out[i] = *s
	}
	return out
}
