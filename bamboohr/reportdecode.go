package bamboohr

import (
	"encoding/json"
	"strings"
)

// reportRowsJSON is reportRows as encoding/json decodes it.
type reportRowsJSON reportRows

// DecodeJSONBody decodes a custom report as json.Unmarshal does, in one
// pass over the rows where the report has the shape BambooHR sends: an
// object whose "employees" are flat rows (see decodeFlat). encoding/json
// would read each row three times (the document's check, the skip to the
// row's end, the row's own decode); decodeReport checks the grammar as it
// reads. Anything else, invalid JSON included, is left to json.Unmarshal,
// so values and errors are its own.
func (r *reportRows) DecodeJSONBody(b []byte) error {
	if r.Fields == nil && r.Employees == nil {
		if rows, ok := decodeReport(string(b)); ok {
			*r = rows
			return nil
		}
	}
	return json.Unmarshal(b, (*reportRowsJSON)(r))
}

// decodeReport reads text when it is one JSON object, with only space
// after it, with plain keys, "employees" and "fields" at most once each
// and spelled so (encoding/json matches keys in any case), "employees" an
// array of flat rows. ok is false for anything else, invalid JSON
// included. Other keys' values ("title") are checked with json.Valid,
// "fields" by its json.Unmarshal: both are small.
func decodeReport(text string) (out reportRows, ok bool) {
	i := skipSpace(text, 0)
	if i >= len(text) || text[i] != '{' {
		return out, false
	}
	if i = skipSpace(text, i+1); i < len(text) && text[i] == '}' {
		return out, skipSpace(text, i+1) == len(text)
	}
	var seenRows, seenFields bool
	for {
		key, j, ok := plainString(text, i)
		if !ok {
			return out, false
		}
		if i = skipSpace(text, j); i >= len(text) || text[i] != ':' {
			return out, false
		}
		i = skipSpace(text, i+1)
		switch {
		case key == "employees" && !seenRows:
			seenRows = true
			if out.Employees, i, ok = decodeRows(text, i); !ok {
				return out, false
			}
		case key == "fields" && !seenFields:
			seenFields = true
			end := skipValue(text, i)
			if err := json.Unmarshal([]byte(text[i:end]), &out.Fields); err != nil {
				return out, false
			}
			i = end
		case strings.EqualFold(key, "employees") || strings.EqualFold(key, "fields"):
			return out, false // a repeat, or another spelling
		default:
			end := skipValue(text, i)
			if !json.Valid([]byte(text[i:end])) {
				return out, false
			}
			i = end
		}
		var more bool
		if i, more, ok = separator(text, i, '}'); !ok {
			return out, false
		}
		if !more {
			return out, skipSpace(text, i) == len(text)
		}
	}
}

// decodeRows reads the array of flat rows at text[i].
func decodeRows(text string, i int) ([]listedRow, int, bool) {
	if i >= len(text) || text[i] != '[' {
		return nil, 0, false // null: encoding/json's nil
	}
	rows := []listedRow{}
	if i = skipSpace(text, i+1); i < len(text) && text[i] == ']' {
		return rows, i + 1, true
	}
	hint := 0
	for {
		m, j, ok := decodeFlatAt(text, i, hint, recordValue)
		if !ok {
			return nil, 0, false
		}
		rows, hint = append(rows, m), len(m)
		var more bool
		if i, more, ok = separator(text, j, ']'); !ok {
			return nil, 0, false
		}
		if !more {
			return rows, i, true
		}
	}
}

// skipValue returns the index after the value starting at text[i],
// matching brackets and skipping strings. It does not check the value:
// the caller checks text[i:end], and a value that passes the check ends
// where skipValue says. On a truncated value it returns len(text).
func skipValue(text string, i int) int {
	depth := 0
	for ; i < len(text); i++ {
		switch text[i] {
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
			if i >= len(text) {
				return len(text)
			}
		case '{', '[':
			depth++
			continue
		case '}', ']':
			depth--
		default:
			if depth == 0 {
				j := i
				for j < len(text) && strings.IndexByte(",}] \t\r\n", text[j]) < 0 {
					j++
				}
				return j
			}
			continue
		}
		if depth <= 0 {
			return i + 1
		}
	}
	return i
}
