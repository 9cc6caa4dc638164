package learnamp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

// CreateUserParams is the body of POST /v1/users
// (https://developers.learnamp.com/#create-a-user), in Learn Amp's field
// names. Of each pair of alternatives (primary team by id or external id,
// secondary teams likewise, manager by id or email) at most one may be set.
type CreateUserParams struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// IntegrationExternalID is your system's id for the user, unique in the company.
	IntegrationExternalID string `json:"integrationExternalId,omitempty"`
	// Language is one of Learn Amp's language codes ("en", "fr", "pt-BR", ...).
	Language string `json:"language,omitempty"`
	JobTitle string `json:"jobTitle,omitempty"`
	// Role is one of viewer, curator, reporter, learning_designer, hr, admin.
	Role       string `json:"role,omitempty"`
	HireDate   *Date  `json:"hireDate,omitempty"`
	Location   string `json:"location,omitempty"`
	Department string `json:"department,omitempty"`

	PrimaryTeamID                       string   `json:"primaryTeamId,omitempty"`
	PrimaryTeamIntegrationExternalID    string   `json:"primaryTeamIntegrationExternalId,omitempty"`
	SecondaryTeamIDs                    []string `json:"secondaryTeamIds,omitempty"`
	SecondaryTeamIntegrationExternalIDs []string `json:"secondaryTeamIntegrationExternalIds,omitempty"`
	// ManagerID or ManagerEmail set the override manager (the user's own,
	// instead of the primary team's manager); the email is matched against
	// active users, ignoring case.
	ManagerID    string        `json:"managerId,omitempty"`
	ManagerEmail string        `json:"managerEmail,omitempty"`
	CustomFields []CustomField `json:"customFields,omitempty"`

	// SendInvitation lets Learn Amp email the user an invitation at once.
	// By default the client sends skipInvitation: true, and nobody is
	// emailed: Learn Amp invites immediately when skipInvitation is not
	// set, and has no call to invite later (invite from the People page).
	SendInvitation bool `json:"-"`
}

// MarshalJSON writes the body as Learn Amp documents it: ids as numbers,
// skipInvitation true unless SendInvitation.
func (p CreateUserParams) MarshalJSON() ([]byte, error) {
	type plain CreateUserParams
	w := struct {
		plain
		PrimaryTeamID    id   `json:"primaryTeamId,omitempty"`
		SecondaryTeamIDs []id `json:"secondaryTeamIds,omitempty"`
		ManagerID        id   `json:"managerId,omitempty"`
		SkipInvitation   bool `json:"skipInvitation,omitempty"`
	}{plain(p), id(p.PrimaryTeamID), ids(p.SecondaryTeamIDs), id(p.ManagerID), !p.SendInvitation}
	return marshal(w)
}

func (p CreateUserParams) validate() error {
	if err := checkPerson(p.Email, p.FirstName, p.LastName); err != nil {
		return err
	}
	refs := userRefs{
		primaryID: p.PrimaryTeamID, primaryExt: p.PrimaryTeamIntegrationExternalID,
		secondaryIDs: p.SecondaryTeamIDs, secondaryExts: p.SecondaryTeamIntegrationExternalIDs,
		managerID: p.ManagerID, managerEmail: p.ManagerEmail, customFields: p.CustomFields,
	}
	if p.HireDate != nil {
		refs.hireDate = *p.HireDate
	}
	return refs.check()
}

// CreateUser creates a user and returns it as Learn Amp stored it. Unless
// p.SendInvitation is set, no invitation email is sent. A taken email or
// integrationExternalId answers an error matching ErrInvalid; a create
// whose outcome is unknown answers ErrOutcomeUnknown: look the user up by
// integrationExternalId or email before creating again.
func (c *Client) CreateUser(ctx context.Context, p CreateUserParams) (*User, error) {
	op := fmt.Sprintf("create user %q", clip(p.Email))
	if err := p.validate(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	var u User
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "users", in: p, out: &u}); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if u.ID == "" {
		return nil, wrapf(fmt.Errorf("created, but the reply has no user id: %w", ErrOutcomeUnknown), "%s", op)
	}
	return &u, nil
}

