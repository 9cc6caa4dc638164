package hibob_test

import (
	"encoding/json"
	"errors"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/hibob/hibobtest"
)

func TestNamedListGolden(t *testing.T) {
	var l hibob.NamedList
	if err := json.Unmarshal(readGolden(t, "named_list_department.json"), &l); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ id, name, parent string }{
		{"216874211", "Engineering", ""},
		{"216874212", "Platform", "216874211"}, // a child, by its own name
		{"sales", "Sales", ""},                 // a text ID
		{"216874299", "Old Team", ""},
	}
	for _, tt := range tests {
		name, ok := l.NameOf(tt.id)
		parent, _ := l.ParentOf(tt.id)
		id, idOK := l.IDOf(tt.name)
		if !ok || name != tt.name || parent != tt.parent || !idOK || id != tt.id {
			t.Errorf("%s: NameOf %q,%v ParentOf %q IDOf %q,%v", tt.id, name, ok, parent, id, idOK)
		}
	}
	if it, _ := l.Item("216874299"); !it.Archived {
		t.Error("archived item not marked")
	}
	if _, ok := l.IDOf("engineering"); ok {
		t.Error("names are case-sensitive")
	}
	var sites hibob.NamedList
	if err := json.Unmarshal(readGolden(t, "named_list_values_only.json"), &sites); err != nil {
		t.Fatal(err)
	}
	if id, ok := sites.IDOf("New York"); !ok || id != "2118672" {
		t.Errorf("values-only list: IDOf = %q, %v", id, ok)
	}
}

func TestNamedListAmbiguousAndHandBuilt(t *testing.T) {
	l := &hibob.NamedList{Name: "department", Items: []hibob.ListItem{
		{ID: "1", Name: "Ops", Children: []hibob.ListItem{{ID: "2", Name: "Support"}}},
		{ID: "3", Name: "Sales", Children: []hibob.ListItem{{ID: "4", Name: "Support"}}},
	}}
	if _, ok := l.IDOf("Support"); ok {
		t.Error("an ambiguous name resolved")
	}
	if name, ok := l.NameOf("4"); !ok || name != "Support" {
		t.Errorf("hand-built list NameOf = %q, %v", name, ok)
	}
	b, err := json.Marshal(hibob.NewNamedList("x", l.Items))
	if err != nil {
		t.Fatal(err)
	}
	var back hibob.NamedList
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(l.Items, back.Items, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestNamedListsBothShapes(t *testing.T) {
	srv, _ := seeded(t)
	c := srv.NewClient(t)
	for _, file := range []string{"named_lists_object.json", "named_lists_array.json"} {
		srv.ClearFaults()
		srv.AddFault(hibobFault("/v1/company/named-lists", readGolden(t, file)))
		lists, err := c.NamedLists(ctx, hibob.NamedListParams{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var names []string
		for name, l := range lists {
			if l.Name != name {
				t.Errorf("%s: list %q named %q", file, name, l.Name)
			}
			names = append(names, name)
		}
		sort.Strings(names)
		if id, _ := lists["site"].IDOf("London"); id != "2118671" || len(names) != 2 {
			t.Errorf("%s: lists %v, London %q", file, names, id)
		}
	}
}

func TestNamedListFromFake(t *testing.T) {
	srv, ids := seeded(t)
	c := srv.NewClient(t)
	depts, err := c.NamedList(ctx, hibob.ListDepartment, hibob.NamedListParams{})
	if err != nil {
		t.Fatal(err)
	}
	engineer, err := c.GetEmployee(ctx, ids["engineer"], hibob.GetEmployeeParams{HumanReadable: hibob.MachineOnly})
	if err != nil {
		t.Fatal(err)
	}
	name, ok := depts.NameOf(engineer.DepartmentID())
	parent, _ := depts.ParentOf(engineer.DepartmentID())
	parentName, _ := depts.NameOf(parent)
	if !ok || name != "Platform" || parentName != "Engineering" {
		t.Errorf("engineer's department %q (%v) under %q", name, ok, parentName)
	}
	if _, err := c.NamedList(ctx, "Department", hibob.NamedListParams{}); !errors.Is(err, hibob.ErrNotFound) {
		t.Errorf("wrong case: %v, want ErrNotFound", err)
	}
	if _, err := c.NamedList(ctx, "a/b", hibob.NamedListParams{}); err == nil {
		t.Error("a list name with a slash was sent")
	}
	all, err := c.NamedLists(ctx, hibob.NamedListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := all["site"].IDOf("New York"); !ok {
		t.Errorf("all lists: %v", all)
	}
}

func TestNamedListArchived(t *testing.T) {
	srv, _ := seeded(t)
	old := srv.AddTitle("Typist")
	srv.ArchiveListItem(hibob.ListTitle, old)
	c := srv.NewClient(t)
	for _, archived := range []bool{false, true} {
		l, err := c.NamedList(ctx, hibob.ListTitle, hibob.NamedListParams{IncludeArchived: archived})
		if err != nil {
			t.Fatal(err)
		}
		if _, found := l.Item(old); found != archived {
			t.Errorf("includeArchived=%v: archived item found=%v", archived, found)
		}
	}
}

func hibobFault(path string, body []byte) hibobtest.Fault {
	return hibobtest.Fault{Method: "GET", Path: path, Status: 200, Body: string(body)}
}
