package litmos

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The decoder reads a Litmos object, or a page of them, in one pass over
// the bytes: each member's value goes straight into its struct field,
// plain strings (no escapes, ASCII) on a fast path; what the struct does
// not name goes to Extra, made only when there is some. The rules are the
// tolerant ones of values.go.

// decodeObject decodes the JSON object data into the struct dst points
// to. Snapshot and Extra keep copies of what they need (one per object,
// so a kept user does not hold its whole page), and data may be reused
// afterwards (the json.Unmarshaler contract).
func decodeObject(data []byte, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	d := newDecoder(data, infoOf(v.Type()))
	defer d.release()
	if err := d.object(v); err != nil {
		return wrapf(err, "decode object")
	}
	if err := d.end(); err != nil {
		return wrapf(err, "decode object")
	}
	return nil
}

// decodeList decodes a JSON array of objects, each as decodeObject does.
// A "null" or empty body is an empty list; a null item is a zero item.
func decodeList[T any](data []byte) ([]T, error) {
	return appendList[T](nil, data, 0)
}

// appendList is decodeList appending the items to out, whose spare room
// (a page decoded before) is reused. limit is the most items the list
// should hold, 0 for no bound: it caps the room made for them.
func appendList[T any](out []T, data []byte, limit int) ([]T, error) {
	var zero T
	d := newDecoder(data, infoOf(reflect.TypeOf(zero)))
	defer d.release()
	switch d.peek() {
	case 0:
		if err := d.end(); err != nil {
			return nil, wrapf(err, "decode list")
		}
		return out, nil
	case 'n':
		if err := d.literal("null"); err != nil {
			return nil, wrapf(err, "decode list")
		}
		if err := d.end(); err != nil {
			return nil, wrapf(err, "decode list")
		}
		return out, nil
	}
	if err := d.expect('['); err != nil {
		return nil, wrapf(err, "decode list")
	}
	if d.peek() == ']' {
		d.pos++
		return out, wrapNonNil(d.end(), "decode list")
	}
	first := len(out)
	for {
		out = append(out, zero)
		start := d.pos
		if err := d.object(reflect.ValueOf(&out[len(out)-1]).Elem()); err != nil {
			return nil, wrapf(err, "item %d", len(out)-1-first)
		}
		if size := d.pos - start + 1; len(out) == first+1 && size >= 32 {
			// Make room for as many items as the first one's size says
			// there are, and a few more (at most limit, or a couple of
			// pages of Litmos's 1,000), rather than growing a page of
			// structs by doubling.
			n := (len(d.data) - start) / size
			n = min(n+n/8, 2048)
			if limit > 0 {
				n = min(n, limit)
			}
			out = slices.Grow(out, max(n-1, 0))
		}
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return out, wrapNonNil(d.end(), "decode list")
		default:
			return nil, wrapf(d.errorf("want ',' or ']'"), "decode list")
		}
	}
}

// wrapNonNil wraps err with op, keeping a nil error nil.
func wrapNonNil(err error, op string) error {
	if err == nil {
		return nil
	}
	return wrapf(err, "%s", op)
}

// decoder is a scanner with what one type's objects need.
type decoder struct {
	scanner
	ti *typeInfo
	// own is a copy of the object being decoded when its type keeps a
	// Snapshot (ownAt is where it starts in data): the snapshot and the
	// object's plain strings are slices of it, one allocation for all.
	own   string
	ownAt int
	// per object, reused: the rank of the key that set each field (see
	// rank) and where its member was, for one displaced by a better key.
	rank    []int8
	at      []int // index in members of the member that set each field
	members []member
	unknown []int // indexes in members of the keys for Extra
}

// member is one key and value of the object being decoded, as offsets.
type member struct {
	keyStart, keyEnd int // the key's text, without quotes
	valStart, valEnd int
	keyEscaped       bool
}

// decoders keeps decoders between calls, so that decoding one object (a
// create's answer) does not grow a members slice each time.
var decoders sync.Pool

// newDecoder returns a decoder of data for ti's type, from the pool; give
// it back with release.
func newDecoder(data []byte, ti *typeInfo) *decoder {
	d, _ := decoders.Get().(*decoder)
	if d == nil {
		d = &decoder{}
	}
	n := len(ti.fields)
	if cap(d.rank) < n {
		d.rank, d.at = make([]int8, n), make([]int, n)
	}
	if d.members == nil {
		d.members = make([]member, 0, n+8)
	}
	d.scanner, d.ti, d.rank, d.at = scanner{data: data}, ti, d.rank[:n], d.at[:n]
	return d
}

