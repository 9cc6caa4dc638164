package litmos

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strconv"
)

// encoding says how encodeFields writes an object.
type encoding struct {
	// request: a request body. Set dates go as "/Date(ms)/", the form Litmos takes
	// in JSON requests (https://github.com/charliequinn/python-litmos-api), and a
	// field is copied from the Snapshot only in its canonical JSON type.
	request bool
	skip    []string // never written (fields and Extra keys)
	force   []string // written from the value even when unchanged
}

// encodeObject writes the struct src as a JSON object: named fields in
// struct order, then the Extra fields. Dates keep the form they were read
// in; a field equal to what the Snapshot holds is written as read.
func encodeObject(src any) ([]byte, error) { return encodeFields(src, encoding{}) }

// encodeRequest is encodeObject for a request body (see encoding.request),
// leaving out skip.
func encodeRequest(src any, skip ...string) ([]byte, error) {
	return encodeFields(src, encoding{request: true, skip: skip})
}

// encodeFields writes src as e says. For a struct with a Snapshot, each
// field the caller left as it was read is written as Litmos sent it, and
// Extra keys go in the order they came. In a request, a field the read
// did not have and the caller did not set is left out: the PUT sends back
// what it read.
func encodeFields(src any, e encoding) ([]byte, error) {
	v := reflect.ValueOf(src)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	ti := infoOf(v.Type())
	var read *splitObject
	size := int(ti.encodedSize.Load()) + 64 // about what the last one took
	if ti.snapshot >= 0 {
		if s := snapshotOf(v, ti); !s.IsZero() {
			read = ti.split([]byte(s.raw))
			size = max(size, len(s.raw)+256)
		}
	}
	var done [64]bool
	w := objectWriter{ti: ti, skip: e.skip}
	if len(ti.fields) <= len(done) {
		w.done = done[:len(ti.fields)]
	} else {
		w.done = make([]bool, len(ti.fields))
	}
	w.buf.Grow(size)
	w.buf.WriteByte('{')
	for i := range ti.fields {
		f := &ti.fields[i]
		if slices.Contains(e.skip, f.name) {
			continue
		}
		ok, err := w.field(f, v.Field(f.index), read.value(i), read != nil, e)
		if err != nil {
			return nil, err
		}
		w.done[i] = ok
	}
	if ti.extra >= 0 {
		w.extra(v.Field(ti.extra).Interface().(Extra), read)
	}
	w.buf.WriteByte('}')
	ti.encodedSize.Store(int64(w.buf.Len()))
	return w.buf.Bytes(), nil
}

// snapshotOf is v's Snapshot, without copying it into an interface when v
// is addressable.
func snapshotOf(v reflect.Value, ti *typeInfo) Snapshot {
	f := v.Field(ti.snapshot)
	if f.CanAddr() {
		return *f.Addr().Interface().(*Snapshot)
	}
	return f.Interface().(Snapshot)
}

type objectWriter struct {
	buf  bytes.Buffer
	n    int
	ti   *typeInfo
	skip []string
	done []bool // by field index: written
	// extraDone holds the Extra keys written, made when there are some.
	extraDone map[string]bool
}

// known reports whether name was skipped or already written.
func (w *objectWriter) known(name string) bool {
	if slices.Contains(w.skip, name) || w.extraDone[name] {
		return true
	}
	fr, ok := w.ti.exact[name]
	return ok && w.ti.fields[fr.field].name == name && w.done[fr.field]
}

// key starts a member: the comma before it, and its key.
func (w *objectWriter) key(name string) {
	if w.n > 0 {
		w.buf.WriteByte(',')
	}
	w.n++
	writeJSONString(&w.buf, name)
	w.buf.WriteByte(':')
}

// write writes an Extra member.
func (w *objectWriter) write(name string, val []byte) {
	w.key(name)
	w.buf.Write(val)
	if w.extraDone == nil {
		w.extraDone = map[string]bool{}
	}
	w.extraDone[name] = true
}

