package hibobtest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rostersync/rostersync/hibob"
)

// fieldDef is one field of the fake's metadata.
type fieldDef struct {
	hibob.FieldMeta
	path []string // nested JSON path of the value ("email"; "work", "title")
}

// standardFields are the fields the fake serves, as a live tenant's
// metadata lists them (https://apidocs.hibob.com/docs/fields-metadata).
func standardFields() []hibob.FieldMeta {
	f := func(id, cat, name, typ, list string, historical bool) hibob.FieldMeta {
		path := id
		if p, ok := strings.CutPrefix(id, "root."); ok {
			path = p
		}
		display := map[string]string{"root": "Basic info", "work": "Work", "internal": "Lifecycle",
			"personalContact": "Personal contact details", "about": "About"}[cat]
		return hibob.FieldMeta{ID: id, Category: cat, CategoryID: cat, CategoryDisplayName: display,
			Name: name, JSONPath: path, Type: typ, TypeData: hibob.FieldTypeData{ListID: list}, Historical: historical}
	}
	return []hibob.FieldMeta{
		f("root.id", "root", "ID", "employee-reference", "", false),
		f("root.companyId", "root", "Company id", "number", "", false),
		f("root.email", "root", "Email", "text", "", false),
		f("root.firstName", "root", "First name", "text", "", false),
		f("root.surname", "root", "Last name", "text", "", false),
		f("root.fullName", "root", "Full name", "text", "", false),
		f("root.displayName", "root", "Display name", "text", "", false),
		f("home.mobilePhone", "personalContact", "Personal mobile", "text", "", false),
		f("about.hobbies", "about", "Hobbies", "multi-list", "hobbies", false),
		f("work.title", "work", "Job title", "list", hibob.ListTitle, true),
		f("work.department", "work", "Department", "list", hibob.ListDepartment, true),
		f("work.site", "work", "Site", "text", "", false),
		f("work.siteId", "work", "Site", "list_id", hibob.ListSite, true),
		f("work.startDate", "work", "Start date", "date", "", false),
		f("work.reportsTo", "work", "Reports to", "employee", "", true),
		f("work.manager", "work", "Manager", "employee-reference", "", true),
		f("internal.status", "internal", "Status", "text", "", true),
		f("internal.lifecycleStatus", "internal", "Lifecycle status", "text", "", true),
		f("internal.terminationDate", "internal", "Termination date", "date", "", true),
	}
}

// defaultSearchFields is what a read without "fields" returns: basic info
// and work (https://apidocs.hibob.com/reference/post_people-search).
var defaultSearchFields = []string{
	"root.id", "root.email", "root.firstName", "root.surname", "root.displayName",
	"work.title", "work.department", "work.site", "work.startDate",
}

// readOnlyFields are computed or lifecycle fields no write may set.
var readOnlyFields = map[string]bool{
	"root.id": true, "root.companyId": true, "root.fullName": true,
	"internal.status": true, "internal.lifecycleStatus": true, "internal.terminationDate": true,
}

// AddField adds a field to the metadata, a custom one say
// (ID "work.custom.field_1698036945383", JSONPath "work.custom.field_1698036945383");
// its values are then read and written like the others. An empty JSONPath
// is the ID (root fields: without "root."). A field that exists already, or
// a malformed ID, is a test bug: it panics.
func (s *Server) AddField(meta hibob.FieldMeta) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addField(meta)
}

// addField must hold s.mu.
func (s *Server) addField(meta hibob.FieldMeta) {
	if _, dup := s.fields[meta.ID]; dup || !strings.Contains(meta.ID, ".") {
		panic(fmt.Sprintf("hibobtest: AddField %q: exists already or is not a dotted field ID", meta.ID))
	}
	if meta.JSONPath == "" {
		meta.JSONPath = strings.TrimPrefix(meta.ID, "root.")
	}
	if meta.CategoryID == "" {
		meta.CategoryID = meta.Category
	}
	def := &fieldDef{FieldMeta: meta, path: strings.Split(meta.JSONPath, ".")}
	s.fields[meta.ID] = def
	s.fieldOrder = append(s.fieldOrder, meta.ID)
	s.byJSONPath[meta.JSONPath] = def
}

// handleFields serves GET /company/people/fields.
func (s *Server) handleFields(rq *request) {
	s.mu.Lock()
	out := make([]hibob.FieldMeta, 0, len(s.fieldOrder))
	for _, id := range s.fieldOrder {
		out = append(out, s.fields[id].FieldMeta)
	}
	s.mu.Unlock()
	rq.json(http.StatusOK, out)
}
