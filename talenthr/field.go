package talenthr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Field is one key of a partial update, in one of three states:
//
//   - unset (the zero Field): the key is left out of the request and
//     TalentHR keeps what it has;
//   - null (Null): the key is sent as JSON null, which clears it (for
//     reports_to_employee_id: the employee becomes head of the company);
//   - a value (Set): the key is sent with the value.
//
// A plain pointer cannot tell "leave it" from "clear it"; Field can, so an
// update never clears what the caller did not name.
type Field[T any] struct {
	value T
	state fieldState
}

type fieldState uint8

const (
	fieldUnset fieldState = iota
	fieldNull
	fieldSet
)

// Set returns a Field that sends v.
func Set[T any](v T) Field[T] { return Field[T]{value: v, state: fieldSet} }

// Null returns a Field that sends JSON null: TalentHR clears the key.
func Null[T any]() Field[T] { return Field[T]{state: fieldNull} }

// IsUnset reports whether f is left out of the request.
func (f Field[T]) IsUnset() bool { return f.state == fieldUnset }

// IsNull reports whether f sends null.
func (f Field[T]) IsNull() bool { return f.state == fieldNull }

// Value returns the value f sends and true, or the zero T and false when
// f is unset or null.
func (f Field[T]) Value() (T, bool) { return f.value, f.state == fieldSet }

// String prints "unset", "null" or the value.
func (f Field[T]) String() string {
	switch f.state {
	case fieldNull:
		return "null"
	case fieldSet:
		return fmt.Sprint(f.value)
	}
	return "unset"
}

// MarshalJSON writes null or the value. An unset Field has no JSON form:
// it is an error, never a null that would clear the key. UpdateEmployeeParams
// leaves unset Fields out.
func (f Field[T]) MarshalJSON() ([]byte, error) {
	switch f.state {
	case fieldNull:
		return []byte("null"), nil
	case fieldSet:
		return json.Marshal(f.value)
	}
	return nil, errUnsetField
}

// UnmarshalJSON reads null as Null and anything else as Set.
func (f *Field[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*f = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Set(v)
	return nil
}

var errUnsetField = errors.New("talenthr: an unset Field has no JSON form; leave it out of the object")

// patchField is what encodePatch needs of a Field of any type.
type patchField interface {
	patchState() fieldState
	patchValue() any
}

func (f Field[T]) patchState() fieldState { return f.state }
func (f Field[T]) patchValue() any        { return f.value }

// encodePatch writes the struct p (whose fields are all Fields) as a JSON
// object in field order, leaving unset Fields out. Tags: `json:"key"` is
// the wire key; `talenthr:"id"` writes a string or []string of digits as
// JSON numbers (TalentHR ids); `talenthr:"required"` refuses null and ""
// (TalentHR requires the key to have a value when it is sent).
func encodePatch(p any) ([]byte, int, error) {
	v := reflect.ValueOf(p)
	t := v.Type()
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		f, ok := v.Field(i).Interface().(patchField)
		if !ok || key == "" || key == "-" {
			return nil, 0, fmt.Errorf("%s is not a Field", sf.Name)
		}
		if f.patchState() == fieldUnset {
			continue
		}
		val, err := encodePatchValue(f, sf.Tag.Get("talenthr"))
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", key, err)
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(val)
	}
	buf.WriteByte('}')
	return buf.Bytes(), n, nil
}

func encodePatchValue(f patchField, tag string) ([]byte, error) {
	required := hasTag(tag, "required")
	if f.patchState() == fieldNull {
		if required {
			return nil, errors.New("cannot be cleared (TalentHR requires a value)")
		}
		return []byte("null"), nil
	}
	val := f.patchValue()
	if s, ok := val.(string); ok && required && strings.TrimSpace(s) == "" {
		return nil, errors.New("is empty (TalentHR requires a value; leave the Field unset to keep it)")
	}
	if d, ok := val.(Date); ok && d.IsZero() {
		return nil, errors.New("is set to the zero Date (use Null to clear it)")
	}
	if hasTag(tag, "id") {
		return encodeIDs(val)
	}
	return json.Marshal(val)
}

// encodeIDs writes an id or a list of ids as JSON numbers.
func encodeIDs(val any) ([]byte, error) {
	switch x := val.(type) {
	case string:
		if err := checkID(x); err != nil {
			return nil, err
		}
		return []byte(x), nil
	case []string:
		ids := make([]json.RawMessage, 0, len(x))
		for _, id := range x {
			if err := checkID(id); err != nil {
				return nil, err
			}
			ids = append(ids, json.RawMessage(id))
		}
		return json.Marshal(ids)
	}
	return nil, fmt.Errorf("an id must be a string, not %T", val)
}

// hasTag reports whether the comma-separated tag holds word.
func hasTag(tag, word string) bool {
	for _, t := range strings.Split(tag, ",") {
		if strings.TrimSpace(t) == word {
			return true
		}
	}
	return false
}