// UpdateUserParams is the body of PUT /v1/users/{id} and of its
// by_integration_external_id twin (https://developers.learnamp.com/#update-a-user).
// Email, FirstName and LastName are always sent: the reference marks them
// required on update too. A nil field is left out and left unchanged; a
// pointer to "" clears IntegrationExternalID.
type UpdateUserParams struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// IntegrationExternalID renames the user's external id; Ptr("") clears it.
	IntegrationExternalID *string `json:"integrationExternalId,omitempty"`
	Language              *string `json:"language,omitempty"`
	JobTitle              *string `json:"jobTitle,omitempty"`
	Role                  *string `json:"role,omitempty"`
	HireDate              *Date   `json:"hireDate,omitempty"`
	Location              *string `json:"location,omitempty"`
	Department            *string `json:"department,omitempty"`

	PrimaryTeamID                    *string `json:"primaryTeamId,omitempty"`
	PrimaryTeamIntegrationExternalID *string `json:"primaryTeamIntegrationExternalId,omitempty"`
	// SecondaryTeamIDs (or the external ids) set the secondary teams when
	// not nil; an empty, non-nil list sends []. Learn Amp does not say
	// whether the list replaces the teams or adds to them.
	SecondaryTeamIDs                    []string `json:"secondaryTeamIds,omitempty"`
	SecondaryTeamIntegrationExternalIDs []string `json:"secondaryTeamIntegrationExternalIds,omitempty"`
	ManagerID                           *string  `json:"managerId,omitempty"`
	ManagerEmail                        *string  `json:"managerEmail,omitempty"`
	// OccupationRole names a skills-matrix role of the company; an unknown
	// name answers 422 (ErrInvalid).
	OccupationRole *string `json:"occupationRole,omitempty"`
	// Reactivate reactivates a deactivated user as part of the update.
	Reactivate bool `json:"reactivate,omitempty"`
	// CustomFields sets the named fields and leaves the others unchanged.
	CustomFields []CustomField `json:"customFields,omitempty"`
}

// MarshalJSON writes the body as Learn Amp documents it, ids as numbers.
func (p UpdateUserParams) MarshalJSON() ([]byte, error) {
	type plain UpdateUserParams
	w := struct {
		plain
		PrimaryTeamID                       *id       `json:"primaryTeamId,omitempty"`
		SecondaryTeamIDs                    *[]id     `json:"secondaryTeamIds,omitempty"`
		SecondaryTeamIntegrationExternalIDs *[]string `json:"secondaryTeamIntegrationExternalIds,omitempty"`
		ManagerID                           *id       `json:"managerId,omitempty"`
	}{plain: plain(p), PrimaryTeamID: (*id)(p.PrimaryTeamID), ManagerID: (*id)(p.ManagerID)}
	if p.SecondaryTeamIDs != nil {
		list := ids(p.SecondaryTeamIDs)
		w.SecondaryTeamIDs = &list
	}
	if p.SecondaryTeamIntegrationExternalIDs != nil {
		w.SecondaryTeamIntegrationExternalIDs = &p.SecondaryTeamIntegrationExternalIDs
	}
	return marshal(w)
}

func (p UpdateUserParams) validate() error {
	if err := checkPerson(p.Email, p.FirstName, p.LastName); err != nil {
		return err
	}
	refs := userRefs{
		primaryID: deref(p.PrimaryTeamID), primaryExt: deref(p.PrimaryTeamIntegrationExternalID),
		secondaryIDs: p.SecondaryTeamIDs, secondaryExts: p.SecondaryTeamIntegrationExternalIDs,
		managerID: deref(p.ManagerID), managerEmail: deref(p.ManagerEmail), customFields: p.CustomFields,
	}
	if p.HireDate != nil {
		refs.hireDate = *p.HireDate
	}
	if p.PrimaryTeamID != nil && *p.PrimaryTeamID == "" || p.ManagerID != nil && *p.ManagerID == "" {
		return errors.New("primaryTeamId and managerId cannot be cleared with an empty id")
	}
	return refs.check()
}

// UpdateUser changes the user with Learn Amp id id and returns it as
// stored. See UpdateUserByExternalID to address the user by your own id.
func (c *Client) UpdateUser(ctx context.Context, id string, p UpdateUserParams) (*User, error) {
	if err := checkID("user", id); err != nil {
		return nil, wrapf(err, "update user")
	}
	return c.updateUser(ctx, "users/"+id, "update user "+id, p)
}