// release gives d back to the pool; it keeps nothing of the input.
func (d *decoder) release() {
	if cap(d.members) > 1024 || cap(d.unknown) > 1024 {
		return // an unusual object: let it go rather than keep it
	}
	d.scanner, d.ti, d.own = scanner{}, nil, ""
	d.members, d.unknown = d.members[:0], d.unknown[:0]
	decoders.Put(d)
}

// object decodes the object (or null) at the current position into v.
func (d *decoder) object(v reflect.Value) error {
	switch d.peek() {
	case 'n':
		v.SetZero()
		return d.literal("null")
	case '{':
	default:
		if d.pos >= len(d.data) {
			return d.errorf("unexpected end, want an object")
		}
		return d.errorf("unexpected %q, want an object", d.data[d.pos])
	}
	v.SetZero()
	start := d.pos
	d.own = ""
	if d.ti.snapshot >= 0 {
		// Copy the object first, so its strings can be slices of the copy;
		// invalid JSON is left to the decoding below to report.
		if raw, err := d.value(); err == nil {
			d.own, d.ownAt = string(raw), start
		}
		d.pos = start
	}
	d.pos++
	for i := range d.rank {
		d.rank[i] = 0
	}
	d.members, d.unknown = d.members[:0], d.unknown[:0]
	if d.peek() == '}' {
		d.pos++
		return d.finish(v, start)
	}
	for {
		if err := d.member(v); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return d.finish(v, start)
		default:
			return d.errorf("want ',' or '}'")
		}
	}
}

// Ranks of the key that set a field: an exact name beats an alternative
// spelling, which beats a case-insensitive match (spellings differ between
// https://api.sap.com/api/LitmosAPIdetails/overview and the support pages). A
// later key of the same rank wins, as in encoding/json.
const (
	rankNone int8 = iota
	rankFolded
	rankAlt
	rankExact
)

// member decodes one key and value into v.
func (d *decoder) member(v reflect.Value) error {
	if d.peek() != '"' {
		return d.errorf("want an object key")
	}
	m := member{keyStart: d.pos + 1}
	key, slow, err := d.str()
	if err != nil {
		return err
	}
	m.keyEnd, m.keyEscaped = d.pos-1, slow
	if err := d.expect(':'); err != nil {
		return err
	}
	d.ws()
	m.valStart = d.pos
	if slow {
		k, err := d.key(m)
		if err != nil {
			return err
		}
		key = []byte(k)
	}
	fi, rank := d.ti.find(key)
	if fi < 0 || rank < d.rank[fi] {
		if _, err := d.value(); err != nil {
			return err
		}
		m.valEnd = d.pos
		d.unknown = append(d.unknown, len(d.members))
		d.members = append(d.members, m)
		return nil
	}
	f := &d.ti.fields[fi]
	if err := d.field(f, v.Field(f.index)); err != nil {
		return wrapf(err, "field %s", f.name)
	}
	m.valEnd = d.pos
	if prev := d.rank[fi]; prev != rankNone && prev < rank {
		// A better spelling displaces an earlier one, which is kept in Extra.
		d.unknown = append(d.unknown, d.at[fi])
	}
	d.rank[fi] = rank
	d.at[fi] = len(d.members)
	d.members = append(d.members, m)
	return nil
}

// finish stores the Snapshot and Extra of the object that began at start.
func (d *decoder) finish(v reflect.Value, start int) error {
	if d.ti.snapshot >= 0 {
		own := d.own
		if own == "" {
			own = string(d.data[start:d.pos])
		}
		v.Field(d.ti.snapshot).Addr().Interface().(*Snapshot).raw = own
	}
	if d.ti.extra < 0 || len(d.unknown) == 0 {
		return nil
	}
	raw := append([]byte(nil), d.data[start:d.pos]...)
	extra := make(Extra, len(d.unknown))
	for _, i := range d.unknown {
		m := d.members[i]
		key, err := d.key(m)
		if err != nil {
			return err
		}
		extra[key] = json.RawMessage(raw[m.valStart-start : m.valEnd-start : m.valEnd-start])
	}
	v.Field(d.ti.extra).Set(reflect.ValueOf(extra))
	return nil
}

// key returns the text of m's key.
func (d *decoder) key(m member) (string, error) {
	b := d.data[m.keyStart:m.keyEnd]
	if !m.keyEscaped {
		return string(b), nil
	}
	var s string
	err := json.Unmarshal(d.data[m.keyStart-1:m.keyEnd+1], &s)
	return s, err
}

