package talentlms

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/syncengine"
)

// v1 has no branch filter on users (none in the official PHP library,
// https://github.com/epignosis/talentlms-wordpress): a branch's members
// come from GET branches/id:{id}, joined with the users listing.

// branchView is what a listing knows of branches.
type branchView struct {
	members map[string]bool             // the users of ConnectorOptions.Branch; nil without one
	teams   map[string][]syncengine.Ref // user id → the user's branches; nil without Teams
}

// branchView reads the branches a listing needs. With Teams: GET branches
// and one GET branches/id:{id} per branch (the scoped branch among them).
// With only Branch: one GET branches/id:{id} (plus GET branches, once per
// connector, to resolve a branch given by name).
func (k *Connector) branchView(ctx context.Context) (branchView, error) {
	if !k.opts.Teams {
		members, err := k.branchMembers(ctx)
		return branchView{members: members}, err
	}
	v, err := k.allBranches(ctx)
	if err == nil && v.members != nil {
		k.setMembers(v.members)
	}
	return v, err
}

// allBranches reads every branch's members (Teams).
func (k *Connector) allBranches(ctx context.Context) (branchView, error) {
	var v branchView
	var list []Branch
	for b, err := range k.c.ListBranches(ctx) {
		if err != nil {
			return v, err
		}
		list = append(list, b)
	}
	scoped := ""
	if k.opts.Branch != "" {
		id, err := k.resolveFrom(list)
		if err != nil {
			return v, err
		}
		scoped, v.members = id, map[string]bool{}
	}
	v.teams = map[string][]syncengine.Ref{}
	for _, b := range list {
		k.remember(syncengine.Teams, b.ID, b.Name)
		d, err := k.c.GetBranch(ctx, b.ID)
		if err != nil {
			return v, err
		}
		for _, m := range d.Users {
			v.teams[m.ID] = append(v.teams[m.ID], syncengine.Ref{Collection: syncengine.Teams, ID: b.ID})
			if b.ID == scoped {
				v.members[m.ID] = true
			}
		}
	}
	for _, refs := range v.teams {
		sortRefs(refs)
	}
	return v, nil
}

// resolveBranch returns the id of ConnectorOptions.Branch, resolved once
// per connector: a number is tried as an id first (that call's branch
// detail is returned too), then the branch names are searched.
func (k *Connector) resolveBranch(ctx context.Context) (string, *Branch, error) {
	k.mu.Lock()
	id := k.branchID
	k.mu.Unlock()
	if id != "" {
		return id, nil, nil
	}
	want := strings.TrimSpace(k.opts.Branch)
	if digitsRe.MatchString(want) {
		b, err := k.c.GetBranch(ctx, want)
		switch {
		case err == nil:
			k.setBranch(b.ID)
			return b.ID, b, nil
		case !errors.Is(err, ErrNotFound):
			return "", nil, err
		}
	}
	var list []Branch
	for b, err := range k.c.ListBranches(ctx) {
		if err != nil {
			return "", nil, err
		}
		list = append(list, b)
	}
	id, err := k.resolveFrom(list)
	return id, nil, err
}

// resolveFrom finds ConnectorOptions.Branch in list: by id, then by name
// exactly, then by a unique case-insensitive name.
func (k *Connector) resolveFrom(list []Branch) (string, error) {
	k.mu.Lock()
	id := k.branchID
	k.mu.Unlock()
	if id != "" {
		return id, nil
	}
	want := strings.TrimSpace(k.opts.Branch)
	var exact, folded []string
	var all []string
	for _, b := range list {
		all = append(all, fmt.Sprintf("%q", b.Name))
		switch {
		case b.ID == want:
			k.setBranch(b.ID)
			return b.ID, nil
		case b.Name == want:
			exact = append(exact, b.ID)
		case strings.EqualFold(b.Name, want):
			folded = append(folded, b.ID)
		}
	}
	for _, ids := range [][]string{exact, folded} {
		switch len(ids) {
		case 0:
			continue
		case 1:
			k.setBranch(ids[0])
			return ids[0], nil
		}
		return "", fmt.Errorf("talentlms: branch %q: branches %s share that name; give the branch's id", want, strings.Join(ids, " and "))
	}
	return "", fmt.Errorf("talentlms: branch %q: the portal has no such branch (it has %s)", want, clip(strings.Join(all, ", "), 200))
}

func (k *Connector) setBranch(id string) {
	k.mu.Lock()
	k.branchID = id
	k.mu.Unlock()
}

// noteMember records whether a user read is in the branch.
func (k *Connector) noteMember(id string, in bool) {
	k.mu.Lock()
	k.inBranch[id] = in
	k.mu.Unlock()
}

func (k *Connector) memberKnown(id string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.inBranch[id]
}

// branchMembers returns the users of ConnectorOptions.Branch (nil without
// one): one GET branches/id:{id}.
func (k *Connector) branchMembers(ctx context.Context) (map[string]bool, error) {
	if k.opts.Branch == "" {
		return nil, nil
	}
	id, detail, err := k.resolveBranch(ctx)
	if err == nil && detail == nil {
		detail, err = k.c.GetBranch(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	members := make(map[string]bool, len(detail.Users))
	for _, m := range detail.Users {
		members[m.ID] = true
	}
	k.setMembers(members)
	return members, nil
}

// setMembers replaces what the connector knows of the branch's members.
func (k *Connector) setMembers(members map[string]bool) {
	k.mu.Lock()
	k.inBranch = make(map[string]bool, len(members))
	for id := range members {
		k.inBranch[id] = true
	}
	k.mu.Unlock()
}
