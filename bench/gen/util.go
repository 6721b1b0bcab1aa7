package main

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"
const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// appendJSONString appends s as a quoted, escaped JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendQ appends s in quotes without escaping; s must not need escaping.
func appendQ(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendHex appends n random lowercase hex digits.
func appendHex(b []byte, r *rand.Rand, n int) []byte {
	for n > 0 {
		v := r.Uint64()
		for i := 0; i < 16 && n > 0; i++ {
			b = append(b, hexDigits[v&0xf])
			v >>= 4
			n--
		}
	}
	return b
}

// appendUpper appends n random characters from the alphabet of AWS key and principal ids.
func appendUpper(b []byte, r *rand.Rand, n int) []byte {
	for n > 0 {
		v := r.Uint64()
		for i := 0; i < 12 && n > 0; i++ {
			b = append(b, upperAlnum[v&31])
			v >>= 5
			n--
		}
	}
	return b
}

// appendB64 appends n random base64 characters.
func appendB64(b []byte, r *rand.Rand, n int) []byte {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for n > 0 {
		v := r.Uint64()
		for i := 0; i < 10 && n > 0; i++ {
			b = append(b, alpha[v&63])
			v >>= 6
			n--
		}
	}
	return b
}

// appendUUID appends a random version 4 UUID.
func appendUUID(b []byte, r *rand.Rand) []byte {
	hi, lo := r.Uint64(), r.Uint64()
	hi = hi&^(0xf<<12) | 4<<12   // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // variant 10
	var u [16]byte
	for i := 0; i < 8; i++ {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// uuidString returns a random version 4 UUID.
func uuidString(r *rand.Rand) string { return string(appendUUID(nil, r)) }

// hexString returns n random hex digits.
func hexString(r *rand.Rand, n int) string { return string(appendHex(nil, r, n)) }

// upperString returns n random id characters.
func upperString(r *rand.Rand, n int) string { return string(appendUpper(nil, r, n)) }

// weighted picks indexes with fixed relative weights.
type weighted struct {
	cum []float64
}

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	t := 0.0
	for i, x := range w {
		t += x
		cum[i] = t
	}
	return weighted{cum}
}

// zipfWeights returns n weights proportional to 1/(i+1)^s.
func zipfWeights(n int, s float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
	}
	return w
}

func (w weighted) pick(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	return sort.SearchFloat64s(w.cum, x)
}

// publicFirstOctets are first octets of routed, non-reserved IPv4 space commonly seen in logs.
var publicFirstOctets = []int{
	1, 2, 3, 5, 13, 14, 18, 20, 23, 27, 31, 34, 35, 36, 37, 39, 41, 42, 43, 45, 46, 49, 51, 52, 54,
	58, 59, 61, 62, 64, 66, 67, 68, 71, 77, 78, 79, 80, 81, 82, 83, 85, 87, 89, 91, 92, 93, 94, 95,
	101, 103, 104, 106, 107, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
	123, 124, 125, 128, 138, 139, 141, 142, 143, 151, 154, 157, 159, 161, 162, 163, 164, 165, 167,
	170, 171, 175, 176, 177, 178, 179, 180, 181, 182, 183, 185, 186, 187, 188, 189, 190, 191, 193,
	194, 195, 196, 197, 200, 201, 202, 206, 209, 210, 211, 212, 213, 217, 218, 219, 220, 221, 222, 223,
}

// randPublicIP returns a random public-looking IPv4 address; firsts, if not empty, restricts the
// first octet.
func randPublicIP(r *rand.Rand, firsts []int) string {
	if len(firsts) == 0 {
		firsts = publicFirstOctets
	}
	var b []byte
	b = strconv.AppendInt(b, int64(firsts[r.IntN(len(firsts))]), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.IntN(256)), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.IntN(256)), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(1+r.IntN(254)), 10)
	return string(b)
}

// privateIP returns a random address in 10.<second>.0.0/16.
func privateIP(r *rand.Rand, second int) string {
	var b []byte
	b = append(b, "10."...)
	b = strconv.AppendInt(b, int64(second), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.IntN(64)), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(4+r.IntN(250)), 10)
	return string(b)
}

// clock formats Unix seconds, caching the last formatted second.
type clock struct {
	sec    int64
	layout string
	buf    []byte
}

func (c *clock) append(b []byte, sec int64) []byte {
	if c.buf == nil || sec != c.sec {
		c.sec = sec
		c.buf = time.Unix(sec, 0).UTC().AppendFormat(c.buf[:0], c.layout)
	}
	return append(b, c.buf...)
}

// baseTime is where every workload's clock starts: 2025-03-01T00:00:00Z.
var baseTime = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// expInterval returns an exponentially distributed gap with the given mean.
func expInterval(r *rand.Rand, mean float64) float64 { return r.ExpFloat64() * mean }
