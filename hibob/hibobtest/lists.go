package hibobtest

import (
	"fmt"
	"net/http"
	"strconv"
)

// list is one named list; item IDs are numeric strings, as HiBob's are for
// departments, sites and titles.
type list struct {
	name  string
	top   []*item
	byID  map[string]*item
	named map[string][]*item // by exact name, any depth
}

type item struct {
	id, name string
	archived bool
	parentID string
	children []*item
}

func newList(name string) *list {
	return &list{name: name, byID: map[string]*item{}, named: map[string][]*item{}}
}

// AddListItem adds an item called name to the named list (created if new)
// under parentID ("" for the top level) and returns its ID. An unknown
// parent is a test bug: it panics.
func (s *Server) AddListItem(listName, name, parentID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addItem(listName, name, parentID)
}

// AddDepartment adds a department, a child one when parentID is set.
func (s *Server) AddDepartment(name, parentID string) string {
	return s.AddListItem("department", name, parentID)
}

// AddSite adds a site.
func (s *Server) AddSite(name string) string { return s.AddListItem("site", name, "") }

// AddTitle adds a job title.
func (s *Server) AddTitle(name string) string { return s.AddListItem("title", name, "") }

// ArchiveListItem archives an item: lists leave it out unless
// includeArchived=true.
func (s *Server) ArchiveListItem(listName, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(listName, id)
	it.archived = true
}

// addItem must hold s.mu.
func (s *Server) addItem(listName, name, parentID string) string {
	l := s.lists[listName]
	if l == nil {
		l = newList(listName)
		s.lists[listName] = l
	}
	s.nextItem++
	it := &item{id: strconv.Itoa(s.nextItem), name: name, parentID: parentID}
	if parentID == "" {
		l.top = append(l.top, it)
	} else {
		parent := s.mustItem(listName, parentID)
		parent.children = append(parent.children, it)
	}
	l.byID[it.id] = it
	l.named[name] = append(l.named[name], it)
	return it.id
}

// mustItem must hold s.mu.
func (s *Server) mustItem(listName, id string) *item {
	if l := s.lists[listName]; l != nil {
		if it := l.byID[id]; it != nil {
			return it
		}
	}
	panic(fmt.Sprintf("hibobtest: list %q has no item %q", listName, id))
}

// itemByName finds the one item called name; ok is false for none or
// several. Must hold s.mu.
func (s *Server) itemByName(listName, name string) (*item, bool) {
	l := s.lists[listName]
	if l == nil || len(l.named[name]) != 1 {
		return nil, false
	}
	return l.named[name][0], true
}

// itemName is the name of item id, "" when unknown. Must hold s.mu.
func (s *Server) itemName(listName, id string) string {
	if l := s.lists[listName]; l != nil {
		if it := l.byID[id]; it != nil {
			return it.name
		}
	}
	return ""
}

// resolveItem accepts an item ID or its exact name and returns the ID.
// Must hold s.mu.
func (s *Server) resolveItem(listName, v string) (string, bool) {
	if l := s.lists[listName]; l != nil && l.byID[v] != nil {
		return v, true
	}
	if it, ok := s.itemByName(listName, v); ok {
		return it.id, true
	}
	return "", false
}

// render writes the list as HiBob does: the items under "values" and again
// under "items" (https://apidocs.hibob.com/reference/get_company-named-lists-listname).
func (l *list) render(archived bool) map[string]any {
	items := renderItems(l.top, archived)
	return map[string]any{"name": l.name, "values": items, "items": items}
}

func renderItems(items []*item, archived bool) []map[string]any {
	out := []map[string]any{}
	for _, it := range items {
		if it.archived && !archived {
			continue
		}
		id, _ := strconv.Atoi(it.id)
		out = append(out, map[string]any{
			"id": id, "value": it.name, "name": it.name, "archived": it.archived,
			"children": renderItems(it.children, archived),
		})
	}
	return out
}

// handleLists serves GET /company/named-lists: an object keyed by list name.
func (s *Server) handleLists(rq *request) {
	archived, ok := rq.includeArchived()
	if !ok {
		return
	}
	s.mu.Lock()
	out := map[string]any{}
	for name, l := range s.lists {
		out[name] = l.render(archived)
	}
	s.mu.Unlock()
	rq.json(http.StatusOK, out)
}

// handleList serves GET /company/named-lists/{name}; names are
// case-sensitive ("terminationreason", not "terminationReason").
func (s *Server) handleList(rq *request, name string) {
	archived, ok := rq.includeArchived()
	if !ok {
		return
	}
	s.mu.Lock()
	l := s.lists[name]
	var out map[string]any
	if l != nil {
		out = l.render(archived)
	}
	s.mu.Unlock()
	if l == nil {
		rq.fail(http.StatusNotFound, "notFound", "List "+name+" not found")
		return
	}
	rq.json(http.StatusOK, out)
}