// writeJSONString writes s as encoding/json would: as it is when it is
// printable ASCII with nothing to escape (the common case), else through
// json.Marshal.
func writeJSONString(buf *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			b, _ := json.Marshal(s)
			buf.Write(b)
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(s)
	buf.WriteByte('"')
}

// field writes one named field; raw is its value in the Snapshot (nil if
// absent), hasRead whether there is a Snapshot. It reports whether it
// wrote the field.
func (w *objectWriter) field(f *fieldInfo, fv reflect.Value, raw []byte, hasRead bool, e encoding) (bool, error) {
	forced := slices.Contains(e.force, f.name)
	switch {
	case raw != nil && !forced && sameAsRead(f, fv, raw) && (!e.request || canonical(f, raw)):
		w.key(f.name)
		w.buf.Write(raw)
		return true, nil
	case raw == nil && hasRead && e.request && !forced && isZero(fv):
		return false, nil // not read, not set: not written back
	case f.opt && raw == nil && isZero(fv) && !forced:
		// Unset and not read: left out. One the read had goes as cleared: a
		// PUT sends the whole user, and whether Litmos keeps a field left out
		// is not documented (https://support.litmos.com/hc/en-us/articles/227734767-Users-API-Get-a-list-of-users-Create-Edit-users).
		return false, nil
	}
	if f.plain {
		w.key(f.name)
		switch f.kind {
		case kindString:
			writeJSONString(&w.buf, fv.String())
		case kindBool:
			w.buf.WriteString(strconv.FormatBool(fv.Bool()))
		case kindInt:
			w.buf.Write(strconv.AppendInt(w.buf.AvailableBuffer(), fv.Int(), 10))
		}
		return true, nil
	}
	val := fv.Interface()
	if t, ok := val.(Time); ok && e.request && !t.IsZero() {
		t.Form = DateWCF
		val = t
	}
	b, err := json.Marshal(val)
	if err != nil {
		return false, wrapf(err, "encode field %s", f.name)
	}
	w.key(f.name)
	w.buf.Write(b)
	return true, nil
}

