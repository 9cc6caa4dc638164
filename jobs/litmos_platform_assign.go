package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rostersync/rostersync/litmos"
	"github.com/rostersync/rostersync/syncengine"
)

// LitmosRemediation assigns Litmos courses to the people of a platform fed
// by LitmosPlatform (remediation training after a failed phishing test,
// say), naming them by their platform user id.
type LitmosRemediation struct {
	// Litmos is the client courses are assigned through.
	Litmos *litmos.Client
	// Store and Pair are the job engine's (Engine.Store, Engine.Pair):
	// the link table says which Litmos user a platform user is.
	Store syncengine.Store
	Pair  string
	// Platform is the job's sink. A platform user the link table does not
	// know (a state directory started afresh) is read from it, and its
	// "integration_id" taken as its Litmos id, as the job matches them.
	Platform syncengine.Connector
	// SendEmail lets Litmos email the learner about the assignment; by
	// default none is sent (sendmessage=false, sent explicitly, as Litmos
	// emails on course assignment unless told not to).
	SendEmail bool
}

// CourseAssignment is one course of a learner, as Litmos reports it.
type CourseAssignment struct {
	CourseID string `json:"course_id"`
	Code     string `json:"code,omitempty"`
	Name     string `json:"name,omitempty"`
	// Assigned is set when this call assigned the course; an assignment
	// that existed (Assign found it) leaves it false.
	Assigned bool `json:"assigned"`
	// Pending is set by Plan for a course Assign would assign.
	Pending            bool      `json:"pending,omitempty"`
	Complete           bool      `json:"complete"`
	PercentageComplete float64   `json:"percentage_complete"`
	AssignedDate       time.Time `json:"assigned_date,omitzero"`
	DateCompleted      time.Time `json:"date_completed,omitzero"`
}

// LitmosUser returns the Litmos id of platform user platformID: from the
// link table, else from the platform user's integration_id (checked in
// Litmos, one call).
func (r *LitmosRemediation) LitmosUser(ctx context.Context, platformID string) (string, error) {
	links, err := r.Store.Links(ctx, r.Pair, syncengine.Users)
	if err != nil {
		return "", fmt.Errorf("jobs: read the link table: %w", err)
	}
	for _, l := range links {
		if l.BID == platformID {
			return l.AID, nil
		}
	}
	if r.Platform == nil {
		return "", fmt.Errorf("jobs: platform user %q is not linked to a Litmos user: %w", platformID, syncengine.ErrNotFound)
	}
	u, err := r.Platform.Get(ctx, syncengine.Users, platformID)
	if err != nil {
		return "", fmt.Errorf("jobs: platform user %q: %w", platformID, err)
	}
	id, _ := u.Fields[PlatformID].(string)
	if id == "" {
		return "", fmt.Errorf("jobs: platform user %q has no %s: %w", platformID, PlatformID, syncengine.ErrNotFound)
	}
	if _, err := r.Litmos.GetUser(ctx, id); err != nil {
		return "", fmt.Errorf("jobs: platform user %q: its Litmos user: %w", platformID, err)
	}
	return id, nil
}

// Plan returns what Assign would do, writing nothing: one read of the
// learner's courses. Courses already assigned come with their progress;
// the others are Pending.
func (r *LitmosRemediation) Plan(ctx context.Context, platformID string, courseIDs []string) ([]CourseAssignment, error) {
	_, out, err := r.read(ctx, platformID, courseIDs)
	return out, err
}

