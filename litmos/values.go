package litmos

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Litmos objects are decoded tolerantly (the SAP schema and recorded traffic
// disagree on types: https://api.sap.com/api/LitmosAPIdetails/overview,
// https://github.com/charliequinn/python-litmos-api): a string field also takes
// a number or a bool, a bool takes "true"/"false"/0/1, a number takes a numeric
// string, null and "" give the zero value. Fields the struct does not know are
// kept in Extra, and a User keeps the object it was read from in its Snapshot,
// so that a full-object PUT sends back exactly what it read for what the caller
// did not change.
//
// Struct tags: `json:"Name"` names the wire field; `alt:"A,B"` lists other
// spellings read into the same field (the SAP schema and the support pages
// spell some fields differently); `html:"1"` decodes HTML entities in the value
// (as https://github.com/charliequinn/python-litmos-api does); `opt:"1"` leaves
// the field out of a write when it is zero.

// Extra holds the fields of a Litmos object that its Go type does not name,
// as raw JSON, so they survive a read-modify-write round trip.
type Extra map[string]json.RawMessage

// Snapshot is the JSON object a User was read from, kept so that a
// full-object write (UpdateUser, UpdateUserFrom, ReplaceUser) sends every
// field the caller left as it was back exactly as Litmos sent it: a null
// stays null, a number stays a number. It is bookkeeping, not part of the
// user's value: Equal reports true for any two, so go-cmp comparisons of
// users ignore it. The zero Snapshot (a User built in code) changes
// nothing: every field is written from its value. The user's plain
// strings (no escapes) are slices of it: decoding a user copies its
// object once.
type Snapshot struct{ raw string }

// Equal reports true: snapshots never make two users differ.
func (Snapshot) Equal(Snapshot) bool { return true }

// IsZero reports whether the user was not read from Litmos.
func (s Snapshot) IsZero() bool { return len(s.raw) == 0 }

// fieldKind says how a field is decoded.
type fieldKind uint8

const (
	kindOther fieldKind = iota // through encoding/json
	kindString
	kindBool
	kindInt
	kindFloat
	kindTime
)

type fieldInfo struct {
	index int
	name  string
	alts  []string
	html  bool
	opt   bool // omitted on write when zero and not read
	kind  fieldKind
	// plain: a string, bool or int type with no JSON or text methods of its
	// own, which the encoder writes without encoding/json.
	plain bool
}

type typeInfo struct {
	fields   []fieldInfo
	all      []int // 0 to len(fields)-1
	extra    int   // index of the Extra field, -1 if none
	snapshot int   // index of the Snapshot field, -1 if none
	// exact maps each name and alternative spelling to its field; folded
	// maps their ASCII lower case.
	exact  map[string]fieldRank
	folded map[string]int
	// encodedSize is the length of the last object encodeFields wrote,
	// to size the next one's buffer.
	encodedSize atomic.Int64
}

type fieldRank struct {
	field int // index in fields
	rank  int8
}

var typeCache sync.Map // reflect.Type → *typeInfo

var (
	extraType    = reflect.TypeOf(Extra(nil))
	snapshotType = reflect.TypeOf(Snapshot{})
	timeType     = reflect.TypeOf(Time{})
	stringType   = reflect.TypeFor[string]()
)

func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeCache.Load(t); ok {
		return v.(*typeInfo)
	}
	ti := &typeInfo{extra: -1, snapshot: -1, exact: map[string]fieldRank{}, folded: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		switch f.Type {
		case extraType:
			ti.extra = i
			continue
		case snapshotType:
			ti.snapshot = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fi := fieldInfo{index: i, name: name, html: f.Tag.Get("html") != "", opt: f.Tag.Get("opt") != "", kind: kindOf(f.Type), plain: plainType(f.Type)}
		if a := f.Tag.Get("alt"); a != "" {
			fi.alts = strings.Split(a, ",")
		}
		n := len(ti.fields)
		ti.fields = append(ti.fields, fi)
		ti.exact[name] = fieldRank{n, rankExact}
		ti.folded[strings.ToLower(name)] = n
		for _, a := range fi.alts {
			if _, taken := ti.exact[a]; !taken {
				ti.exact[a] = fieldRank{n, rankAlt}
			}
			if _, taken := ti.folded[strings.ToLower(a)]; !taken {
				ti.folded[strings.ToLower(a)] = n
			}
		}
	}
	ti.all = make([]int, len(ti.fields))
	for i := range ti.all {
		ti.all[i] = i
	}
	v, _ := typeCache.LoadOrStore(t, ti)
	return v.(*typeInfo)
}

var (
	jsonMarshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshalerType = reflect.TypeOf((*interface{ MarshalText() ([]byte, error) })(nil)).Elem()
)

// plainType reports whether encoding/json writes t's values by their kind
// alone: a string, bool or int with no marshalling methods.
func plainType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64:
	default:
		return false
	}
	pt := reflect.PointerTo(t)
	return !t.Implements(jsonMarshalerType) && !pt.Implements(jsonMarshalerType) &&
		!t.Implements(textMarshalerType) && !pt.Implements(textMarshalerType)
}

