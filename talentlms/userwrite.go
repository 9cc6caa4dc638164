package talentlms

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/mail"
	"time"
)

// CreateUserParams is what usersignup takes. The first five fields are
// required (TalentLMS asks for a password even for SSO users: NewPassword
// makes one that meets the strong-password policy). Every mandatory custom
// field of the portal must be in Custom, or TalentLMS refuses the signup.
type CreateUserParams struct {
	FirstName string `form:"first_name"`
	LastName  string `form:"last_name"`
	Email     string `form:"email"`
	Login     string `form:"login"`
	Password  Secret `form:"password"`
	// RestrictEmail true stops TalentLMS emailing the user; nil leaves the
	// portal's default (emails are sent).
	RestrictEmail *bool  `form:"restrict_email,onoff"`
	BranchID      string `form:"branch_id"` // the user joins this branch
	GroupID       string `form:"group_id"`
	UserType      string `form:"user_type"` // the user type's name, as the portal shows it
	Language      string `form:"language"`
	// Custom maps custom_field_N keys to values in the portal's form
	// (CustomFields.Encode makes them from field names).
	Custom map[string]string `form:",custom"`
}

// EditUserParams is what edituser takes: UserID and the fields to change.
// An empty string leaves a field as it is; Bio, Custom values and
// DeactivationDate can also clear.
type EditUserParams struct {
	UserID        string            `form:"user_id"`
	FirstName     string            `form:"first_name"`
	LastName      string            `form:"last_name"`
	Email         string            `form:"email"`
	Login         string            `form:"login"`
	Password      Secret            `form:"password"`
	Bio           *string           `form:"bio"`
	Timezone      string            `form:"timezone"`
	Credits       string            `form:"credits"`
	RestrictEmail *bool             `form:"restrict_email,onoff"`
	UserType      string            `form:"user_type"`
	Custom        map[string]string `form:",custom"` // "" clears a field
	// DeactivationDate nil leaves it; a zero time clears it (sends "", as
	// https://github.com/clintmasden/talentlms.client documents); any other
	// time sets the date the user becomes inactive, written in the portal's
	// date format. TalentLMS takes it only for an active user.
	DeactivationDate *time.Time
}

// CreateUser signs a user up (POST usersignup) and returns the user
// TalentLMS stored. A taken email or login answers an error matching
// ErrConflict. A reply lost after sending answers ErrOutcomeUnknown: look
// the user up by email before creating again. Depending on the portal's
// signup settings the new user may be inactive; set the status after.
func (c *Client) CreateUser(ctx context.Context, p CreateUserParams) (*User, error) {
	op := fmt.Sprintf("create user %q", p.Email)
	if err := p.check(); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	form, err := encodeForm(p)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.post(ctx, op, "usersignup", form, false)
	if err != nil {
		return nil, err
	}
	u, err := readUser(body, df)
	if err == nil && u.ID == "" {
		err = fmt.Errorf("no id")
	}
	if err != nil {
		return nil, wrapf(errOutcome(err), "%s", op)
	}
	return u, nil
}

func (p CreateUserParams) check() error {
	for _, f := range []struct{ name, value string }{
		{"first_name", p.FirstName}, {"last_name", p.LastName}, {"email", p.Email},
		{"login", p.Login}, {"password", p.Password.Reveal()},
	} {
		if f.value == "" {
			return fmt.Errorf("%s is required", f.name)
		}
	}
	return checkEmail(p.Email)
}

func checkEmail(e string) error {
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e {
		return fmt.Errorf("email %q is not an address", clip(e, 80))
	}
	return nil
}

// EditUser changes a user (POST edituser) and returns the user as
// TalentLMS stored it. Sending the same edit twice has the same effect, so
// it is retried like a read.
func (c *Client) EditUser(ctx context.Context, p EditUserParams) (*User, error) {
	op := fmt.Sprintf("edit user %s", p.UserID)
	if err := checkID("user", p.UserID); err != nil {
		return nil, wrapf(err, "edit user")
	}
	if p.Email != "" {
		if err := checkEmail(p.Email); err != nil {
			return nil, wrapf(err, "%s", op)
		}
	}
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	form, err := encodeForm(p)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if d := p.DeactivationDate; d != nil {
		form.Set("deactivation_date", "")
		if !d.IsZero() {
			form.Set("deactivation_date", df.FormatDate(*d))
		}
	}
	body, err := c.post(ctx, op, "edituser", form, true)
	if err != nil {
		return nil, err
	}
	u, err := readUser(body, df)
	if err != nil {
		return nil, wrapf(errOutcome(err), "%s", op)
	}
	return u, nil
}

