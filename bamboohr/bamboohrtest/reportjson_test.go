package bamboohrtest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReportJSONAsMarshal: a report's JSON, written row by row, is byte
// for byte what json.Marshal writes for the maps it stands for.
func TestReportJSONAsMarshal(t *testing.T) {
	s := NewServer(t)
	lead := s.AddEmployee(map[string]string{"firstName": "Zoë", "lastName": "O'Brien <&>", "workEmail": "lead@example.com",
		LitmosAccessAlias: "yes", "employeeNumber": "E\u20281"})
	s.AddEmployee(map[string]string{"firstName": "A\"b\\c", "lastName": "tab\there\nnew", "workEmail": "",
		"jobTitle": "bad \xff utf8", "supervisorEId": itoa(lead), "city": "\x01\x1f\u2029", LitmosAccessAlias: "no"})
	s.AddEmployee(map[string]string{"firstName": "Only", "lastName": "Names", "terminationDate": ""})
	s.AddEmployee(map[string]string{"firstName": "a<b", "lastName": "c>d", "jobTitle": "R&D", "city": "\x7f", "workEmail": "plain@example.com", "address1": `quote"only`, "address2": `back\slash`})
	s.AddKey("limited", Key{HiddenFields: []string{"jobTitle", "15"}})
	all := []string{"id", "firstName", "lastName", "displayName", "workEmail", "jobTitle", "city", "supervisorEId",
		"supervisor", "supervisorId", "supervisorEmail", "bestEmail", "address1", "address2", "lastChanged", "status", "terminationDate",
		"employmentHistoryStatus", LitmosAccessAlias, LitmosAccessID, "4623", "unknownField", "firstName", "employeeNumber"}
	for _, tc := range []struct {
		name   string
		key    *Key
		fields []string
		title  string
	}{
		{"all fields", s.keys[DefaultAPIKey], all, "rostersync"},
		{"hidden fields", s.keys["limited"], all, "t <b>\u2028"},
		{"no fields", s.keys[DefaultAPIKey], nil, ""},
		{"only unknown", s.keys[DefaultAPIKey], []string{"nope"}, "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.mu.Lock()
			defer s.mu.Unlock()
			names, cols := s.reportFields(tc.fields, tc.key)
			emps := s.sortedEmployees(tc.key)
			rows := []map[string]any{}
			for _, e := range emps {
				rows = append(rows, s.render(e, names, tc.key))
			}
			want, err := json.Marshal(map[string]any{"title": tc.title, "fields": cols, "employees": rows})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.reportJSON(tc.title, cols, emps, s.reportColumns(names))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("(-json.Marshal +reportJSON)\n%s", diff)
			}
		})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if got, _ := s.reportJSON("", nil, nil, s.reportColumns(nil)); string(got) != `{"employees":[],"fields":null,"title":""}` {
		t.Errorf("empty report = %s", got)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