func kindOf(t reflect.Type) fieldKind {
	if t == timeType {
		return kindTime
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Float64:
		return kindFloat
	}
	return kindOther
}

// find returns the field a key names and the rank of the match, or -1: the
// exact name or an alternative spelling, else the name or spelling in any case
// (spellings differ between https://api.sap.com/api/LitmosAPIdetails/overview
// and the support pages).
func (ti *typeInfo) find(key []byte) (int, int8) {
	if r, ok := ti.exact[string(key)]; ok {
		return r.field, r.rank
	}
	var buf [64]byte
	if len(key) <= len(buf) {
		ascii := true
		for i, c := range key {
			if c >= 0x80 {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if ascii {
			if i, ok := ti.folded[string(buf[:len(key)])]; ok {
				return i, rankFolded
			}
			return -1, rankNone
		}
	}
	for i, f := range ti.fields { // non-ASCII: Unicode case folding
		if strings.EqualFold(string(key), f.name) {
			return i, rankFolded
		}
		for _, a := range f.alts {
			if strings.EqualFold(string(key), a) {
				return i, rankFolded
			}
		}
	}
	return -1, rankNone
}

// isZero reports whether v holds its zero value (a Time: the zero instant).
func isZero(v reflect.Value) bool {
	if v.Type() == timeType {
		return v.Interface().(Time).IsZero()
	}
	return v.IsZero()
}

// stringValue converts a record value to the string Litmos stores.
func stringValue(x any) (string, error) {
	switch v := x.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case fmt.Stringer: // json.Number among them
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case int, int32, int64, uint, uint32, uint64:
		return fmt.Sprint(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32), nil
	}
	return "", fmt.Errorf("cannot store a %T as text", x)
}

// setValue writes a record value into a User field of kind string, bool,
// int64, float64 or Time.
func setValue(f reflect.Value, x any) error {
	if f.Type() == timeType {
		t := f.Addr().Interface().(*Time)
		switch v := x.(type) {
		case nil:
			t.Time = time.Time{}
		case time.Time:
			t.Time = v
		case string:
			p, err := ParseTime(v)
			if err != nil {
				return err
			}
			t.Time = p.Time
		default:
			return fmt.Errorf("cannot store a %T as a date", x)
		}
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, err := stringValue(x)
		if err != nil {
			return err
		}
		f.SetString(s)
	case reflect.Bool:
		switch v := x.(type) {
		case bool:
			f.SetBool(v)
		case nil:
			f.SetBool(false)
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%q is not a boolean", v)
			}
			f.SetBool(b)
		default:
			return fmt.Errorf("cannot store a %T as a boolean", x)
		}
	default:
		return fmt.Errorf("cannot write a field of kind %s", f.Kind())
	}
	return nil
}
