package geoip

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"
)

// Record is what a database set knows about one public address. Strings are shared with the
// cache and must not be modified (they are immutable Go strings, so that is automatic).
type Record struct {
	// Country is the ISO 3166-1 alpha-2 code.
	Country string
	// City is the English city name.
	City string
	// ASN is the autonomous system number, 0 when unknown.
	ASN uint32
	// Org is the autonomous system's organisation.
	Org string
}

// IsZero reports whether nothing is known.
func (r Record) IsZero() bool { return r == Record{} }

// record decodes any of the supported schemas in one pass over the top-level map, reading only the
// handful of keys Yagura keeps. The reflection decoder would build every nested map (names in eight
// languages, subdivisions …) only to throw them away.
//
// Keys understood:
//   - GeoIP2/GeoLite2 City and Country: country.iso_code (registered_country.iso_code as a
//     fallback, for anycast networks that have no physical country), city.names.en.
//   - GeoLite2/GeoIP2 ASN and ISP: autonomous_system_number, autonomous_system_organization.
//   - ip-location-db flat schemas: country_code, city (a string).
//   - ipinfo-style flat schemas: asn ("AS15169" or a number), as_name.
type record struct {
	Record
	registered string
	// nested is set when the record used the nested GeoIP2 layout; it only feeds DBInfo.Schema.
	nested bool
}

// UnmarshalMaxMindDB implements mmdbdata.Unmarshaler.
func (r *record) UnmarshalMaxMindDB(d *mmdbdata.Decoder) error {
	it, _, err := d.ReadMap()
	if err != nil {
		return err
	}
	for key, err := range it {
		if err != nil {
			return err
		}
		// The map iterator skips whatever value we leave unread, so unknown keys cost nothing.
		switch string(key) {
		case "country":
			r.nested = true
			if err := readNestedISO(d, &r.Country); err != nil {
				return err
			}
		case "registered_country":
			if err := readNestedISO(d, &r.registered); err != nil {
				return err
			}
		case "country_code":
			if s, err := readString(d); err != nil {
				return err
			} else if r.Country == "" {
				r.Country = s
			}
		case "city":
			k, err := d.PeekKind()
			if err != nil {
				return err
			}
			switch k {
			case mmdbdata.KindString:
				if r.City, err = d.ReadString(); err != nil {
					return err
				}
			case mmdbdata.KindMap:
				r.nested = true
				if err := readNames(d, &r.City); err != nil {
					return err
				}
			}
		case "autonomous_system_number":
			if r.ASN, err = readUint(d); err != nil {
				return err
			}
		case "autonomous_system_organization", "as_name":
			if r.Org, err = readString(d); err != nil {
				return err
			}
		case "asn":
			if n, err := readASN(d); err != nil {
				return err
			} else if r.ASN == 0 {
				r.ASN = n
			}
		}
	}
	if r.Country == "" {
		r.Country = r.registered
	}
	return nil
}

// readNestedISO reads {iso_code: …} from a GeoIP2 country object.
func readNestedISO(d *mmdbdata.Decoder, dst *string) error {
	if k, err := d.PeekKind(); err != nil || k != mmdbdata.KindMap {
		return err
	}
	it, _, err := d.ReadMap()
	if err != nil {
		return err
	}
	for key, err := range it {
		if err != nil {
			return err
		}
		if string(key) == "iso_code" {
			if *dst, err = readString(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// readNames reads names.en from a GeoIP2 city object.
func readNames(d *mmdbdata.Decoder, dst *string) error {
	it, _, err := d.ReadMap()
	if err != nil {
		return err
	}
	for key, err := range it {
		if err != nil {
			return err
		}
		if string(key) != "names" {
			continue
		}
		if k, err := d.PeekKind(); err != nil || k != mmdbdata.KindMap {
			return err
		}
		names, _, err := d.ReadMap()
		if err != nil {
			return err
		}
		for lang, err := range names {
			if err != nil {
				return err
			}
			if bytes.Equal(lang, []byte("en")) {
				if *dst, err = readString(d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readString reads a string and tolerates other kinds (returning ""), because third-party
// databases are not always consistent and one odd record should not hide the rest.
func readString(d *mmdbdata.Decoder) (string, error) {
	k, err := d.PeekKind()
	if err != nil || k != mmdbdata.KindString {
		return "", err
	}
	return d.ReadString()
}

// readUint reads any unsigned or signed integer kind as a uint32; ASNs are 32-bit.
func readUint(d *mmdbdata.Decoder) (uint32, error) {
	k, err := d.PeekKind()
	if err != nil {
		return 0, err
	}
	switch k {
	case mmdbdata.KindUint16:
		n, err := d.ReadUint16()
		return uint32(n), err
	case mmdbdata.KindUint32:
		return d.ReadUint32()
	case mmdbdata.KindUint64:
		n, err := d.ReadUint64()
		if n > 1<<32-1 {
			n = 0
		}
		return uint32(n), err
	case mmdbdata.KindInt32:
		n, err := d.ReadInt32()
		if n < 0 {
			n = 0
		}
		return uint32(n), err
	case mmdbdata.KindString:
		s, err := d.ReadString()
		return parseASN(s), err
	}
	return 0, nil
}

func readASN(d *mmdbdata.Decoder) (uint32, error) { return readUint(d) }

// parseASN accepts "AS15169", "as15169" and "15169".
func parseASN(s string) uint32 {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') {
		s = s[2:]
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}
