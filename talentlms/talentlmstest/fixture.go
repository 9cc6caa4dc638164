package talentlmstest

import "github.com/rostersync/rostersync/talentlms"

// Portal is a portal for Seed, by names rather than ids, so that it can
// be written as data (a JSON file, say).
type Portal struct {
	// Fields are added in order (an empty Key gets the next custom_field_N).
	Fields []talentlms.CustomField
	// Branches are added in order.
	Branches []talentlms.Branch
	Users    []Member
	Courses  []talentlms.Course
	// Enrollments name users by login and courses by name or code.
	Enrollments []Enrollment
}

// Member is a user of a Portal, with its custom fields by name (Fields,
// added to User.Custom) and its branches by name.
type Member struct {
	User
	Fields      map[string]string
	BranchNames []string
}

// Enrollment is a user's progress in a course of a Portal.
type Enrollment struct {
	Login, Course string
	Progress
}

// Seed adds p's custom fields, branches, users, courses and enrollments,
// in that order, and returns their ids by name (users by login). A name
// the portal lacks fails the test.
func (s *Server) Seed(p Portal) Company {
	co := Company{Users: map[string]string{}, Branches: map[string]string{}, Courses: map[string]string{}, Fields: map[string]string{}}
	for _, f := range p.Fields {
		co.Fields[f.Name] = s.AddCustomField(f)
	}
	for _, b := range p.Branches {
		co.Branches[b.Name] = s.AddBranch(b)
	}
	for _, m := range p.Users {
		u := m.User
		u.Custom = map[string]string{}
		for k, v := range m.User.Custom {
			u.Custom[k] = v
		}
		for name, v := range m.Fields {
			if co.Fields[name] == "" {
				s.fail("Seed: user %q: no custom field %q", u.Login, name)
			}
			u.Custom[co.Fields[name]] = v
		}
		u.Branches = append([]string(nil), u.Branches...)
		for _, name := range m.BranchNames {
			if co.Branches[name] == "" {
				s.fail("Seed: user %q: no branch %q", u.Login, name)
			}
			u.Branches = append(u.Branches, co.Branches[name])
		}
		co.Users[u.Login] = s.AddUser(u)
	}
	codes := map[string]string{}
	for _, c := range p.Courses {
		id := s.AddCourse(c)
		co.Courses[c.Name] = id
		if c.Code != "" {
			codes[c.Code] = id
		}
	}
	for _, e := range p.Enrollments {
		course := co.Courses[e.Course]
		if course == "" {
			course = codes[e.Course]
		}
		if co.Users[e.Login] == "" || course == "" {
			s.fail("Seed: enrollment of %q in %q: no such user or course", e.Login, e.Course)
		}
		s.Enroll(co.Users[e.Login], course, e.Progress)
	}
	return co
}