// field decodes the value at the current position into fv.
func (d *decoder) field(f *fieldInfo, fv reflect.Value) error {
	if d.pos >= len(d.data) {
		return d.errorf("unexpected end, want a value")
	}
	if d.data[d.pos] == 'n' {
		if err := d.literal("null"); err != nil {
			return err
		}
		fv.SetZero()
		if f.kind == kindTime {
			*fv.Addr().Interface().(*Time) = Time{Form: DateNull}
		}
		return nil
	}
	if f.kind == kindOther {
		b, err := d.value()
		if err != nil {
			return err
		}
		return json.Unmarshal(b, fv.Addr().Interface())
	}
	if f.kind == kindTime && d.data[d.pos] != '"' {
		b, err := d.value()
		if err != nil {
			return err
		}
		return fmt.Errorf("litmos: date is not a string: %s", truncate(b, 40))
	}
	sv, err := d.scalar()
	if err != nil {
		return err
	}
	return setScalar(f, fv, sv)
}

// setScalar stores the scalar sv in the field fv of kind f.kind.
func setScalar(f *fieldInfo, fv reflect.Value, sv scalar) error {
	switch f.kind {
	case kindString:
		s := sv.String()
		if f.html && strings.IndexByte(s, '&') >= 0 {
			s = html.UnescapeString(s)
		}
		fv.SetString(s)
	case kindBool:
		b, err := parseBool(sv.bytes())
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case kindInt:
		n, err := parseInt(sv.bytes())
		if err != nil {
			return err
		}
		fv.SetInt(n)
	case kindFloat:
		n, err := parseFloat(sv.bytes())
		if err != nil {
			return err
		}
		fv.SetFloat(n)
	case kindTime:
		t, ok := parseISOFast(sv.bytes())
		if !ok {
			var err error
			if t, err = ParseTime(sv.String()); err != nil {
				return err
			}
		}
		*fv.Addr().Interface().(*Time) = t
	}
	return nil
}

// scalar is a scalar value's text: a string's value, or a number's or a
// boolean's literal. b views the input; s holds a string that needed
// unescaping (then b is nil), or b's text as a slice of the decoder's own
// copy of the object.
type scalar struct {
	b []byte
	s string
}

// String returns the text as a string that does not alias the input.
func (v scalar) String() string {
	if v.b == nil || v.s != "" {
		return v.s
	}
	return string(v.b)
}

// bytes returns the text; parse it, do not keep it.
func (v scalar) bytes() []byte {
	if v.b == nil {
		return []byte(v.s)
	}
	return v.b
}

// scalar reads the scalar at the current position; an object or array is an error.
func (d *decoder) scalar() (scalar, error) {
	switch c := d.data[d.pos]; {
	case c == '"':
		start := d.pos
		body, slow, err := d.str()
		if err != nil {
			return scalar{}, err
		}
		if !slow || !hasEscape(body) && utf8.Valid(body) {
			return d.view(body, start+1), nil
		}
		// Escapes, or invalid UTF-8 (which encoding/json turns into U+FFFD).
		var s string
		err = json.Unmarshal(d.data[start:d.pos], &s)
		return scalar{s: s}, err
	case c == '{' || c == '[':
		b, err := d.value()
		if err != nil {
			return scalar{}, err
		}
		return scalar{}, fmt.Errorf("expected a scalar, got %s", truncate(b, 40))
	}
	b, err := d.value() // a number or a literal
	if b == nil {
		b = []byte{}
	}
	return scalar{b: b}, err
}

// view is the scalar of b, which starts at data[at]: with its text as a
// slice of the object's own copy when there is one.
func (d *decoder) view(b []byte, at int) scalar {
	if i := at - d.ownAt; d.own != "" && i >= 0 && i+len(b) <= len(d.own) {
		return scalar{b: b, s: d.own[i : i+len(b)]}
	}
	return scalar{b: b}
}

func hasEscape(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}

func parseBool(b []byte) (bool, error) {
	switch string(b) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(b))) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %s", truncate(b, 40))
}

// parseInt reads an int64, also one written with a fraction of zero or
// an exponent ("5.0", "5e3", at most 2^53 then); "" is 0.
func parseInt(b []byte) (int64, error) {
	if n, ok := plainInt(b); ok {
		return n, nil
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n != math.Trunc(n) || math.Abs(n) > 1<<53 {
		return 0, fmt.Errorf("not an integer: %s", truncate(b, 40))
	}
	return int64(n), nil
}

// plainInt reads 1 to 15 decimal digits with an optional minus sign.
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func parseFloat(b []byte) (float64, error) {
	t := strings.TrimSpace(string(b))
	if t == "" {
		return 0, nil
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("not a number: %s", truncate(b, 40))
	}
	return n, nil
}
