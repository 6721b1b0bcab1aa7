package geoip

import (
	"encoding/binary"
	"net/netip"
	"sync/atomic"
)

// DefaultCacheSize is the number of addresses the lookup cache holds when Options.CacheSize is 0:
// 65,536 slots of 8 bytes plus at most as many entries of about 100 bytes, some 7 MiB in all. Log
// data is dominated by a few thousand busy addresses (a scanner, the sensors themselves, a NAT
// gateway), so this keeps nearly every repeat away from the databases.
const DefaultCacheSize = 1 << 16

// cache is a fixed-size, two-way set-associative cache of lookup results. Each slot holds a pointer
// to an immutable entry, swapped atomically: readers take no lock and never wait for each other,
// which matters because every enriching goroutine reads it twice per event. An address may live in
// either slot of its pair; a new one goes into the first slot and pushes the previous occupant into
// the second, so two busy addresses that hash alike do not evict each other on every event. There
// are no lists and no eviction bookkeeping, and the bound is exact (one live entry per slot). Two
// racing writers may drop an entry; that costs one more database lookup, never a wrong answer.
type cache struct {
	shift uint // 64 - log2(len(slots)): the index is the top bits of the multiplicative hash
	slots []atomic.Pointer[cacheEntry]
}

type cacheEntry struct {
	addr netip.Addr
	rec  Record
}

func newCache(size int) *cache {
	n, bits := 2, uint(1)
	for n < size {
		n <<= 1
		bits++
	}
	return &cache{shift: 64 - bits, slots: make([]atomic.Pointer[cacheEntry], n)}
}

// size returns the number of entries the cache can hold.
func (c *cache) size() int { return len(c.slots) }

func hashAddr(a netip.Addr) uint64 {
	var h uint64
	if a.Is4() {
		b := a.As4()
		h = uint64(binary.BigEndian.Uint32(b[:])) * 0x9e3779b97f4a7c15
	} else {
		b := a.As16()
		h = binary.BigEndian.Uint64(b[:8])*0x9e3779b97f4a7c15 ^ binary.BigEndian.Uint64(b[8:])*0xc2b2ae3d27d4eb4f
	}
	return h
}

func (c *cache) get(a netip.Addr) (Record, bool) {
	i := hashAddr(a) >> c.shift
	if e := c.slots[i].Load(); e != nil && e.addr == a {
		return e.rec, true
	}
	if e := c.slots[i^1].Load(); e != nil && e.addr == a {
		return e.rec, true
	}
	return Record{}, false
}

func (c *cache) put(a netip.Addr, r Record) {
	i := hashAddr(a) >> c.shift
	if old := c.slots[i].Swap(&cacheEntry{addr: a, rec: r}); old != nil && old.addr != a {
		c.slots[i^1].Store(old)
	}
}