// NewPassword returns a random 20-character password that meets
// TalentLMS's strong-password policy (upper and lower case letters and
// digits; https://github.com/ib1984/py-talentlms quotes the rule), for
// users who sign in by SSO but whom usersignup still asks a password for.
func NewPassword() (Secret, error) {
	const (
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower  = "abcdefghijkmnopqrstuvwxyz"
		digits = "23456789"
		all    = upper + lower + digits
	)
	b := make([]byte, 20)
	for i := range b {
		set := all
		switch i {
		case 0:
			set = upper
		case 1:
			set = lower
		case 2:
			set = digits
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", fmt.Errorf("talentlms: new password: %w", err)
		}
		b[i] = set[n.Int64()]
	}
	return Secret(b), nil
}

// StatusResult is what usersetstatus answers.
type StatusResult struct {
	UserID string
	Status UserStatus
}

// SetUserStatus activates or deactivates a user (GET
// usersetstatus/user_id:{id},status:{status}: a write sent as a GET, as v1
// does). Activation can fail with ErrInvalid when the user's stored
// password breaks the portal's password policy.
func (c *Client) SetUserStatus(ctx context.Context, id string, status UserStatus) (*StatusResult, error) {
	op := fmt.Sprintf("set user %s %s", id, status)
	if err := checkID("user", id); err != nil {
		return nil, wrapf(err, "set user status")
	}
	if status != Active && status != Inactive {
		return nil, wrapf(fmt.Errorf("status %q is neither active nor inactive", status), "%s", op)
	}
	body, err := c.get(ctx, op, "usersetstatus", param{"user_id", id}, param{"status", string(status)})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	r := &StatusResult{UserID: o.str("user_id"), Status: UserStatus(o.str("status"))}
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return r, nil
}

// DeleteUserParams is what deleteuser takes.
type DeleteUserParams struct {
	UserID string `form:"user_id"`
	// DeletedByUserID names the admin recorded as the deleter; TalentLMS
	// records the account owner when it is empty.
	DeletedByUserID string `form:"deleted_by_user_id"`
	// Permanent deletes for good; otherwise the user is soft-deleted and
	// later reads answer "The requested user is no longer available"
	// (ErrNotFound). For offboarding, SetUserStatus(Inactive) keeps history.
	Permanent bool `form:"permanent,yesno"`
}

// DeleteUser deletes a user (POST deleteuser). A reply lost after the
// request was sent gives an error matching ErrOutcomeUnknown.
func (c *Client) DeleteUser(ctx context.Context, p DeleteUserParams) error {
	op := fmt.Sprintf("delete user %s", p.UserID)
	if err := checkID("user", p.UserID); err != nil {
		return wrapf(err, "delete user")
	}
	if p.DeletedByUserID != "" {
		if err := checkID("deleting user", p.DeletedByUserID); err != nil {
			return wrapf(err, "%s", op)
		}
	}
	form, err := encodeForm(p)
	if err != nil {
		return wrapf(err, "%s", op)
	}
	body, err := c.post(ctx, op, "deleteuser", form, false)
	if err != nil {
		return err
	}
	var r struct{ Message string }
	if json.Unmarshal(body, &r) != nil {
		return wrapf(fmt.Errorf("reply %q is not TalentLMS's confirmation: %w", clip(string(body), 80), ErrOutcomeUnknown), "%s", op)
	}
	return nil
}

// errOutcome marks a write whose 2xx reply cannot be read: it was applied,
// but its result is lost.
func errOutcome(err error) error {
	if errors.Is(err, ErrOutcomeUnknown) {
		return err
	}
	return fmt.Errorf("applied, but the reply is unreadable (%w): %w", err, ErrOutcomeUnknown)
}
