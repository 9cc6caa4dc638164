package talentlmstest

import (
	"html"
	"net/http"

	"github.com/rostersync/rostersync/internal/fakeserver"
	"github.com/rostersync/rostersync/talentlms"
	"slices"
)

// renderBranch is b as v1 sends it; detail adds its users and courses.
func (st *state) renderBranch(b *branch, detail bool) map[string]any {
	m := map[string]any{
		"id": b.ID, "name": html.EscapeString(b.Name), "description": b.Description, "avatar": nil, "theme": "default",
		"badge_set_id": "0", "timezone": "(GMT +00:00) UTC", "signup_method": "manual",
		"internal_announcement": nil, "external_announcement": nil, "language": "en",
		"user_type_id": "1", "user_type": "Learner-Type", "group_id": nil,
		"registration_email_restriction": nil, "users_limit": nil,
		"disallow_global_login": map[bool]string{true: "1", false: "0"}[b.DisallowGlobalLogin],
		"payment_processor":     "paypal", "currency": "USD", "paypal_email": nil,
		"ecommerce_subscription": "0", "ecommerce_subscription_price": nil,
		"ecommerce_subscription_interval": nil, "ecommerce_subscription_trial_period": nil, "ecommerce_credits": nil,
	}
	if !detail {
		return m
	}
	users := make([]any, 0, len(b.members))
	for _, id := range b.members {
		u := st.users[id]
		users = append(users, map[string]string{"id": id, "name": displayName(u.first, u.last)})
	}
	courses := make([]any, 0, len(b.courses))
	for _, id := range b.courses {
		courses = append(courses, map[string]string{"id": id, "name": html.EscapeString(st.courses[id].Name)})
	}
	m["users"], m["courses"] = users, courses
	return m
}

func (s *Server) routeBranches(w http.ResponseWriter, raw string) {
	p, ok := pathParams(raw, "id")
	if !ok {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, one := p["id"]; one {
		b := s.st.branches[id]
		if b == nil {
			notFound(w, msgNoBranch)
			return
		}
		fakeserver.WriteJSON(w, http.StatusOK, s.st.renderBranch(b, true))
		return
	}
	out := make([]any, 0, len(s.st.branchOrder))
	for _, id := range s.st.branchOrder {
		out = append(out, s.st.renderBranch(s.st.branches[id], false))
	}
	fakeserver.WriteJSON(w, http.StatusOK, out)
}

// branchMember serves addusertobranch (add) and removeuserfrombranch.
func (s *Server) branchMember(w http.ResponseWriter, raw string, add bool) {
	p, ok := pathParams(raw, "user_id", "branch_id")
	if !ok || len(p) != 2 {
		invalid(w, msgInvalid)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, msg := s.st.liveUser(p["user_id"])
	if u == nil {
		notFound(w, msg)
		return
	}
	b := s.st.branches[p["branch_id"]]
	switch {
	case b == nil:
		notFound(w, msgNoBranch)
		return
	case add && b.memberSet[u.id]:
		invalid(w, msgMember)
		return
	case !add && !b.memberSet[u.id]:
		invalid(w, msgNotMember)
		return
	case add:
		s.st.join(u, b)
	default:
		s.st.leave(u, b)
	}
	fakeserver.WriteJSON(w, http.StatusOK, map[string]string{"user_id": u.id, "branch_id": b.ID, "branch_name": b.Name})
}

// BranchMembers returns the ids of a branch's users, in join order.
func (s *Server) BranchMembers(branchID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.st.branches[branchID]; b != nil {
		return slices.Clone(b.members)
	}
	return nil
}

// Branches returns every branch, in creation order, with Users filled in.
func (s *Server) Branches() []talentlms.Branch {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]talentlms.Branch, 0, len(s.st.branchOrder))
	for _, id := range s.st.branchOrder {
		b := s.st.branches[id]
		br := b.Branch
		for _, m := range b.members {
			u := s.st.users[m]
			br.Users = append(br.Users, talentlms.Ref{ID: m, Name: displayName(u.first, u.last)})
		}
		out = append(out, br)
	}
	return out
}
