package talentlms

import (
	"context"
	"errors"

	"github.com/rostersync/rostersync/syncengine"
)

// Branches as syncengine.Teams (ConnectorOptions.Teams). A branch record
// carries no members: memberships are the users' "teams" refs. v1 branch
// objects carry no status, so every branch is Active.

func teamRecord(b *Branch, rs *readSet) syncengine.Record {
	f := map[string]any{}
	for name, v := range map[string]string{"name": b.Name, "description": b.Description} {
		if rs.has(name) {
			f[name] = v
		}
	}
	return syncengine.Record{ID: b.ID, Fields: f, Active: true}
}

// listTeams yields every branch: one GET branches.
func (k *Connector) listTeams(ctx context.Context, yield func(syncengine.Record, error) bool) error {
	rs := k.readOf(syncengine.Teams)
	for b, err := range k.c.ListBranches(ctx) {
		if err != nil {
			return err
		}
		k.remember(syncengine.Teams, b.ID, b.Name)
		if !yield(teamRecord(&b, rs), nil) {
			return errStop
		}
	}
	return nil
}

// getTeam reads a branch: one GET branches/id:{id}.
func (k *Connector) getTeam(ctx context.Context, id string) (syncengine.Record, error) {
	if !digitsRe.MatchString(id) {
		return syncengine.Record{}, notFoundID("branch", id)
	}
	b, err := k.c.GetBranch(ctx, id)
	if err != nil {
		return syncengine.Record{}, err
	}
	k.remember(syncengine.Teams, b.ID, b.Name)
	return teamRecord(b, k.readOf(syncengine.Teams)), nil
}

// writeUserTeams makes the user's branches exactly refs["teams"]: one GET
// users/id:{id} for the current branches, then one addusertobranch or
// removeuserfrombranch per branch that differs. A membership TalentLMS
// already has (a retry after a lost reply) counts as done.
func (k *Connector) writeUserTeams(ctx context.Context, id string, refs map[string][]syncengine.Ref) error {
	for role := range refs {
		if role != syncengine.RoleTeams {
			return invalidf("write refs of user %s: TalentLMS users have no %q reference (only %q: their branches)", id, role, syncengine.RoleTeams)
		}
	}
	want, ok := refs[syncengine.RoleTeams]
	if !ok {
		return nil
	}
	if !digitsRe.MatchString(id) {
		return notFoundID("user", id)
	}
	wanted := map[string]bool{}
	for _, r := range want {
		if r.Collection != syncengine.Teams || !digitsRe.MatchString(r.ID) {
			return invalidf("write refs of user %s: %s/%s is not a branch id", id, r.Collection, r.ID)
		}
		wanted[r.ID] = true
	}
	u, err := k.c.GetUser(ctx, id)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, b := range u.Branches {
		have[b.ID] = true
	}
	for _, b := range sortedIDs(wanted) {
		if !have[b] {
			if _, err := k.c.AddUserToBranch(ctx, id, b); err != nil && !errors.Is(err, ErrAlreadyMember) {
				return err
			}
		}
	}
	for _, b := range sortedIDs(have) {
		if !wanted[b] {
			if _, err := k.c.RemoveUserFromBranch(ctx, id, b); err != nil && !errors.Is(err, ErrNotMember) {
				return err
			}
		}
	}
	k.noteBranchChange(id, wanted)
	return nil
}

// noteBranchChange keeps the branch scope in step with a membership write.
func (k *Connector) noteBranchChange(userID string, branches map[string]bool) {
	k.mu.Lock()
	id := k.branchID
	k.mu.Unlock()
	if k.opts.Branch != "" && id != "" {
		k.noteMember(userID, branches[id])
	}
}

func sortedIDs(set map[string]bool) []string {
	refs := make([]syncengine.Ref, 0, len(set))
	for id := range set {
		refs = append(refs, syncengine.Ref{ID: id})
	}
	sortRefs(refs)
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}