// extra writes the Extra fields not yet written: those the read had in
// its order, then new ones by name.
func (w *objectWriter) extra(extra Extra, read *splitObject) {
	if read != nil {
		for _, k := range read.others {
			if v, ok := extra[k]; ok && !w.known(k) {
				w.write(k, v)
			}
		}
	}
	if len(extra) == 0 {
		return
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !w.known(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.write(k, extra[k])
	}
}

// sameAsRead reports whether fv still holds what raw, its value in the
// Snapshot, decodes to.
func sameAsRead(f *fieldInfo, fv reflect.Value, raw []byte) bool {
	if f.kind == kindString && len(raw) > 1 && raw[0] == '"' && !f.html {
		if body := raw[1 : len(raw)-1]; !hasEscape(body) && bytes.IndexFunc(body, func(r rune) bool { return r >= 0x80 }) < 0 {
			return string(body) == fv.String() // the common case, without decoding
		}
	}
	if same, ok := sameScalar(f, fv, raw); ok {
		return same
	}
	tmp := reflect.New(fv.Type()).Elem()
	d := decoder{scanner: scanner{data: raw}}
	if d.field(f, tmp) != nil {
		return false
	}
	switch f.kind {
	case kindString:
		return fv.String() == tmp.String()
	case kindBool:
		return fv.Bool() == tmp.Bool()
	case kindInt:
		return fv.Int() == tmp.Int()
	case kindFloat:
		return fv.Float() == tmp.Float()
	case kindTime:
		a, b := fv.Interface().(Time), tmp.Interface().(Time)
		return a.IsZero() && b.IsZero() || a.Time.Equal(b.Time)
	}
	return reflect.DeepEqual(fv.Interface(), tmp.Interface())
}

// sameScalar is sameAsRead for a null, a plain boolean or a plain integer
// read, decided without decoding; ok is false for anything else.
func sameScalar(f *fieldInfo, fv reflect.Value, raw []byte) (same, ok bool) {
	switch string(raw) {
	case "null":
		switch f.kind {
		case kindString:
			return fv.String() == "", true
		case kindBool:
			return !fv.Bool(), true
		case kindInt:
			return fv.Int() == 0, true
		case kindTime:
			if fv.CanAddr() {
				return fv.Addr().Interface().(*Time).IsZero(), true
			}
		}
		return false, false
	case "true", "false":
		if f.kind == kindBool {
			return fv.Bool() == (raw[0] == 't'), true
		}
		return false, false
	}
	if f.kind == kindInt {
		if n, isInt := plainInt(raw); isInt {
			return fv.Int() == n, true
		}
	}
	return false, false
}

// canonical reports whether raw may go into a request as it is: null, or the
// field's own JSON type. A number read into a string field is written as a
// string, a "true" read into a bool as true, an ISO date as "/Date(ms)/"
// (https://github.com/charliequinn/python-litmos-api), and a name with HTML
// entities decoded (clients that unescape and write back work, e.g.
// https://github.com/Trustpower/Python-Litmos; writing entities back could
// double them).
func canonical(f *fieldInfo, raw []byte) bool {
	c := raw[0]
	if c == 'n' {
		return true
	}
	switch f.kind {
	case kindString:
		return c == '"' && !(f.html && bytes.IndexByte(raw, '&') >= 0)
	case kindBool:
		return c == 't' || c == 'f'
	case kindInt, kindFloat:
		return c == '-' || '0' <= c && c <= '9'
	case kindTime:
		return string(raw) == `""` || bytes.HasPrefix(raw, []byte(`"/Date(`)) || bytes.HasPrefix(raw, []byte(`"\/Date(`))
	}
	return true
}

// splitObject is a Snapshot split by field: the value that set each field
// (the best-ranked key, as the decoder chose) and the other keys in order.
type splitObject struct {
	values [][]byte // by field index; nil when absent
	others []string
}

func (s *splitObject) value(i int) []byte {
	if s == nil {
		return nil
	}
	return s.values[i]
}

// split reads raw, an object the decoder already accepted. Keys are
// looked up in place; only those kept in others become strings.
func (ti *typeInfo) split(raw []byte) *splitObject {
	out := &splitObject{values: make([][]byte, len(ti.fields))}
	var rankArr [64]int8
	var keysArr [64][]byte
	var rank []int8
	var keys [][]byte
	if len(ti.fields) <= len(rankArr) {
		rank, keys = rankArr[:len(ti.fields)], keysArr[:len(ti.fields)]
	} else {
		rank, keys = make([]int8, len(ti.fields)), make([][]byte, len(ti.fields))
	}
	d := decoder{scanner: scanner{data: raw}}
	if d.expect('{') != nil || d.peek() == '}' {
		return out
	}
	for {
		if d.peek() != '"' {
			return out
		}
		m := member{keyStart: d.pos + 1}
		_, slow, err := d.str()
		if err != nil {
			return out
		}
		m.keyEnd, m.keyEscaped = d.pos-1, slow
		key := raw[m.keyStart:m.keyEnd]
		if slow {
			k, err := d.key(m)
			if err != nil {
				return out
			}
			key = []byte(k)
		}
		if d.expect(':') != nil {
			return out
		}
		val, err := d.value()
		if err != nil {
			return out
		}
		switch fi, r := ti.find(key); {
		case fi < 0 || r < rank[fi]:
			out.others = append(out.others, string(key))
		default:
			if rank[fi] != rankNone && rank[fi] < r {
				out.others = append(out.others, string(keys[fi]))
			}
			out.values[fi], rank[fi], keys[fi] = val, r, key
		}
		if d.peek() != ',' {
			return out
		}
		d.pos++
	}
}
