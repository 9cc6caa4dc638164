package talentlms

import (
	"errors"
	"slices"
	"testing"
)

// Custom values come from another system's records: whatever text a date
// or dropdown field is given, it is written in the portal's form or
// refused with ErrInvalid, never sent malformed.
func FuzzEncodeCustom(f *testing.F) {
	for _, s := range []string{"2021-03-01", "01/03/2021", "31/02/2021", "", " ", "2021-3-1", "1/3/2021, 10:00 PM", "Sales", "sales", "on"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, df := range []DateFormat{DDMMYYYY, MMDDYYYY, YYYYMMDD} {
			defs, err := NewCustomFields(df, []CustomField{
				{Key: "custom_field_1", Name: "hireDate", Type: FieldDate},
				{Key: "custom_field_2", Name: "department", Type: FieldDropdown, Options: []string{"Sales", "People"}},
				{Key: "custom_field_3", Name: "remote", Type: FieldCheckbox},
			})
			if err != nil {
				t.Fatal(err)
			}
			k := NewConnector(nil, ConnectorOptions{})
			for _, name := range []string{"hireDate", "department", "remote"} {
				out, err := k.encodeCustom(defs, &userChanges{custom: map[string]any{name: s}})
				if err != nil {
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("%s %q: %v, want ErrInvalid", name, s, err)
					}
					continue
				}
				checkEncoded(t, df, name, s, out)
			}
		}
	})
}

func checkEncoded(t *testing.T, df DateFormat, name, in string, out map[string]string) {
	t.Helper()
	for key, v := range out {
		switch {
		case name == "hireDate" && v != "":
			d, err := df.Parse(v)
			if err != nil || df.FormatDate(d) != v {
				t.Fatalf("date %q written as %q, which the portal's format %s does not read back", in, v, df)
			}
		case name == "department" && v != "" && (!slices.Contains([]string{"Sales", "People"}, v) || v != in):
			t.Fatalf("dropdown %q written as %q", in, v)
		case name == "remote" && v != "on" && v != "off" && v != "":
			t.Fatalf("checkbox %q written as %q (%s)", in, v, key)
		}
	}
}
