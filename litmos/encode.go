package litmos

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
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
	if ti.snapshot >= 0 {
		if s := v.Field(ti.snapshot).Interface().(Snapshot); !s.IsZero() {
			read = ti.split(s.raw)
		}
	}
	w := objectWriter{known: make(map[string]bool, len(ti.fields)+len(e.skip))}
	for _, k := range e.skip {
		w.known[k] = true
	}
	w.buf.WriteByte('{')
	for i := range ti.fields {
		f := &ti.fields[i]
		if w.known[f.name] {
			continue
		}
		if err := w.field(f, v.Field(f.index), read.value(i), read != nil, e); err != nil {
			return nil, err
		}
	}
	if ti.extra >= 0 {
		w.extra(v.Field(ti.extra).Interface().(Extra), read)
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

type objectWriter struct {
	buf   bytes.Buffer
	n     int
	known map[string]bool // written or skipped
}

func (w *objectWriter) write(name string, val []byte) {
	if w.n > 0 {
		w.buf.WriteByte(',')
	}
	w.n++
	k, _ := json.Marshal(name)
	w.buf.Write(k)
	w.buf.WriteByte(':')
	w.buf.Write(val)
	w.known[name] = true
}

// field writes one named field; raw is its value in the Snapshot (nil if
// absent), hasRead whether there is a Snapshot.
func (w *objectWriter) field(f *fieldInfo, fv reflect.Value, raw []byte, hasRead bool, e encoding) error {
	forced := slices.Contains(e.force, f.name)
	switch {
	case raw != nil && !forced && sameAsRead(f, fv, raw) && (!e.request || canonical(f, raw)):
		w.write(f.name, raw)
		return nil
	case raw == nil && hasRead && e.request && !forced && isZero(fv):
		return nil // not read, not set: not written back
	case f.opt && isZero(fv) && !forced:
		return nil
	}
	val := fv.Interface()
	if t, ok := val.(Time); ok && e.request && !t.IsZero() {
		t.Form = DateWCF
		val = t
	}
	b, err := json.Marshal(val)
	if err != nil {
		return wrapf(err, "encode field %s", f.name)
	}
	w.write(f.name, b)
	return nil
}

// extra writes the Extra fields not yet written: those the read had in
// its order, then new ones by name.
func (w *objectWriter) extra(extra Extra, read *splitObject) {
	if read != nil {
		for _, k := range read.others {
			if v, ok := extra[k]; ok && !w.known[k] {
				w.write(k, v)
			}
		}
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !w.known[k] {
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

// split reads raw, an object the decoder already accepted.
func (ti *typeInfo) split(raw []byte) *splitObject {
	out := &splitObject{values: make([][]byte, len(ti.fields))}
	rank := make([]int8, len(ti.fields))
	keys := make([]string, len(ti.fields))
	d := decoder{scanner: scanner{data: raw}}
	if d.expect('{') != nil || d.peek() == '}' {
		return out
	}
	for {
		if d.peek() != '"' {
			return out
		}
		m := member{keyStart: d.pos + 1}
		body, slow, err := d.str()
		if err != nil {
			return out
		}
		m.keyEnd, m.keyEscaped = d.pos-1, slow
		key, err := d.key(m)
		if err != nil || d.expect(':') != nil {
			return out
		}
		_ = body
		val, err := d.value()
		if err != nil {
			return out
		}
		switch fi, r := ti.find([]byte(key)); {
		case fi < 0 || r < rank[fi]:
			out.others = append(out.others, key)
		default:
			if rank[fi] != rankNone && rank[fi] < r {
				out.others = append(out.others, keys[fi])
			}
			out.values[fi], rank[fi], keys[fi] = val, r, key
		}
		if d.peek() != ',' {
			return out
		}
		d.pos++
	}
}
