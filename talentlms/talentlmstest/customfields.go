package talentlmstest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
)

// renderField is a definition as getcustomregistrationfields sends it.
func renderField(f *talentlms.CustomField) map[string]any {
	yn := map[bool]string{true: "yes", false: "no"}
	var dropdown any
	if f.Type == talentlms.FieldDropdown {
		opts := make([]string, len(f.Options))
		for i, o := range f.Options {
			if o == f.DefaultOption {
				o = "[" + o + "]"
			}
			opts[i] = o
		}
		dropdown = strings.Join(opts, ";")
	}
	return map[string]any{
		"key": f.Key, "name": f.Name, "type": string(f.Type),
		"mandatory": yn[f.Mandatory], "visible_on_reports": yn[f.VisibleOnReports],
		"dropdown_values": dropdown, "checkbox_status": map[bool]string{true: "on", false: "off"}[f.CheckboxDefault],
		"selective_availability": yn[f.SelectiveAvailability], "branch": nil,
		"main_domain_availability": nil, "previous_key": nil, "order": f.Order,
	}
}

func (s *Server) listCustomFields(w http.ResponseWriter, raw string) {
	if raw != "" {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	out := make([]any, 0, len(s.st.fields))
	for _, f := range s.st.fields {
		out = append(out, renderField(f))
	}
	s.mu.Unlock()
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// checkCustom reads the custom_field_N values of a signup or edit: each
// key must be one of the portal's fields and each value valid for its
// type; a signup must carry every mandatory field. It returns the values
// (by key) or the message to refuse with.
func (st *state) checkCustom(f url.Values, signup bool) (map[string]string, string) {
	out := map[string]string{}
	for k := range f {
		if !strings.HasPrefix(k, "custom_field_") {
			continue
		}
		def := st.fieldByKey[k]
		if def == nil {
			return nil, msgInvalid
		}
		v := f.Get(k)
		if !st.validCustom(def, v) {
			return nil, msgInvalid
		}
		out[k] = v
	}
	if signup {
		for _, def := range st.fields {
			if def.Mandatory && f.Get(def.Key) == "" {
				return nil, "The custom field '" + def.Name + "' is mandatory"
			}
		}
	}
	return out, ""
}

// validCustom checks a value against its field: a dropdown option exactly,
// on/off, or a date in the portal's date format (strictly its padded
// layout); "" (clear) and, for text and dates, blanks are accepted.
func (st *state) validCustom(def *talentlms.CustomField, v string) bool {
	if v == "" {
		return true
	}
	switch def.Type {
	case talentlms.FieldDropdown:
		return slices.Contains(def.Options, v)
	case talentlms.FieldCheckbox:
		return v == "on" || v == "off"
	case talentlms.FieldDate:
		if trimmedBlank(v) {
			return true
		}
		_, err := time.Parse(st.df.DateLayout(), v)
		return err == nil
	}
	return true
}

// CustomFields returns the portal's custom user fields, in order.
func (s *Server) CustomFields() []talentlms.CustomField {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]talentlms.CustomField, 0, len(s.st.fields))
	for _, f := range s.st.fields {
		out = append(out, *f)
	}
	return out
}