// UpdateUserByExternalID changes the user whose integrationExternalId is
// ext; p.IntegrationExternalID can rename it. An unknown ext answers an
// error matching ErrNotFound.
func (c *Client) UpdateUserByExternalID(ctx context.Context, ext string, p UpdateUserParams) (*User, error) {
	if err := checkExternalID("user", ext); err != nil {
		return nil, wrapf(err, "update user")
	}
	return c.updateUser(ctx, "users/by_integration_external_id/"+segment(ext), fmt.Sprintf("update user %q", clip(ext)), p)
}

func (c *Client) updateUser(ctx context.Context, path, op string, p UpdateUserParams) (*User, error) {
	if err := p.validate(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	var u User
	if _, err := c.do(ctx, call{method: http.MethodPut, path: path, in: p, out: &u}); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if u.ID == "" {
		return nil, fmt.Errorf("learnamp: %s: the reply has no user id", op)
	}
	return &u, nil
}

// DeactivateUser deactivates a user: they can no longer log in, their data
// is kept, and Learn Amp removes them from their teams. This is what a
// leaver should get; Learn Amp has no leave date, so call it on the day.
func (c *Client) DeactivateUser(ctx context.Context, id string) error {
	return c.userAction(ctx, id, "deactivate")
}

// ReactivateUser lets a deactivated user log in again.
func (c *Client) ReactivateUser(ctx context.Context, id string) error {
	return c.userAction(ctx, id, "reactivate")
}

func (c *Client) userAction(ctx context.Context, id, action string) error {
	if err := checkID("user", id); err != nil {
		return wrapf(err, "%s user", action)
	}
	if _, err := c.do(ctx, call{method: http.MethodPut, path: "users/" + id + "/" + action}); err != nil {
		return wrapf(err, "%s user %s", action, id)
	}
	return nil
}

// DeleteUser deletes a user and their data for good. A sync should
// deactivate instead.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	if err := checkID("user", id); err != nil {
		return wrapf(err, "delete user")
	}
	if _, err := c.do(ctx, call{method: http.MethodDelete, path: "users/" + id}); err != nil {
		return wrapf(err, "delete user %s", id)
	}
	return nil
}

// checkPerson checks the three fields every user write carries.
func checkPerson(email, first, last string) error {
	for _, f := range []struct{ name, v string }{{"email", email}, {"firstName", first}, {"lastName", last}} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%s is required", f.name)
		}
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return fmt.Errorf("email %q is not a plain email address", clip(email))
	}
	return nil
}

// userRefs are the references of a user write, checked alike on create and update.
type userRefs struct {
	primaryID, primaryExt   string
	secondaryIDs            []string
	secondaryExts           []string
	managerID, managerEmail string
	customFields            []CustomField
	hireDate                Date
}

// check refuses what Learn Amp would answer 400 to, before anything is sent:
// both of an exclusive pair, malformed ids, nameless custom fields.
func (r userRefs) check() error {
	for _, pair := range []struct {
		a, b string
		aSet bool
		bSet bool
	}{
		{"primaryTeamId", "primaryTeamIntegrationExternalId", r.primaryID != "", r.primaryExt != ""},
		{"secondaryTeamIds", "secondaryTeamIntegrationExternalIds", r.secondaryIDs != nil, r.secondaryExts != nil},
		{"managerId", "managerEmail", r.managerID != "", r.managerEmail != ""},
	} {
		if pair.aSet && pair.bSet {
			return fmt.Errorf("%s and %s are mutually exclusive: set one", pair.a, pair.b)
		}
	}
	if r.primaryID != "" {
		if err := checkID("primary team", r.primaryID); err != nil {
			return err
		}
	}
	if err := checkIDs("secondary team", r.secondaryIDs); err != nil {
		return err
	}
	if r.managerID != "" {
		if err := checkID("manager", r.managerID); err != nil {
			return err
		}
	}
	for i, f := range r.customFields {
		if strings.TrimSpace(f.Name) == "" {
			return fmt.Errorf("custom field %d has no name", i)
		}
	}
	if _, err := r.hireDate.MarshalJSON(); err != nil {
		return fmt.Errorf("hireDate: %w", err)
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