// Assign assigns the courses to the platform user's Litmos user, each at
// most once: it reads the learner's courses first (one call) and posts
// only the missing ones (one call, sendmessage=false unless SendEmail), so
// a repeat assigns nothing. It returns every course asked for: those it
// assigned (Assigned), and those assigned before with their progress.
// Progress reads the new ones back.
func (r *LitmosRemediation) Assign(ctx context.Context, platformID string, courseIDs []string) ([]CourseAssignment, error) {
	user, out, err := r.read(ctx, platformID, courseIDs)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, a := range out {
		if a.Pending {
			missing = append(missing, a.CourseID)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	if err := r.Litmos.AssignCourses(ctx, user, missing, litmos.MessageParams{SendMessage: r.SendEmail}); err != nil {
		return nil, fmt.Errorf("jobs: assign %s to platform user %q: %w", strings.Join(missing, ", "), platformID, err)
	}
	for i := range out {
		if out[i].Pending {
			out[i].Assigned, out[i].Pending = true, false
		}
	}
	return out, nil
}

// Progress returns every course assigned to the platform user in Litmos,
// with its progress: one call (per 1,000 courses).
func (r *LitmosRemediation) Progress(ctx context.Context, platformID string) ([]CourseAssignment, error) {
	user, err := r.LitmosUser(ctx, platformID)
	if err != nil {
		return nil, err
	}
	have, err := r.courses(ctx, user)
	if err != nil {
		return nil, err
	}
	out := make([]CourseAssignment, 0, len(have))
	for _, a := range have {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b CourseAssignment) int { return strings.Compare(a.CourseID, b.CourseID) })
	return out, nil
}

// read resolves the user and reads their courses: the asked ones, each
// with its progress or Pending.
func (r *LitmosRemediation) read(ctx context.Context, platformID string, courseIDs []string) (string, []CourseAssignment, error) {
	if len(courseIDs) == 0 {
		return "", nil, errors.New("jobs: assign: no course ids")
	}
	user, err := r.LitmosUser(ctx, platformID)
	if err != nil {
		return "", nil, err
	}
	have, err := r.courses(ctx, user)
	if err != nil {
		return "", nil, err
	}
	var out []CourseAssignment
	seen := map[string]bool{}
	for _, id := range courseIDs {
		if id = strings.TrimSpace(id); id == "" || seen[id] {
			continue
		}
		seen[id] = true
		a, ok := have[id]
		if !ok {
			a = CourseAssignment{CourseID: id, Pending: true}
		}
		out = append(out, a)
	}
	return user, out, nil
}

// courses reads the learner's assigned courses, by course id.
func (r *LitmosRemediation) courses(ctx context.Context, user string) (map[string]CourseAssignment, error) {
	out := map[string]CourseAssignment{}
	for uc, err := range r.Litmos.ListUserCourses(ctx, user, litmos.ListParams{}) {
		if err != nil {
			return nil, fmt.Errorf("jobs: read the courses of Litmos user %s: %w", user, err)
		}
		out[uc.ID] = CourseAssignment{CourseID: uc.ID, Code: uc.Code, Name: uc.Name, Complete: uc.Complete,
			PercentageComplete: uc.PercentageComplete, AssignedDate: uc.AssignedDate.Time, DateCompleted: uc.DateCompleted.Time}
	}
	return out, nil
}

// State says where an assignment stands, in a line's words: "already
// assigned, 50% complete", "already assigned, complete", or "" for one
// that Assign made or would make (Assigned, Pending).
func (a CourseAssignment) State() string {
	switch {
	case a.Assigned || a.Pending:
		return ""
	case a.Complete:
		return "already assigned, complete"
	}
	return fmt.Sprintf("already assigned, %.0f%% complete", a.PercentageComplete)
}

// PlatformUser finds the platform user whose "email" is email, compared
// case-insensitively, through the Platform connector (one listing of its
// users); none is an error naming the email, wrapping syncengine.ErrNotFound.
func (r *LitmosRemediation) PlatformUser(ctx context.Context, email string) (syncengine.Record, error) {
	for u, err := range r.Platform.List(ctx, syncengine.Users) {
		if err != nil {
			return syncengine.Record{}, fmt.Errorf("jobs: read the platform's users: %w", err)
		}
		if e, _ := u.Fields["email"].(string); strings.EqualFold(e, email) {
			return u, nil
		}
	}
	return syncengine.Record{}, fmt.Errorf("jobs: %s is not a platform user's email: %w", email, syncengine.ErrNotFound)
}

// CourseNames returns the platform's names of the courses with these
// Litmos ids (their "integration_id"), through the Platform connector (one
// listing of its courses); a course the platform lacks is an error naming
// it, wrapping syncengine.ErrNotFound.
func (r *LitmosRemediation) CourseNames(ctx context.Context, courseIDs []string) (map[string]string, error) {
	all := map[string]string{}
	for c, err := range r.Platform.List(ctx, syncengine.Courses) {
		if err != nil {
			return nil, fmt.Errorf("jobs: read the platform's courses: %w", err)
		}
		id, _ := c.Fields[PlatformID].(string)
		all[id], _ = c.Fields["name"].(string)
	}
	names := map[string]string{}
	for _, id := range courseIDs {
		name, ok := all[id]
		if !ok {
			return nil, fmt.Errorf("jobs: %s is not a course of the platform (give Litmos course ids): %w", id, syncengine.ErrNotFound)
		}
		names[id] = name
	}
	return names, nil
}

// Remediation is what AssignByEmail did or would do for one learner.
type Remediation struct {
	// User is the platform user; Names the platform's names of the courses.
	User  syncengine.Record
	Names map[string]string
	// Courses are the courses asked for, as Assign (or Plan) returns them.
	Courses []CourseAssignment
}

// AssignByEmail is remediation as a setup screen or a command line asks
// for it: the platform user by email (PlatformUser), the courses by
// Litmos id (CourseNames), then Assign, or with plan set Plan, which
// writes nothing. Unknown emails and courses wrap syncengine.ErrNotFound.
func (r *LitmosRemediation) AssignByEmail(ctx context.Context, email string, courseIDs []string, plan bool) (*Remediation, error) {
	u, err := r.PlatformUser(ctx, email)
	if err != nil {
		return nil, err
	}
	out := &Remediation{User: u}
	if out.Names, err = r.CourseNames(ctx, courseIDs); err != nil {
		return nil, err
	}
	do := r.Assign
	if plan {
		do = r.Plan
	}
	out.Courses, err = do(ctx, u.ID, courseIDs)
	return out, err
}
