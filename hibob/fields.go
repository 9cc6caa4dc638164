package hibob

import (
	"context"
	"net/http"
)

// FieldMeta describes one employee field
// (https://apidocs.hibob.com/reference/get_company-people-fields).
type FieldMeta struct {
	// ID is the field ID to ask for: "work.title", "work.custom.field_1698036945383".
	ID string `json:"id"`
	// Category and CategoryID name the category permissions are granted on;
	// CategoryDisplayName is how Bob's UI shows it.
	Category            string `json:"category"`
	CategoryID          string `json:"categoryId"`
	CategoryDisplayName string `json:"categoryDisplayName"`
	Name                string `json:"name"`
	Description         string `json:"description"`
	// JSONPath is where the value sits in a read ("email" for root.email).
	JSONPath string `json:"jsonPath"`
	// Type is text, date, list, multi-list, hierarchy-list, list_id,
	// employee-reference, number, boolean, ...
	Type     string        `json:"type"`
	TypeData FieldTypeData `json:"typeData"`
	// Historical fields live in a table (work, lifecycle...): they change
	// through a dated entry, not UpdateEmployee.
	Historical bool `json:"historical"`
}

// FieldTypeData holds a list field's list.
type FieldTypeData struct {
	// ListID is the named list behind a list field ("department").
	ListID string `json:"listId,omitempty"`
}

// Fields reads the metadata of every employee field, custom ones included
// (GET /company/people/fields). It needs no permission; reading the values
// does.
func (c *Client) Fields(ctx context.Context) ([]FieldMeta, error) {
	var out []FieldMeta
	if _, err := c.do(ctx, call{ep: ReadEndpoint, method: http.MethodGet, path: "company/people/fields", out: &out}); err != nil {
		return nil, wrapf(err, "read fields metadata")
	}
	return out, nil
}
