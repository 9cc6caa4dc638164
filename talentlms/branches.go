package talentlms

import (
	"context"
	"fmt"
	"iter"

	"github.com/rostersync/rostersync/internal/httpx"
)

// Branch is a TalentLMS branch: a sub-portal users and courses belong to.
// GetBranch adds Users and Courses; a user can be in several branches.
type Branch struct {
	ID                           string
	Name                         string
	Description                  string
	Avatar                       string
	Theme                        string
	BadgeSetID                   string
	Timezone                     string
	SignupMethod                 string
	InternalAnnouncement         string
	ExternalAnnouncement         string
	Language                     string
	UserTypeID                   string
	UserType                     string
	GroupID                      string
	RegistrationEmailRestriction string
	UsersLimit                   string
	// DisallowGlobalLogin: the branch's users cannot log in on the main domain.
	DisallowGlobalLogin bool
	Users               []Ref // members, by id and display name ("J. Smith")
	Courses             []Ref
	Extra               Extra // e-commerce settings and anything else
}

func decodeBranch(o *object) Branch {
	b := Branch{
		ID:                           o.str("id"),
		Name:                         o.text("name"),
		Description:                  o.str("description"),
		Avatar:                       o.str("avatar"),
		Theme:                        o.str("theme"),
		BadgeSetID:                   o.str("badge_set_id"),
		Timezone:                     o.str("timezone"),
		SignupMethod:                 o.str("signup_method"),
		InternalAnnouncement:         o.str("internal_announcement"),
		ExternalAnnouncement:         o.str("external_announcement"),
		Language:                     o.str("language"),
		UserTypeID:                   o.str("user_type_id"),
		UserType:                     o.str("user_type"),
		GroupID:                      o.str("group_id"),
		RegistrationEmailRestriction: o.str("registration_email_restriction"),
		UsersLimit:                   o.str("users_limit"),
		DisallowGlobalLogin:          o.flag("disallow_global_login"),
		Users:                        list(o, "users", ref),
		Courses:                      list(o, "courses", ref),
	}
	b.Extra = o.rest()
	return b
}

// ListBranches yields every branch (GET branches: the whole list in one reply).
func (c *Client) ListBranches(ctx context.Context) iter.Seq2[Branch, error] {
	return httpx.Pages(ctx, func(ctx context.Context, _ int) ([]Branch, bool, error) {
		const op = "list branches"
		body, err := c.get(ctx, op, "branches")
		if err != nil {
			return nil, false, err
		}
		branches, err := decodeArray(body, "", decodeBranch)
		if err != nil {
			return nil, false, wrapf(err, op)
		}
		return branches, false, nil
	})
}

// GetBranch returns a branch with its users and courses (GET
// branches/id:{id}); an error matching ErrNotFound when there is none.
func (c *Client) GetBranch(ctx context.Context, id string) (*Branch, error) {
	op := "get branch " + id
	if err := checkID("branch", id); err != nil {
		return nil, wrapf(err, "get branch")
	}
	body, err := c.get(ctx, op, "branches", param{"id", id})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	b := decodeBranch(o)
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return &b, nil
}

// ListBranchUsers yields the users of a branch, abridged as ListUsers
// sends them. v1 has no branch filter: this reads the branch's member ids
// (GET branches/id:{id}) and then lists the users, keeping the members;
// calls: 1 + ListUsers' pages.
func (c *Client) ListBranchUsers(ctx context.Context, branchID string) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		b, err := c.GetBranch(ctx, branchID)
		if err != nil {
			yield(User{}, err)
			return
		}
		members := make(map[string]bool, len(b.Users))
		for _, m := range b.Users {
			members[m.ID] = true
		}
		if len(members) == 0 {
			return
		}
		for u, err := range c.ListUsers(ctx, ListUsersParams{}) {
			if err == nil && !members[u.ID] {
				continue
			}
			if !yield(u, err) || err != nil {
				return
			}
		}
	}
}

// BranchMembership is what addusertobranch and removeuserfrombranch answer.
type BranchMembership struct {
	UserID     string
	BranchID   string
	BranchName string
}

// AddUserToBranch puts a user in a branch (GET
// addusertobranch/user_id:{u},branch_id:{b}: a write sent as a GET). A
// member already answers an error matching ErrAlreadyMember (and
// ErrConflict); a retry after a lost reply can too, so count it as done.
func (c *Client) AddUserToBranch(ctx context.Context, userID, branchID string) (*BranchMembership, error) {
	return c.branchMembership(ctx, "addusertobranch", fmt.Sprintf("add user %s to branch %s", userID, branchID), userID, branchID)
}

// RemoveUserFromBranch takes a user out of a branch (GET
// removeuserfrombranch/user_id:{u},branch_id:{b}). A user not in the
// branch answers an error matching ErrNotMember (and ErrNotFound).
func (c *Client) RemoveUserFromBranch(ctx context.Context, userID, branchID string) (*BranchMembership, error) {
	return c.branchMembership(ctx, "removeuserfrombranch", fmt.Sprintf("remove user %s from branch %s", userID, branchID), userID, branchID)
}

func (c *Client) branchMembership(ctx context.Context, action, op, userID, branchID string) (*BranchMembership, error) {
	if err := checkIDs("user", userID, "branch", branchID); err != nil {
		return nil, wrapf(err, "%s", op)
	}
	body, err := c.get(ctx, op, action, param{"user_id", userID}, param{"branch_id", branchID})
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(body, "")
	if err != nil {
		return nil, wrapf(err, "%s", op)
	}
	m := &BranchMembership{UserID: o.str("user_id"), BranchID: o.str("branch_id"), BranchName: o.text("branch_name")}
	if o.err != nil {
		return nil, wrapf(o.err, "%s", op)
	}
	return m, nil
}
