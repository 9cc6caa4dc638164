package talentlms

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// UserStatus is a user's state: active users can log in.
type UserStatus string

// The user states.
const (
	Active   UserStatus = "active"
	Inactive UserStatus = "inactive"
)

// User is a TalentLMS user. Lists (ListUsers) send an abridged user:
// Courses, Branches, Groups and the certification and badge lists (kept in
// Extra) come only from GetUser, GetUserByEmail and GetUserByUsername.
type User struct {
	ID               string
	Login            string
	FirstName        string
	LastName         string
	Email            string
	RestrictEmail    bool   // the user gets no emails from TalentLMS
	UserType         string // the user type's name, e.g. "Learner-Type"
	Timezone         string
	Language         string
	Status           UserStatus
	DeactivationDate Time // "" when none is set
	Level            string
	Points           string
	Credits          string
	CreatedOn        Time
	LastUpdated      Time
	Avatar           string
	Bio              string
	LoginKey         string // one-time SSO login URL: do not store or log it
	// Custom holds the custom_field_N values as sent (a JSON string, or
	// null when unset); read them with CustomFields.Value.
	Custom   Extra
	Courses  []UserCourse
	Branches []Ref
	Groups   []Ref
	// Extra keeps the fields this type does not name (certifications,
	// badges, …).
	Extra Extra
}

// CustomValue returns the raw value of the custom field key
// ("custom_field_3"): ok is false when the user has none (absent or null).
func (u *User) CustomValue(key string) (string, bool) {
	v, ok := u.Custom[key]
	if !ok || isNull(v) {
		return "", false
	}
	s, err := scalarText(v)
	return s, err == nil
}

// UserCourse is a course in a user's detail, with the user's progress.
type UserCourse struct {
	ID                        string
	Name                      string
	Role                      string // learner or instructor
	EnrolledOn                Time
	CompletedOn               Time
	CompletionStatus          CompletionStatus
	CompletionStatusText      string // completion_status as sent
	CompletionStatusFormatted string
	CompletionPercentage      int64
	ExpiredOn                 Time
	TotalTime                 string // "3m 17s"
	TotalTimeSeconds          int64
	LastAccessedUnitURL       string
	Extra                     Extra
}

func decodeUser(o *object) User {
	u := User{
		ID:               o.str("id"),
		Login:            o.str("login"),
		FirstName:        o.str("first_name"),
		LastName:         o.str("last_name"),
		Email:            o.str("email"),
		RestrictEmail:    o.flag("restrict_email"),
		UserType:         o.str("user_type"),
		Timezone:         o.str("timezone"),
		Language:         o.str("language"),
		Status:           UserStatus(strings.ToLower(o.str("status"))),
		DeactivationDate: o.time("deactivation_date"),
		Level:            o.str("level"),
		Points:           o.str("points"),
		Credits:          o.str("credits"),
		CreatedOn:        o.time("created_on"),
		LastUpdated:      o.time("last_updated"),
		Avatar:           o.str("avatar"),
		Bio:              o.str("bio"),
		LoginKey:         o.str("login_key"),
		Courses:          list(o, "courses", decodeUserCourse),
		Branches:         list(o, "branches", ref),
		Groups:           list(o, "groups", ref),
	}
	u.Custom = o.custom()
	u.Extra = o.rest()
	return u
}

func decodeUserCourse(o *object) UserCourse {
	uc := UserCourse{
		ID:                        o.str("id"),
		Name:                      o.text("name"),
		Role:                      o.str("role"),
		EnrolledOn:                o.time("enrolled_on"),
		CompletedOn:               o.time("completed_on"),
		CompletionStatusText:      o.str("completion_status"),
		CompletionStatusFormatted: o.str("completion_status_formatted"),
		CompletionPercentage:      o.int("completion_percentage"),
		ExpiredOn:                 o.time("expired_on"),
		TotalTime:                 o.str("total_time"),
		TotalTimeSeconds:          o.int("total_time_seconds"),
		LastAccessedUnitURL:       o.str("last_accessed_unit_url"),
	}
	uc.CompletionStatus = ParseCompletionStatus(uc.CompletionStatusText)
	uc.Extra = o.rest()
	return uc
}

// readUser decodes one user object.
func readUser(body []byte, df DateFormat) (*User, error) {
	o, err := decodeObject(body, df)
	if err != nil {
		return nil, err
	}
	u := decodeUser(o)
	if o.err != nil {
		return nil, o.err
	}
	return &u, nil
}

