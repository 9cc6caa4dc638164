package bamboohrtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rostersync/rostersync/bamboohr"
	"github.com/rostersync/rostersync/internal/fakeserver"
)

// A custom report's JSON is written row by row, not built as maps and
// handed to encoding/json: a 10,000-employee report would otherwise cost
// a map per row and a sort of its keys, in every test that reads one.
// The bytes are those json.Marshal writes for the maps (keys sorted,
// strings escaped by encoding/json).

// reportColumn is one key of every row: a requested name, resolved once.
type reportColumn struct {
	name string // the row's key, as requested
	key  string // storage key
	f    bamboohr.Field
}

// reportColumns are a row's keys in encoding/json's order: "id" and the
// visible requested names, each once. Must hold s.mu.
func (s *Server) reportColumns(names []string) []reportColumn {
	cols := []reportColumn{{name: "id", key: "id", f: bamboohr.Field{Alias: "id", Type: "calculated"}}}
	seen := map[string]bool{"id": true}
	for _, n := range names {
		if seen[n] {
			continue // the same name renders the same value
		}
		seen[n] = true
		key, f, _ := s.storageKey(n)
		cols = append(cols, reportColumn{name: n, key: key, f: f})
	}
	slices.SortFunc(cols, func(a, b reportColumn) int { return strings.Compare(a.name, b.name) })
	return cols
}

// reportJSON is json.Marshal of {"title": title, "fields": fields,
// "employees": [render(e) for e in emps]}. Must hold s.mu.
func (s *Server) reportJSON(title string, fields []map[string]string, emps []*employee, cols []reportColumn) ([]byte, error) {
	b := make([]byte, 0, 64+len(emps)*len(cols)*32)
	b = append(b, `{"employees":[`...)
	for i, e := range emps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for k, c := range cols {
			if k > 0 {
				b = append(b, ',')
			}
			var err error
			b = appendJSONString(b, c.name)
			b = append(b, ':')
			if b, err = appendJSONValue(b, s.value(e, c.key, c.f)); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	b = append(b, `],"fields":`...)
	f, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	b = append(append(b, f...), `,"title":`...)
	b = appendJSONString(b, title)
	return append(b, '}'), nil
}

// appendJSONString appends s as encoding/json writes it: as is when every
// byte is printable ASCII it does not escape, else through json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, t), nil
	}
	q, err := json.Marshal(v)
	return append(b, q...), err
}

// jsonBody answers 200 with body, the JSON of a reply or the error
// of encoding it, as json does.
func (rq *request) jsonBody(body []byte, err error) {
	rq.w.Header().Set("Content-Type", "application/json")
	if err != nil {
		fakeserver.WriteEncodeError(rq.w, "JSON", err)
		return
	}
	fakeserver.WriteRawJSON(rq.w, http.StatusOK, append(body, '\n'))
}
