package jobs

import (
	"fmt"

	"github.com/rostersync/rostersync/hibob"
	"github.com/rostersync/rostersync/syncengine"
)

// InvitePolicy says when the HiBob → Learn Amp job has Learn Amp invite a
// new user (the invitation email that lets them sign in).
//
// Learn Amp's API invites only at the moment it creates a user (a create
// without skipInvitation): it has no call to invite later, and a user
// created with skipInvitation is invited by an admin from the People page
// (https://developers.learnamp.com/#create-a-user). So "invite on the
// start date" cannot create people early and invite them on the day;
// instead it creates them on the day.
type InvitePolicy string

// Invite policies.
const (
	// InviteOnStartDate (the default): someone who has started is created
	// and invited at once; a future starter is not created before their
	// start date (HiBob's work.startDate). The engine keeps the date in
	// its Store, the plan shows "is created on 2027-01-04", and the first
	// run, SyncDue or queued event on or after it creates the user,
	// invited. Creating them early without an invitation would leave the
	// invitation to an admin, by hand.
	InviteOnStartDate InvitePolicy = "start-date"
	// InviteNow: everyone is created at once, future starters included,
	// and invited as they are created.
	InviteNow InvitePolicy = "now"
	// InviteNever: everyone is created at once with skipInvitation; admins
	// invite from Learn Amp's People page (or single sign-on needs none).
	InviteNever InvitePolicy = "never"
)

// InvitePolicies lists the policies, the default first.
func InvitePolicies() []InvitePolicy {
	return []InvitePolicy{InviteOnStartDate, InviteNow, InviteNever}
}

// ParseInvitePolicy reads a policy by name ("start-date", "now",
// "never"); "" is the default, InviteOnStartDate.
func ParseInvitePolicy(s string) (InvitePolicy, error) {
	if s == "" {
		return InviteOnStartDate, nil
	}
	for _, p := range InvitePolicies() {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("invite policy %q: want %q, %q or %q", s, InviteOnStartDate, InviteNow, InviteNever)
}

// sends says whether creates invite (learnamp.ConnectorOptions.SendEmail).
func (p InvitePolicy) sends() bool { return p != InviteNever }

// apply sets the start-date rules of the users collection.
func (p InvitePolicy) apply(r *syncengine.Rules) {
	if p == InviteOnStartDate {
		r.StartField, r.HoldUntilStart = hibob.FieldStartDate, true
	}
}
