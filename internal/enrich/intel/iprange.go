package intel

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// u128 is an IPv6 address (IPv4 as ::ffff:a.b.c.d) as a number, for ordering and range arithmetic.
type u128 struct{ hi, lo uint64 }

func u128From(a netip.Addr) u128 {
	b := a.As16()
	return u128{
		hi: uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 | uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7]),
		lo: uint64(b[8])<<56 | uint64(b[9])<<48 | uint64(b[10])<<40 | uint64(b[11])<<32 | uint64(b[12])<<24 | uint64(b[13])<<16 | uint64(b[14])<<8 | uint64(b[15]),
	}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

func (a u128) cmp(b u128) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	}
	return 0
}

// inc returns a+1 and false when a is the largest address (no successor).
func (a u128) inc() (u128, bool) {
	if a.lo == ^uint64(0) {
		if a.hi == ^uint64(0) {
			return a, false
		}
		return u128{a.hi + 1, 0}, true
	}
	return u128{a.hi, a.lo + 1}, true
}

// lastOf returns the last address of a prefix given in IPv6 bit numbering.
func lastOf(start u128, bits int) u128 {
	switch {
	case bits >= 128:
		return start
	case bits >= 64:
		return u128{start.hi, start.lo | (^uint64(0) >> (bits - 64))}
	case bits == 0:
		return u128{^uint64(0), ^uint64(0)}
	}
	return u128{start.hi | (^uint64(0) >> bits), ^uint64(0)}
}

// cidrEntry is one network indicator of one set.
type cidrEntry struct {
	start, end u128
	bits6      int // prefix length in IPv6 numbering (IPv4 /n is /96+n)
	prefix     netip.Prefix
	meta       uint32
}

// intervals is the network index: the address space cut into disjoint intervals, each labelled
// with the networks covering it (the most specific per set). A lookup is one binary search.
// Because CIDR networks are nested or disjoint, the cut is computed in one sorted sweep with a
// stack, and there are at most two boundaries per network.
type intervals struct {
	starts []u128
	// vals[i] describes [starts[i], starts[i+1]): noMatch, a cidr index, or listFlag|index into lists.
	vals  []uint32
	lists [][]uint32
}

const (
	noMatch  = ^uint32(0)
	listFlag = uint32(1) << 31
)

func buildIntervals(cidrs []cidrEntry, metas []meta) intervals {
	var iv intervals
	memo := map[string]uint32{}
	var stack []uint32
	var key strings.Builder
	payload := func() uint32 {
		switch len(stack) {
		case 0:
			return noMatch
		case 1:
			return stack[0]
		}
		// The most specific network of each set: the stack holds outer networks below inner ones.
		var out []uint32
		for i := len(stack) - 1; i >= 0; i-- {
			set := metas[cidrs[stack[i]].meta].set
			dup := false
			for _, o := range out {
				if metas[cidrs[o].meta].set == set {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, stack[i])
			}
		}
		if len(out) == 1 {
			return out[0]
		}
		key.Reset()
		for _, o := range out {
			key.WriteString(strconv.FormatUint(uint64(o), 36))
			key.WriteByte(',')
		}
		if id, ok := memo[key.String()]; ok {
			return id
		}
		id := listFlag | uint32(len(iv.lists))
		iv.lists = append(iv.lists, out)
		memo[key.String()] = id
		return id
	}
	emit := func(pos u128, p uint32) {
		n := len(iv.starts)
		if n > 0 && iv.starts[n-1] == pos {
			iv.vals[n-1] = p
			return
		}
		if n > 0 && iv.vals[n-1] == p {
			return
		}
		iv.starts = append(iv.starts, pos)
		iv.vals = append(iv.vals, p)
	}
	pop := func() {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if next, ok := cidrs[top].end.inc(); ok {
			emit(next, payload())
		}
	}
	for i := range cidrs {
		c := &cidrs[i]
		for len(stack) > 0 && cidrs[stack[len(stack)-1]].end.less(c.start) {
			pop()
		}
		stack = append(stack, uint32(i))
		emit(c.start, payload())
	}
	for len(stack) > 0 {
		pop()
	}
	iv.starts = slices.Clip(iv.starts)
	iv.vals = slices.Clip(iv.vals)
	return iv
}

// find returns the payload of the interval holding x.
func (iv *intervals) find(x u128) uint32 {
	lo, hi := 0, len(iv.starts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.less(iv.starts[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo == 0 {
		return noMatch
	}
	return iv.vals[lo-1]
}

// each calls fn for every cidr index in payload p.
func (iv *intervals) each(p uint32, fn func(uint32)) {
	if p == noMatch {
		return
	}
	if p&listFlag != 0 {
		for _, c := range iv.lists[p&^listFlag] {
			fn(c)
		}
		return
	}
	fn(p)
}
