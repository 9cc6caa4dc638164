package hibob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Named lists the people fields use (https://apidocs.hibob.com/docs/fields-metadata);
// a field's list is its metadata's TypeData.ListID. Names are case-sensitive.
const (
	ListDepartment = "department"
	ListSite       = "site"
	ListTitle      = "title"
)

// ListItem is one item of a named list. Hierarchical lists (departments)
// nest items in Children.
type ListItem struct {
	// ID is the item's ID as a string, whatever HiBob sent (a number for
	// some lists, text for others).
	ID string
	// Name is the display name (HiBob's "name", else its "value").
	Name     string
	Archived bool
	Children []ListItem
}

type listItemJSON struct {
	ID       json.RawMessage `json:"id"`
	Value    string          `json:"value"`
	Name     string          `json:"name"`
	Archived bool            `json:"archived"`
	Children []ListItem      `json:"children"`
}

// UnmarshalJSON reads an item whose id may be a string or a number.
func (it *ListItem) UnmarshalJSON(b []byte) error {
	var j listItemJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*it = ListItem{ID: Value{raw: j.ID}.String(), Name: firstNonEmpty(j.Name, j.Value), Archived: j.Archived, Children: j.Children}
	return nil
}

// MarshalJSON writes the item in HiBob's shape, name under both keys.
func (it ListItem) MarshalJSON() ([]byte, error) {
	children := it.Children
	if children == nil {
		children = []ListItem{}
	}
	return json.Marshal(map[string]any{"id": it.ID, "value": it.Name, "name": it.Name, "archived": it.Archived, "children": children})
}

// NamedList is a company list (departments, sites, titles, ...), indexed to
// turn item IDs into names and names into IDs, child items included. The
// index is built when the list is read or made with NewNamedList; build a
// new list rather than editing Items.
type NamedList struct {
	Name  string
	Items []ListItem

	idx *listIndex
}

type listIndex struct {
	byID   map[string]flatItem
	byName map[string][]string // name → IDs, in list order
}

type flatItem struct {
	item     ListItem
	parentID string
}

// NewNamedList builds an indexed list.
func NewNamedList(name string, items []ListItem) *NamedList {
	l := &NamedList{Name: name, Items: items}
	l.idx = l.buildIndex()
	return l
}

// UnmarshalJSON reads {"name", "items"} (falling back to "values", which
// HiBob repeats the items under) and indexes it.
func (l *NamedList) UnmarshalJSON(b []byte) error {
	var j struct {
		Name   string     `json:"name"`
		Items  []ListItem `json:"items"`
		Values []ListItem `json:"values"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	items := j.Items
	if items == nil {
		items = j.Values
	}
	*l = *NewNamedList(j.Name, items)
	return nil
}

// MarshalJSON writes HiBob's shape.
func (l NamedList) MarshalJSON() ([]byte, error) {
	items := l.Items
	if items == nil {
		items = []ListItem{}
	}
	return json.Marshal(map[string]any{"name": l.Name, "items": items, "values": items})
}

func (l *NamedList) index() *listIndex {
	if l.idx != nil {
		return l.idx
	}
	return l.buildIndex() // a NamedList built by hand: index per call
}

func (l *NamedList) buildIndex() *listIndex {
	idx := &listIndex{byID: map[string]flatItem{}, byName: map[string][]string{}}
	var add func(items []ListItem, parent string)
	add = func(items []ListItem, parent string) {
		for _, it := range items {
			idx.byID[it.ID] = flatItem{item: it, parentID: parent}
			idx.byName[it.Name] = append(idx.byName[it.Name], it.ID)
			add(it.Children, it.ID)
		}
	}
	add(l.Items, "")
	return idx
}

// Item returns the item with id, at any depth.
func (l *NamedList) Item(id string) (ListItem, bool) {
	f, ok := l.index().byID[id]
	return f.item, ok
}

// NameOf returns the name of the item with id, at any depth.
func (l *NamedList) NameOf(id string) (string, bool) {
	f, ok := l.index().byID[id]
	return f.item.Name, ok
}

// ParentOf returns the ID of the item's parent; "" for a top-level item.
func (l *NamedList) ParentOf(id string) (string, bool) {
	f, ok := l.index().byID[id]
	return f.parentID, ok
}

// IDOf returns the ID of the item called name (exactly, as names are
// case-sensitive), at any depth: a child department is found by its own
// name. ok is false when no item or several carry the name.
func (l *NamedList) IDOf(name string) (string, bool) {
	ids := l.index().byName[name]
	if len(ids) != 1 {
		return "", false
	}
	return ids[0], true
}

// NamedListParams selects what NamedList and NamedLists read.
type NamedListParams struct {
	// IncludeArchived also returns archived items.
	IncludeArchived bool
}

// NamedList reads one company list (GET /company/named-lists/{name}). A
// name in the wrong case is ErrNotFound.
func (c *Client) NamedList(ctx context.Context, name string, p NamedListParams) (*NamedList, error) {
	if name == "" || strings.ContainsAny(name, "/?# \t\r\n") {
		return nil, wrapf(fmt.Errorf("list name %q is empty or not a list name", truncate(name, 60)), "read named list")
	}
	var l NamedList
	q := url.Values{"includeArchived": {strconv.FormatBool(p.IncludeArchived)}}
	if _, err := c.do(ctx, call{ep: ReadEndpoint, method: http.MethodGet, path: "company/named-lists/" + url.PathEscape(name), query: q, out: &l}); err != nil {
		return nil, wrapf(err, "read named list %q", name)
	}
	if l.Name == "" {
		l.Name = name
	}
	return &l, nil
}

// NamedLists reads every company list (GET /company/named-lists), keyed by
// name. HiBob answers an object keyed by list name; an array of lists is
// read too.
func (c *Client) NamedLists(ctx context.Context, p NamedListParams) (map[string]*NamedList, error) {
	q := url.Values{"includeArchived": {strconv.FormatBool(p.IncludeArchived)}}
	resp, err := c.do(ctx, call{ep: ReadEndpoint, method: http.MethodGet, path: "company/named-lists", query: q})
	if err != nil {
		return nil, wrapf(err, "read named lists")
	}
	lists, err := decodeLists(resp.Body)
	return lists, wrapf(err, "read named lists")
}

func decodeLists(body []byte) (map[string]*NamedList, error) {
	body = bytes.TrimSpace(body)
	out := map[string]*NamedList{}
	switch {
	case len(body) > 0 && body[0] == '[':
		var arr []*NamedList
		if err := json.Unmarshal(body, &arr); err != nil {
			return nil, err
		}
		for _, l := range arr {
			if l != nil && l.Name != "" {
				out[l.Name] = l
			}
		}
	case len(body) > 0 && body[0] == '{':
		var obj map[string]*NamedList
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, err
		}
		for name, l := range obj {
			if l == nil {
				continue
			}
			if l.Name == "" {
				l.Name = name
			}
			out[name] = l
		}
	default:
		return nil, errors.New("the answer is neither an object nor an array of lists")
	}
	return out, nil
}