var digitsRe = regexp.MustCompile(`^[0-9]{1,19}$`)

// checkID refuses an id that is not a TalentLMS id (digits) before sending.
func checkID(kind, id string) error {
	if !digitsRe.MatchString(id) {
		return fmt.Errorf("%s id %q is not a TalentLMS id (digits)", kind, clip(id, 40))
	}
	return nil
}

// GetUser returns the user with the given id (GET users/id:{id}), in full;
// an error matching ErrNotFound when there is none.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	op := fmt.Sprintf("get user %s", id)
	if err := checkID("user", id); err != nil {
		return nil, wrapf(err, "get user")
	}
	return c.getUser(ctx, op, param{"id", id}, func(u *User) bool { return u.ID == id })
}

// GetUserByEmail returns the user with the given email address (GET
// users/email:{email}); an error matching ErrNotFound when there is none.
// The user returned is checked to have that address (in any case).
func (c *Client) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	op := fmt.Sprintf("get user by email %q", email)
	return c.getUser(ctx, op, param{"email", email}, func(u *User) bool { return strings.EqualFold(u.Email, email) })
}

// GetUserByUsername returns the user whose login is username (GET
// users/username:{login}); an error matching ErrNotFound when there is none.
func (c *Client) GetUserByUsername(ctx context.Context, username string) (*User, error) {
	op := fmt.Sprintf("get user by username %q", username)
	return c.getUser(ctx, op, param{"username", username}, func(u *User) bool { return strings.EqualFold(u.Login, username) })
}

// getUser fetches users/{p} and checks the answer is the user asked for:
// a path the server split differently must not hand back someone else.
func (c *Client) getUser(ctx context.Context, op string, p param, same func(*User) bool) (*User, error) {
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.get(ctx, op, "users", p)
	if err != nil {
		return nil, err
	}
	u, err := readUser(body, df)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	if !same(u) {
		return nil, wrapf(fmt.Errorf("TalentLMS answered user %s (%q), not the one asked for", u.ID, u.Login), "%s", op)
	}
	return u, nil
}

// Users paging (GET users/page_size:{n},page_number:{p}) is not in the
// official library, which sends plain GET users; independent clients page
// with it (default 20, at most 1000). ListUsers pages and copes with a
// portal that ignores the segment.
const (
	// DefaultUsersPageSize is the page size ListUsers asks for: the v2
	// API's documented cap, so that a portal capping v1 pages lower than
	// asked is unlikely to pass a capped page off as the last one.
	DefaultUsersPageSize = 100
	// MaxUsersPageSize is the largest page_size clients report v1 takes.
	MaxUsersPageSize = 1000
)

// ListUsersParams selects users.
type ListUsersParams struct {
	// PageSize is the number of users a request asks for, 1 to
	// MaxUsersPageSize; 0 means DefaultUsersPageSize.
	PageSize int
	// PageNumber is the 1-based page ListUsersPage fetches and ListUsers
	// starts from; 0 means 1.
	PageNumber int
	// Unpaged sends plain GET users (the official library's call), which
	// answers every user at once; PageSize and PageNumber are ignored.
	Unpaged bool
}

func (p ListUsersParams) withDefaults() (ListUsersParams, error) {
	if p.PageSize == 0 {
		p.PageSize = DefaultUsersPageSize
	}
	if p.PageNumber == 0 {
		p.PageNumber = 1
	}
	switch {
	case p.PageSize < 0 || p.PageSize > MaxUsersPageSize:
		return p, fmt.Errorf("page size %d is outside 1..%d", p.PageSize, MaxUsersPageSize)
	case p.PageNumber < 0:
		return p, fmt.Errorf("page number %d is negative", p.PageNumber)
	}
	return p, nil
}

// ListUsersPage returns one page of users, abridged (no courses or
// branches): GET users/page_size:{n},page_number:{p}, or GET users when
// p.Unpaged. A portal that ignores paging answers every user.
func (c *Client) ListUsersPage(ctx context.Context, p ListUsersParams) ([]User, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	df, err := c.DateFormat(ctx)
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	var params []param
	op := "list users"
	if !p.Unpaged {
		params = []param{{"page_size", fmt.Sprint(p.PageSize)}, {"page_number", fmt.Sprint(p.PageNumber)}}
		op = fmt.Sprintf("list users (page %d of %d)", p.PageNumber, p.PageSize)
	}
	body, err := c.get(ctx, op, "users", params...)
	if err != nil {
		return nil, err
	}
	users, err := decodeArray(body, df, decodeUser)
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	return users, nil
}
